// ShareStore over SQLite: see share_store.hpp for the contract and
// sqlite_database.hpp for the connections.

#include <string>
#include <utility>

#include "common/time.hpp"
#include "db/photo_checks.hpp"
#include "db/share_store_checks.hpp"
#include "db/sqlite/sqlite_database.hpp"
#include "db/sqlite/sqlite_statements.hpp"

namespace gallery::db {
namespace {

#define SHARE_COLUMNS                                                            \
  "id, owner_id, token_hash, album_id, photo_id, expires_at_ms, password_hash, " \
  "allow_download, created_at_ms, revoked_at_ms"

constexpr std::string_view kInsertShare =
    "INSERT INTO shares (" SHARE_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
constexpr std::string_view kGetShare = "SELECT " SHARE_COLUMNS " FROM shares WHERE id = ?1";
constexpr std::string_view kFindLiveShare =
    "SELECT " SHARE_COLUMNS
    " FROM shares WHERE token_hash = ?1 AND revoked_at_ms IS NULL"
    " AND (expires_at_ms IS NULL OR expires_at_ms > ?2)";
constexpr std::string_view kListSharesFirst =
    "SELECT " SHARE_COLUMNS
    " FROM shares WHERE owner_id = ?1 ORDER BY created_at_ms DESC, id DESC LIMIT ?2";
constexpr std::string_view kListSharesAfter =
    "SELECT " SHARE_COLUMNS
    " FROM shares WHERE owner_id = ?1 AND (created_at_ms, id) < (?2, ?3)"
    " ORDER BY created_at_ms DESC, id DESC LIMIT ?4";
constexpr std::string_view kRevokeShare =
    "UPDATE shares SET revoked_at_ms = coalesce(revoked_at_ms, ?3) WHERE id = ?2 AND owner_id = ?1";

#undef SHARE_COLUMNS

ShareRecord ReadShare(const SqliteStatement& row) {
  ShareRecord s;
  s.id = row.Text(0);
  s.owner_id = row.Text(1);
  s.token_hash = row.Text(2);
  if (!row.IsNull(3)) s.album_id = row.Text(3);
  if (!row.IsNull(4)) s.photo_id = row.Text(4);
  if (!row.IsNull(5)) s.expires_at = FromUnixMillis(row.Int64(5));
  if (!row.IsNull(6)) s.password_hash = row.Text(6);
  s.allow_download = row.Int64(7) != 0;
  s.created_at = FromUnixMillis(row.Int64(8));
  if (!row.IsNull(9)) s.revoked_at = FromUnixMillis(row.Int64(9));
  return s;
}

void BindOptional(SqliteStatement& stmt, int index, const std::optional<std::string>& text) {
  if (text) {
    stmt.Bind(index, *text);
  } else {
    stmt.BindNull(index);
  }
}

void BindOptional(SqliteStatement& stmt, int index, const std::optional<Clock::time_point>& t) {
  if (t) {
    stmt.Bind(index, ToUnixMillis(*t));
  } else {
    stmt.BindNull(index);
  }
}

class SqliteShareStore final : public ShareStore {
 public:
  explicit SqliteShareStore(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}

  Status CreateShare(const ShareRecord& share) override {
    GALLERY_RETURN_IF_ERROR(CheckShareForCreate(share));
    SqliteDatabase::WriterLock writer(db_.get());
    Status s = SqliteRun(*writer, kInsertShare, [&](SqliteStatement& st) {
                 st.Bind(1, share.id);
                 st.Bind(2, share.owner_id);
                 st.Bind(3, share.token_hash);
                 BindOptional(st, 4, share.album_id);
                 BindOptional(st, 5, share.photo_id);
                 BindOptional(st, 6, share.expires_at);
                 BindOptional(st, 7, share.password_hash);
                 st.Bind(8, int64_t{share.allow_download ? 1 : 0});
                 st.Bind(9, ToUnixMillis(share.created_at));
                 BindOptional(st, 10, share.revoked_at);
               }).status();
    if (s.code() == ErrorCode::kConflict) {
      return Status::NotFound("the owner, album or photo of share " + share.id);
    }
    return s;
  }

  Result<ShareRecord> GetShare(const std::string& id) override {
    return ReadOne(kGetShare, "share " + id, [&](SqliteStatement& st) { st.Bind(1, id); });
  }

  Result<ShareRecord> FindShareByTokenHash(const std::string& token_hash,
                                           Clock::time_point now) override {
    return ReadOne(kFindLiveShare, "no live share with that token", [&](SqliteStatement& st) {
      st.Bind(1, token_hash);
      st.Bind(2, ToUnixMillis(now));
    });
  }

  Result<SharePage> ListShares(const std::string& owner_id, const std::optional<ShareCursor>& after,
                               int limit) override {
    GALLERY_RETURN_IF_ERROR(CheckListLimit(limit));
    SqliteDatabase::ReaderLease reader(db_.get());
    Result<SqliteStatement> stmt = reader->Prepare(after ? kListSharesAfter : kListSharesFirst);
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, owner_id);
    int index = 2;
    if (after) {
      stmt->Bind(2, ToUnixMillis(after->created_at));
      stmt->Bind(3, after->id);
      index = 4;
    }
    stmt->Bind(index, int64_t{limit} + 1);  // one more tells whether a page follows
    auto page = SqliteReadPage<ShareCursor>(*stmt, limit, ReadShare, [](const ShareRecord& s) {
      return ShareCursor{s.created_at, s.id};
    });
    if (!page.ok()) return page.status();
    return SharePage{std::move(page->first), std::move(page->second)};
  }

  Status RevokeShare(const std::string& owner_id, const std::string& id,
                     Clock::time_point now) override {
    SqliteDatabase::WriterLock writer(db_.get());
    Result<int64_t> n = SqliteRun(*writer, kRevokeShare, [&](SqliteStatement& st) {
      st.Bind(1, owner_id);
      st.Bind(2, id);
      st.Bind(3, ToUnixMillis(now));
    });
    if (!n.ok()) return n.status();
    if (*n == 0) return Status::NotFound("share " + id + " of user " + owner_id);
    return Status::Ok();
  }

 private:
  Result<ShareRecord> ReadOne(std::string_view sql, const std::string& what,
                              const SqliteBinder& bind) {
    SqliteDatabase::ReaderLease reader(db_.get());
    return SqliteQueryOne(*reader, sql, what, bind, ReadShare);
  }

  std::shared_ptr<SqliteDatabase> db_;
};

}  // namespace

std::unique_ptr<ShareStore> NewSqliteShareStore(std::shared_ptr<SqliteDatabase> db) {
  return std::make_unique<SqliteShareStore>(std::move(db));
}

}  // namespace gallery::db
