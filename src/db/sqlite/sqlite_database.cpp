#include "db/sqlite/sqlite_database.hpp"

#include <chrono>
#include <map>
#include <thread>
#include <utility>

#include "common/time.hpp"
#include "db/migrations.hpp"

namespace gallery::db {
namespace {

// Readers served at once; more wait for one to come back. Reads are short
// index lookups, so a few cover the blocking pool's threads.
constexpr int kReaderConnections = 4;

// Applies migrations through the writer connection. BEGIN IMMEDIATE takes
// the write lock first, so two processes opening a new file at once apply
// each migration once: the second finds it recorded and does nothing.
class SqliteMigrationTarget final : public MigrationTarget {
 public:
  explicit SqliteMigrationTarget(SqliteConnection* conn) : conn_(conn) {}

  Result<std::map<int, std::string>> AppliedMigrations() override {
    GALLERY_RETURN_IF_ERROR(
        conn_->Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " version INTEGER NOT NULL PRIMARY KEY,"
                    " name TEXT NOT NULL,"
                    " applied_at_ms INTEGER NOT NULL) STRICT"));
    Result<SqliteStatement> stmt = conn_->Prepare("SELECT version, name FROM schema_migrations");
    if (!stmt.ok()) return stmt.status();
    std::map<int, std::string> applied;
    while (true) {
      Result<bool> row = stmt->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      applied[static_cast<int>(stmt->Int64(0))] = stmt->Text(1);
    }
    return applied;
  }

  // A file starting with kForeignKeysOff rebuilds a table that others
  // reference (SQLite's 12-step ALTER procedure): foreign keys are off while
  // it runs, since dropping the old table would cascade, and are checked as
  // a whole before the commit. The pragma is a no-op inside a transaction,
  // hence around it.
  Status Apply(const Migration& migration) override {
    static constexpr std::string_view kForeignKeysOff = "-- gallery: foreign-keys-off";
    const bool keys_off = migration.sql.starts_with(kForeignKeysOff);
    if (keys_off) GALLERY_RETURN_IF_ERROR(conn_->Exec("PRAGMA foreign_keys = OFF"));
    Status s = ApplyAtomically(migration, keys_off);
    if (keys_off) {
      Status on = conn_->Exec("PRAGMA foreign_keys = ON");
      if (s.ok()) s = on;
    }
    return s;
  }

 private:
  Status ApplyAtomically(const Migration& migration, bool check_foreign_keys) {
    GALLERY_RETURN_IF_ERROR(conn_->Exec("BEGIN IMMEDIATE"));
    Status s = ApplyInTransaction(migration);
    if (s.ok() && check_foreign_keys) s = CheckForeignKeys(migration);
    if (!s.ok()) {
      (void)conn_->Exec("ROLLBACK");  // the first error is the one to report
      return s;
    }
    return conn_->Exec("COMMIT");
  }

  Status CheckForeignKeys(const Migration& migration) {
    Result<SqliteStatement> check = conn_->Prepare("PRAGMA foreign_key_check");
    if (!check.ok()) return check.status();
    Result<bool> violation = check->Step();
    if (!violation.ok()) return violation.status();
    if (*violation) {
      return Status::Internal("migration " + std::string(migration.name) +
                              " leaves a broken foreign key in table " + check->Text(0));
    }
    return Status::Ok();
  }

  Status ApplyInTransaction(const Migration& migration) {
    {
      Result<SqliteStatement> check =
          conn_->Prepare("SELECT 1 FROM schema_migrations WHERE version = ?1");
      if (!check.ok()) return check.status();
      check->Bind(1, int64_t{migration.version});
      Result<bool> recorded = check->Step();
      if (!recorded.ok()) return recorded.status();
      if (*recorded) return Status::Ok();  // another process applied it meanwhile
    }
    GALLERY_RETURN_IF_ERROR(conn_->Exec(migration.sql));
    Result<SqliteStatement> record = conn_->Prepare(
        "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?1, ?2, ?3)");
    if (!record.ok()) return record.status();
    record->Bind(1, int64_t{migration.version});
    record->Bind(2, migration.name);
    record->Bind(3, ToUnixMillis(Clock::now()));
    Result<bool> done = record->Step();
    return done.status();
  }

  SqliteConnection* conn_;
};

}  // namespace

SqliteDatabase::ReaderLease::ReaderLease(SqliteDatabase* db) : db_(db) {
  std::unique_lock<std::mutex> lock(db_->readers_mu_);
  db_->reader_returned_.wait(lock, [this] { return !db_->idle_readers_.empty(); });
  conn_ = std::move(db_->idle_readers_.back());
  db_->idle_readers_.pop_back();
}

SqliteDatabase::ReaderLease::~ReaderLease() {
  {
    std::lock_guard<std::mutex> lock(db_->readers_mu_);
    db_->idle_readers_.push_back(std::move(conn_));
  }
  db_->reader_returned_.notify_one();
}

Status SqliteDatabase::WriteTransaction(const std::function<Status(SqliteConnection&)>& body) {
  WriterLock writer(this);
  GALLERY_RETURN_IF_ERROR(writer->Exec("BEGIN IMMEDIATE"));
  Status s = body(*writer);
  if (s.ok()) s = writer->Exec("COMMIT");
  if (!s.ok()) {
    (void)writer->Exec("ROLLBACK");  // the first error is the one to report
    return s;
  }
  return Status::Ok();
}

Result<std::shared_ptr<SqliteDatabase>> OpenSqliteDatabase(const std::string& path) {
  Result<std::unique_ptr<SqliteConnection>> writer =
      SqliteConnection::Open(path, SqliteConnection::Role::kWriter);
  if (!writer.ok()) return writer.status();
  {
    // WAL is a property of the file: set once here, every later connection
    // (and process) uses it. When several connections open a new file at
    // once, SQLite answers BUSY at once (without the busy handler, to avoid
    // a deadlock between two SHARED locks both wanting EXCLUSIVE): retry
    // for as long as the busy timeout.
    const auto deadline = std::chrono::steady_clock::now() + kSqliteBusyTimeout;
    for (int attempt = 0;; ++attempt) {
      Result<SqliteStatement> wal = (*writer)->Prepare("PRAGMA journal_mode = WAL");
      if (!wal.ok()) return wal.status().WithContext(path);
      Result<bool> row = wal->Step();
      if (!row.ok()) {
        if (row.code() == ErrorCode::kUnavailable && std::chrono::steady_clock::now() < deadline) {
          std::this_thread::sleep_for(std::chrono::milliseconds(5 + 5 * std::min(attempt, 10)));
          continue;
        }
        return row.status().WithContext(path);
      }
      if (!*row || wal->Text(0) != "wal") {
        return Status::IoError("sqlite: " + path + ": cannot use WAL mode (journal_mode is " +
                               (*row ? wal->Text(0) : std::string("unknown")) + ")");
      }
      break;
    }
  }
  SqliteMigrationTarget target(writer->get());
  Status migrated = RunMigrations(SqliteMigrations(), target);
  if (!migrated.ok()) return migrated.WithContext(path);

  std::vector<std::unique_ptr<SqliteConnection>> readers;
  for (int i = 0; i < kReaderConnections; ++i) {
    Result<std::unique_ptr<SqliteConnection>> reader =
        SqliteConnection::Open(path, SqliteConnection::Role::kReader);
    if (!reader.ok()) return reader.status();
    readers.push_back(std::move(*reader));
  }
  return std::make_shared<SqliteDatabase>(std::move(*writer), std::move(readers));
}

}  // namespace gallery::db
