// ShareStore over PostgreSQL: see share_store.hpp for the contract and
// postgres_database.hpp for the connections. Each method is one statement in
// autocommit mode (one transaction).

#include <string>
#include <utility>

#include "db/photo_checks.hpp"
#include "db/postgres/pg_rows.hpp"
#include "db/postgres/postgres_database.hpp"
#include "db/share_store_checks.hpp"

namespace gallery::db {
namespace {

#define SHARE_COLUMNS                                                            \
  "id, owner_id, token_hash, album_id, photo_id, expires_at_ms, password_hash, " \
  "allow_download, created_at_ms, revoked_at_ms, show_exif"

constexpr PgStatement kInsertShare{"gallery_shares_insert",
                                   "INSERT INTO shares (" SHARE_COLUMNS
                                   ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"};
constexpr PgStatement kGetShare{"gallery_shares_get",
                                "SELECT " SHARE_COLUMNS " FROM shares WHERE id = $1"};
constexpr PgStatement kFindLiveShare{"gallery_shares_find_live",
                                     "SELECT " SHARE_COLUMNS
                                     " FROM shares WHERE token_hash = $1 AND revoked_at_ms IS NULL"
                                     " AND (expires_at_ms IS NULL OR expires_at_ms > $2)"};
// id is COLLATE "C", so ties break in byte order, as in SQLite.
constexpr PgStatement kListSharesFirst{
    "gallery_shares_list",
    "SELECT " SHARE_COLUMNS
    " FROM shares WHERE owner_id = $1 ORDER BY created_at_ms DESC, id DESC LIMIT $2"};
constexpr PgStatement kListSharesAfter{"gallery_shares_list_after",
                                       "SELECT " SHARE_COLUMNS
                                       " FROM shares WHERE owner_id = $1"
                                       " AND (created_at_ms, id) < ($2, $3)"
                                       " ORDER BY created_at_ms DESC, id DESC LIMIT $4"};
constexpr PgStatement kRevokeShare{"gallery_shares_revoke",
                                   "UPDATE shares SET revoked_at_ms = coalesce(revoked_at_ms, $3) "
                                   "WHERE id = $2 AND owner_id = $1"};

#undef SHARE_COLUMNS

ShareRecord ReadShare(PgRow& row) {
  ShareRecord s;
  s.id = row.Text(0);
  s.owner_id = row.Text(1);
  s.token_hash = row.Text(2);
  s.album_id = row.OptionalText(3);
  s.photo_id = row.OptionalText(4);
  s.expires_at = row.OptionalMillis(5);
  s.password_hash = row.OptionalText(6);
  s.allow_download = row.Bool(7);
  s.created_at = row.Millis(8);
  s.revoked_at = row.OptionalMillis(9);
  s.show_exif = row.Bool(10);
  return s;
}

class PostgresShareStore final : public ShareStore {
 public:
  explicit PostgresShareStore(std::shared_ptr<PostgresDatabase> db) : db_(std::move(db)) {}

  Status CreateShare(const ShareRecord& share) override {
    GALLERY_RETURN_IF_ERROR(CheckShareForCreate(share));
    const PgParam params[] = {share.id,
                              share.owner_id,
                              share.token_hash,
                              share.album_id,
                              share.photo_id,
                              PgOptionalMillis(share.expires_at),
                              share.password_hash,
                              PgBool(share.allow_download),
                              PgMillis(share.created_at),
                              PgOptionalMillis(share.revoked_at),
                              PgBool(share.show_exif)};
    Status s = db_->Run(kInsertShare, params).status();
    if (s.code() == ErrorCode::kConflict) {
      return Status::NotFound("the owner, album or photo of share " + share.id);
    }
    return s;
  }

  Result<ShareRecord> GetShare(const std::string& id) override {
    const PgParam params[] = {id};
    return PgReadOne(db_->Run(kGetShare, params), "share " + id, ReadShare);
  }

  Result<ShareRecord> FindShareByTokenHash(const std::string& token_hash,
                                           Clock::time_point now) override {
    const PgParam params[] = {token_hash, PgMillis(now)};
    return PgReadOne(db_->Run(kFindLiveShare, params), "no live share with that token", ReadShare);
  }

  Result<SharePage> ListShares(const std::string& owner_id, const std::optional<ShareCursor>& after,
                               int limit) override {
    GALLERY_RETURN_IF_ERROR(CheckListLimit(limit));
    const PgParam fetch = PgInt(int64_t{limit} + 1);  // one more tells whether a page follows
    Result<PgResult> rows = Status::Internal("unset");
    if (after) {
      const PgParam params[] = {owner_id, PgMillis(after->created_at), after->id, fetch};
      rows = db_->Run(kListSharesAfter, params);
    } else {
      const PgParam params[] = {owner_id, fetch};
      rows = db_->Run(kListSharesFirst, params);
    }
    auto page = PgReadPage<ShareCursor>(rows, limit, ReadShare, [](const ShareRecord& s) {
      return ShareCursor{s.created_at, s.id};
    });
    if (!page.ok()) return page.status();
    return SharePage{std::move(page->first), std::move(page->second)};
  }

  Status RevokeShare(const std::string& owner_id, const std::string& id,
                     Clock::time_point now) override {
    const PgParam params[] = {owner_id, id, PgMillis(now)};
    Result<PgResult> done = db_->Run(kRevokeShare, params);
    if (!done.ok()) return done.status();
    if (done->AffectedRows() == 0) return Status::NotFound("share " + id + " of user " + owner_id);
    return Status::Ok();
  }

 private:
  std::shared_ptr<PostgresDatabase> db_;
};

}  // namespace

std::unique_ptr<ShareStore> NewPostgresShareStore(std::shared_ptr<PostgresDatabase> db) {
  return std::make_unique<PostgresShareStore>(std::move(db));
}

}  // namespace gallery::db
