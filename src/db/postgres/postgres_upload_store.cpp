// UploadStore over PostgreSQL: see upload_store.hpp for the contract. Each
// compare-and-set is one UPDATE (one autocommit transaction, atomic under
// READ COMMITTED since the WHERE clause is re-checked on the row it locks);
// when it changes nothing, a read of the row says why.

#include <array>
#include <string>
#include <utility>

#include "common/time.hpp"
#include "db/photo_checks.hpp"
#include "db/postgres/postgres_database.hpp"
#include "db/upload_store_checks.hpp"

namespace gallery::db {
namespace {

#define UPLOAD_COLUMNS                                                            \
  "id, owner_id, length_bytes, offset_bytes, filename, staging_state, photo_id, " \
  "created_at_ms, expires_at_ms, claim_token, claimed_until_ms"

constexpr PgStatement kInsertUpload{"gallery_insert_upload",
                                    "INSERT INTO uploads (" UPLOAD_COLUMNS
                                    ") VALUES ($1, $2, $3, 0, $4, $5, NULL, $6, $7, NULL, NULL)"};
constexpr PgStatement kGetUpload{"gallery_get_upload",
                                 "SELECT " UPLOAD_COLUMNS " FROM uploads WHERE id = $1"};
constexpr PgStatement kCountUnfinished{
    "gallery_count_unfinished_uploads",
    "SELECT count(*) FROM uploads WHERE owner_id = $1 AND photo_id IS NULL"};
constexpr PgStatement kClaim{"gallery_claim_upload",
                             "UPDATE uploads SET claim_token = $2, claimed_until_ms = $3"
                             " WHERE id = $1 AND (claim_token IS NULL OR claimed_until_ms <= $4)"
                             " AND ($5::bigint IS NULL OR offset_bytes = $5::bigint)"
                             " RETURNING " UPLOAD_COLUMNS};
constexpr PgStatement kAdvance{
    "gallery_advance_upload",
    "UPDATE uploads SET offset_bytes = $4, staging_state = $5, expires_at_ms = $6,"
    " claimed_until_ms = $7"
    " WHERE id = $1 AND claim_token = $2 AND offset_bytes = $3 AND $4::bigint <= length_bytes"};
constexpr PgStatement kFinish{
    "gallery_finish_upload",
    "UPDATE uploads SET photo_id = $3, expires_at_ms = $4, claim_token = NULL,"
    " claimed_until_ms = NULL"
    " WHERE id = $1 AND claim_token = $2 AND offset_bytes = length_bytes"};
constexpr PgStatement kRelease{"gallery_release_upload",
                               "UPDATE uploads SET claim_token = NULL, claimed_until_ms = NULL"
                               " WHERE id = $1 AND claim_token = $2"};
constexpr PgStatement kDelete{"gallery_delete_upload",
                              "DELETE FROM uploads WHERE id = $1 AND claim_token = $2"};
constexpr PgStatement kListExpired{"gallery_list_expired_uploads",
                                   "SELECT " UPLOAD_COLUMNS
                                   " FROM uploads WHERE expires_at_ms <= $1"
                                   " ORDER BY expires_at_ms, id LIMIT $2"};

#undef UPLOAD_COLUMNS

std::string Millis(Clock::time_point t) { return std::to_string(ToUnixMillis(t)); }

Result<UploadRecord> ReadUpload(const PgResult& r, int row) {
  UploadRecord u;
  u.id = r.Text(row, 0);
  u.owner_id = r.Text(row, 1);
  std::array<int64_t, 3> numbers{};  // length, offset, created_at
  for (int i = 0; i < 3; ++i) {
    Result<int64_t> n = r.Int64(row, i < 2 ? 2 + i : 7);
    if (!n.ok()) return n.status();
    numbers[i] = *n;
  }
  u.length = static_cast<uint64_t>(numbers[0]);
  u.offset = static_cast<uint64_t>(numbers[1]);
  u.created_at = FromUnixMillis(numbers[2]);
  u.filename = r.Text(row, 4);
  u.staging_state = r.Text(row, 5);
  if (!r.IsNull(row, 6)) u.photo_id = r.Text(row, 6);
  Result<int64_t> expires = r.Int64(row, 8);
  if (!expires.ok()) return expires.status();
  u.expires_at = FromUnixMillis(*expires);
  if (!r.IsNull(row, 9)) u.claim_token = r.Text(row, 9);
  if (!r.IsNull(row, 10)) {
    Result<int64_t> until = r.Int64(row, 10);
    if (!until.ok()) return until.status();
    u.claimed_until = FromUnixMillis(*until);
  }
  return u;
}

class PostgresUploadStore final : public UploadStore {
 public:
  explicit PostgresUploadStore(std::shared_ptr<PostgresDatabase> db) : db_(std::move(db)) {}

  Status CreateUpload(const UploadRecord& u) override {
    GALLERY_RETURN_IF_ERROR(CheckUploadForCreate(u));
    const PgParam params[] = {u.id,
                              u.owner_id,
                              std::to_string(u.length),
                              u.filename,
                              u.staging_state,
                              Millis(u.created_at),
                              Millis(u.expires_at)};
    Status s = db_->Run(kInsertUpload, params).status();
    if (s.code() == ErrorCode::kConflict) return Status::NotFound("user " + u.owner_id);
    return s;
  }

