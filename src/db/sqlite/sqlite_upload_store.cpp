// UploadStore over SQLite: see upload_store.hpp for the contract and
// sqlite_database.hpp for the connections. Every compare-and-set runs in one
// BEGIN IMMEDIATE transaction together with the read that explains a
// failure, so within one file the reason given is exact.

#include <string>
#include <utility>

#include "common/time.hpp"
#include "db/photo_checks.hpp"
#include "db/sqlite/sqlite_database.hpp"
#include "db/sqlite/sqlite_statements.hpp"
#include "db/upload_store_checks.hpp"

namespace gallery::db {
namespace {

#define UPLOAD_COLUMNS                                                            \
  "id, owner_id, length_bytes, offset_bytes, filename, staging_state, photo_id, " \
  "created_at_ms, expires_at_ms, claim_token, claimed_until_ms"

constexpr std::string_view kInsertUpload =
    "INSERT INTO uploads (" UPLOAD_COLUMNS
    ") VALUES (?1, ?2, ?3, 0, ?4, ?5, NULL, ?6, ?7, NULL, NULL)";
constexpr std::string_view kGetUpload = "SELECT " UPLOAD_COLUMNS " FROM uploads WHERE id = ?1";
constexpr std::string_view kCountUnfinished =
    "SELECT count(*) FROM uploads WHERE owner_id = ?1 AND photo_id IS NULL";
constexpr std::string_view kClaim =
    "UPDATE uploads SET claim_token = ?2, claimed_until_ms = ?3"
    " WHERE id = ?1 AND (claim_token IS NULL OR claimed_until_ms <= ?4)"
    " AND (?5 IS NULL OR offset_bytes = ?5)";
constexpr std::string_view kAdvance =
    "UPDATE uploads SET offset_bytes = ?4, staging_state = ?5, expires_at_ms = ?6,"
    " claimed_until_ms = ?7"
    " WHERE id = ?1 AND claim_token = ?2 AND offset_bytes = ?3 AND ?4 <= length_bytes";
constexpr std::string_view kFinish =
    "UPDATE uploads SET photo_id = ?3, expires_at_ms = ?4, claim_token = NULL,"
    " claimed_until_ms = NULL"
    " WHERE id = ?1 AND claim_token = ?2 AND offset_bytes = length_bytes";
constexpr std::string_view kRelease =
    "UPDATE uploads SET claim_token = NULL, claimed_until_ms = NULL"
    " WHERE id = ?1 AND claim_token = ?2";
constexpr std::string_view kDelete = "DELETE FROM uploads WHERE id = ?1 AND claim_token = ?2";
constexpr std::string_view kListExpired = "SELECT " UPLOAD_COLUMNS
                                          " FROM uploads WHERE expires_at_ms <= ?1"
                                          " ORDER BY expires_at_ms, id LIMIT ?2";

#undef UPLOAD_COLUMNS

UploadRecord ReadUpload(const SqliteStatement& row) {
  UploadRecord u;
  u.id = row.Text(0);
  u.owner_id = row.Text(1);
  u.length = static_cast<uint64_t>(row.Int64(2));
  u.offset = static_cast<uint64_t>(row.Int64(3));
  u.filename = row.Text(4);
  u.staging_state = row.Text(5);
  if (!row.IsNull(6)) u.photo_id = row.Text(6);
  u.created_at = FromUnixMillis(row.Int64(7));
  u.expires_at = FromUnixMillis(row.Int64(8));
  if (!row.IsNull(9)) u.claim_token = row.Text(9);
  if (!row.IsNull(10)) u.claimed_until = FromUnixMillis(row.Int64(10));
  return u;
}

int64_t Signed(uint64_t n) { return static_cast<int64_t>(n); }

class SqliteUploadStore final : public UploadStore {
 public:
  explicit SqliteUploadStore(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}

  Status CreateUpload(const UploadRecord& u) override {
    GALLERY_RETURN_IF_ERROR(CheckUploadForCreate(u));
    SqliteDatabase::WriterLock writer(db_.get());
    Status s = SqliteRun(*writer, kInsertUpload, [&](SqliteStatement& st) {
                 st.Bind(1, u.id);
                 st.Bind(2, u.owner_id);
                 st.Bind(3, Signed(u.length));
                 st.Bind(4, u.filename);
                 st.Bind(5, u.staging_state);
                 st.Bind(6, ToUnixMillis(u.created_at));
                 st.Bind(7, ToUnixMillis(u.expires_at));
               }).status();
    if (s.code() == ErrorCode::kConflict) return Status::NotFound("user " + u.owner_id);
    return s;
  }

  Result<UploadRecord> GetUpload(const std::string& id) override {
    SqliteDatabase::ReaderLease reader(db_.get());
    return Get(*reader, id);
  }

  Result<int64_t> CountUnfinishedUploads(const std::string& owner_id) override {
    SqliteDatabase::ReaderLease reader(db_.get());
    Result<std::optional<int64_t>> n = SqliteQueryInt(
        *reader, kCountUnfinished, [&](SqliteStatement& st) { st.Bind(1, owner_id); });
    if (!n.ok()) return n.status();
    return n->value_or(0);
  }

