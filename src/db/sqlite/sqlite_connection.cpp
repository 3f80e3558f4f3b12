#include "db/sqlite/sqlite_connection.hpp"

#include <utility>

namespace gallery::db {

Status SqliteError(int rc, sqlite3* db, std::string_view context) {
  std::string message = "sqlite: " + std::string(context) + ": ";
  // sqlite3_errmsg describes the most recent failure on `db`, which is `rc`
  // as long as nothing ran on the connection in between.
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  message += " (code " + std::to_string(rc) + ")";
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return {ErrorCode::kAlreadyExists, std::move(message)};
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return {ErrorCode::kConflict, std::move(message)};
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
      return {ErrorCode::kInvalidArgument, std::move(message)};
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return {ErrorCode::kUnavailable, std::move(message)};
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_PROTOCOL:
      return {ErrorCode::kIoError, std::move(message)};
    default:
      return {ErrorCode::kInternal, std::move(message)};
  }
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), db_(other.db_), bind_rc_(other.bind_rc_) {}

SqliteStatement::~SqliteStatement() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void SqliteStatement::NoteBind(int rc) {
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void SqliteStatement::Bind(int index, std::string_view text) {
  NoteBind(
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
}

void SqliteStatement::Bind(int index, int64_t value) {
  NoteBind(sqlite3_bind_int64(stmt_, index, value));
}

void SqliteStatement::BindNull(int index) { NoteBind(sqlite3_bind_null(stmt_, index)); }

Result<bool> SqliteStatement::Step() {
  if (bind_rc_ != SQLITE_OK) return SqliteError(bind_rc_, db_, "binding a parameter");
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(rc, db_, sqlite3_sql(stmt_));
}

bool SqliteStatement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t SqliteStatement::Int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string SqliteStatement::Text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (text == nullptr) return {};
  return std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path,
                                                                 Role role) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status status = SqliteError(rc, db, "opening " + path);
    sqlite3_close_v2(db);  // a handle is returned even on failure
    return status;
  }
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, static_cast<int>(kSqliteBusyTimeout.count()));
  // synchronous=FULL: in WAL mode this syncs the log at every commit, so a
  // photo whose upload was answered 201 survives a power cut or kernel crash
  // (NORMAL would only survive a process crash). One fsync per upload is
  // small next to decoding and encoding the image, and the blobs are synced
  // anyway.
  std::string setup = "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;";
  if (role == Role::kReader) setup += " PRAGMA query_only = ON;";
  Status s = conn->Exec(setup);
  if (!s.ok()) return s.WithContext(path);
  return conn;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Status SqliteConnection::Exec(std::string_view sql) {
  std::string text(sql);  // sqlite3_exec wants a terminated string
  char* error = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  sqlite3_free(error);  // the same text as sqlite3_errmsg, used below
  if (rc != SQLITE_OK) return SqliteError(rc, db_, "executing SQL");
  return Status::Ok();
}

Result<SqliteStatement> SqliteConnection::Prepare(std::string_view sql) {
  auto it = statements_.find(std::string(sql));
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteError(rc, db_, "preparing " + std::string(sql));
    it = statements_.emplace(std::string(sql), stmt).first;
  }
  return SqliteStatement(it->second, db_);
}

int64_t SqliteConnection::Changes() const { return sqlite3_changes64(db_); }

}  // namespace gallery::db