  Result<UploadRecord> GetUpload(const std::string& id) override {
    const PgParam params[] = {id};
    Result<PgResult> rows = db_->Run(kGetUpload, params);
    if (!rows.ok()) return rows.status();
    if (rows->rows() == 0) return Status::NotFound("upload " + id);
    return ReadUpload(*rows, 0);
  }

  Result<int64_t> CountUnfinishedUploads(const std::string& owner_id) override {
    const PgParam params[] = {owner_id};
    Result<PgResult> rows = db_->Run(kCountUnfinished, params);
    if (!rows.ok()) return rows.status();
    if (rows->rows() != 1) return Status::Internal("postgres: count(*) returned no row");
    return rows->Int64(0, 0);
  }

  Result<UploadRecord> Claim(const std::string& id, const std::string& token,
                             std::optional<uint64_t> expected_offset, Clock::time_point now,
                             Clock::time_point until) override {
    GALLERY_RETURN_IF_ERROR(CheckClaim(token, now, until));
    const PgParam params[] = {
        id, token, Millis(until), Millis(now),
        expected_offset ? PgParam(std::to_string(*expected_offset)) : std::nullopt};
    Result<PgResult> rows = db_->Run(kClaim, params);
    if (!rows.ok()) return rows.status();
    if (rows->rows() == 1) return ReadUpload(*rows, 0);
    Result<UploadRecord> row = GetUpload(id);
    if (!row.ok()) return row.status();
    if (row->claim_token && row->claimed_until && *row->claimed_until > now) {
      return Status(ErrorCode::kLocked, "upload " + id + " is claimed by another request");
    }
    return Status(ErrorCode::kConflict, "upload " + id + ": offset is " +
                                            std::to_string(row->offset) + ", not " +
                                            std::to_string(expected_offset.value_or(0)));
  }

  Status Advance(const UploadProgress& p) override {
    GALLERY_RETURN_IF_ERROR(CheckProgress(p));
    const PgParam params[] = {p.id,
                              p.claim_token,
                              std::to_string(p.expected_offset),
                              std::to_string(p.new_offset),
                              p.staging_state,
                              Millis(p.expires_at),
                              Millis(p.claimed_until)};
    Result<PgResult> done = db_->Run(kAdvance, params);
    if (!done.ok()) return done.status();
    if (done->AffectedRows() == 1) return Status::Ok();
    Result<UploadRecord> row = GetUpload(p.id);
    if (row.ok() && p.new_offset > row->length) {
      return Status::InvalidArgument("upload " + p.id + ": offset " + std::to_string(p.new_offset) +
                                     " is past its length " + std::to_string(row->length));
    }
    return UploadCasFailure(row, p.id, p.claim_token, p.expected_offset);
  }

  Status Finish(const std::string& id, const std::string& token, const std::string& photo_id,
                Clock::time_point expires_at) override {
    if (photo_id.empty()) return Status::InvalidArgument("photo id is empty");
    const PgParam params[] = {id, token, photo_id, Millis(expires_at)};
    Result<PgResult> done = db_->Run(kFinish, params);
    if (!done.ok()) return done.status();
    if (done->AffectedRows() == 1) return Status::Ok();
    Result<UploadRecord> row = GetUpload(id);
    return UploadCasFailure(row, id, token, row.ok() ? row->length : 0);
  }

  Status Release(const std::string& id, const std::string& token) override {
    const PgParam params[] = {id, token};
    return db_->Run(kRelease, params).status();
  }

  Status DeleteUpload(const std::string& id, const std::string& token) override {
    const PgParam params[] = {id, token};
    Result<PgResult> done = db_->Run(kDelete, params);
    if (!done.ok()) return done.status();
    if (done->AffectedRows() == 1) return Status::Ok();
    Result<UploadRecord> row = GetUpload(id);
    return UploadCasFailure(row, id, token, row.ok() ? row->offset : 0);
  }

  Result<std::vector<UploadRecord>> ListExpiredUploads(Clock::time_point now, int limit) override {
    GALLERY_RETURN_IF_ERROR(CheckListLimit(limit));
    const PgParam params[] = {Millis(now), std::to_string(limit)};
    Result<PgResult> rows = db_->Run(kListExpired, params);
    if (!rows.ok()) return rows.status();
    std::vector<UploadRecord> out;
    for (int i = 0; i < rows->rows(); ++i) {
      Result<UploadRecord> u = ReadUpload(*rows, i);
      if (!u.ok()) return u.status();
      out.push_back(std::move(*u));
    }
    return out;
  }

 private:
  std::shared_ptr<PostgresDatabase> db_;
};

}  // namespace

std::unique_ptr<UploadStore> NewPostgresUploadStore(std::shared_ptr<PostgresDatabase> db) {
  return std::make_unique<PostgresUploadStore>(std::move(db));
}

}  // namespace gallery::db