  Result<UploadRecord> Claim(const std::string& id, const std::string& token,
                             std::optional<uint64_t> expected_offset, Clock::time_point now,
                             Clock::time_point until) override {
    GALLERY_RETURN_IF_ERROR(CheckClaim(token, now, until));
    Result<UploadRecord> claimed = Status::Internal("unset");
    GALLERY_RETURN_IF_ERROR(db_->WriteTransaction([&](SqliteConnection& conn) -> Status {
      Result<int64_t> n = SqliteRun(conn, kClaim, [&](SqliteStatement& st) {
        st.Bind(1, id);
        st.Bind(2, token);
        st.Bind(3, ToUnixMillis(until));
        st.Bind(4, ToUnixMillis(now));
        if (expected_offset) {
          st.Bind(5, Signed(*expected_offset));
        } else {
          st.BindNull(5);
        }
      });
      if (!n.ok()) return n.status();
      claimed = Get(conn, id);
      if (!claimed.ok() || *n == 1) return claimed.status();
      // Nothing changed: say why.
      if (claimed->claim_token && claimed->claimed_until && *claimed->claimed_until > now) {
        claimed = Status(ErrorCode::kLocked, "upload " + id + " is claimed by another request");
      } else {
        claimed = Status(ErrorCode::kConflict, "upload " + id + ": offset is " +
                                                   std::to_string(claimed->offset) + ", not " +
                                                   std::to_string(expected_offset.value_or(0)));
      }
      return Status::Ok();  // nothing was written: commit or roll back alike
    }));
    return claimed;
  }

  Status Advance(const UploadProgress& p) override {
    GALLERY_RETURN_IF_ERROR(CheckProgress(p));
    return db_->WriteTransaction([&](SqliteConnection& conn) -> Status {
      Result<int64_t> n = SqliteRun(conn, kAdvance, [&](SqliteStatement& st) {
        st.Bind(1, p.id);
        st.Bind(2, p.claim_token);
        st.Bind(3, Signed(p.expected_offset));
        st.Bind(4, Signed(p.new_offset));
        st.Bind(5, p.staging_state);
        st.Bind(6, ToUnixMillis(p.expires_at));
        st.Bind(7, ToUnixMillis(p.claimed_until));
      });
      if (!n.ok()) return n.status();
      if (*n == 1) return Status::Ok();
      Result<UploadRecord> row = Get(conn, p.id);
      if (row.ok() && p.new_offset > row->length) {
        return Status::InvalidArgument("upload " + p.id + ": offset " +
                                       std::to_string(p.new_offset) + " is past its length " +
                                       std::to_string(row->length));
      }
      return UploadCasFailure(row, p.id, p.claim_token, p.expected_offset);
    });
  }

  Status Finish(const std::string& id, const std::string& token, const std::string& photo_id,
                Clock::time_point expires_at) override {
    if (photo_id.empty()) return Status::InvalidArgument("photo id is empty");
    return db_->WriteTransaction([&](SqliteConnection& conn) -> Status {
      Result<int64_t> n = SqliteRun(conn, kFinish, [&](SqliteStatement& st) {
        st.Bind(1, id);
        st.Bind(2, token);
        st.Bind(3, photo_id);
        st.Bind(4, ToUnixMillis(expires_at));
      });
      if (!n.ok()) return n.status();
      if (*n == 1) return Status::Ok();
      Result<UploadRecord> row = Get(conn, id);
      return UploadCasFailure(row, id, token, row.ok() ? row->length : 0);
    });
  }

  Status Release(const std::string& id, const std::string& token) override {
    SqliteDatabase::WriterLock writer(db_.get());
    return SqliteRun(*writer, kRelease,
                     [&](SqliteStatement& st) {
                       st.Bind(1, id);
                       st.Bind(2, token);
                     })
        .status();
  }

  Status DeleteUpload(const std::string& id, const std::string& token) override {
    return db_->WriteTransaction([&](SqliteConnection& conn) -> Status {
      Result<int64_t> n = SqliteRun(conn, kDelete, [&](SqliteStatement& st) {
        st.Bind(1, id);
        st.Bind(2, token);
      });
      if (!n.ok()) return n.status();
      if (*n == 1) return Status::Ok();
      Result<UploadRecord> row = Get(conn, id);
      return UploadCasFailure(row, id, token, row.ok() ? row->offset : 0);
    });
  }

  Result<std::vector<UploadRecord>> ListExpiredUploads(Clock::time_point now, int limit) override {
    GALLERY_RETURN_IF_ERROR(CheckListLimit(limit));
    SqliteDatabase::ReaderLease reader(db_.get());
    Result<SqliteStatement> stmt = reader->Prepare(kListExpired);
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, ToUnixMillis(now));
    stmt->Bind(2, int64_t{limit});
    std::vector<UploadRecord> out;
    while (true) {
      Result<bool> row = stmt->Step();
      if (!row.ok()) return row.status();
      if (!*row) return out;
      out.push_back(ReadUpload(*stmt));
    }
  }

 private:
  static Result<UploadRecord> Get(SqliteConnection& conn, const std::string& id) {
    return SqliteQueryOne(
        conn, kGetUpload, "upload " + id, [&](SqliteStatement& st) { st.Bind(1, id); }, ReadUpload);
  }

  std::shared_ptr<SqliteDatabase> db_;
};

}  // namespace

std::unique_ptr<UploadStore> NewSqliteUploadStore(std::shared_ptr<SqliteDatabase> db) {
  return std::make_unique<SqliteUploadStore>(std::move(db));
}

}  // namespace gallery::db
