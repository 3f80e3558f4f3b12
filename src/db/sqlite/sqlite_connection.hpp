#pragma once

// One SQLite connection (RAII) with its cache of prepared statements, and the
// one place where SQLite result codes become Status.

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.hpp"

namespace gallery::db {

// How long a statement waits for another connection's write lock before
// failing with kUnavailable.
inline constexpr std::chrono::milliseconds kSqliteBusyTimeout{5000};

// Maps a SQLite (extended) result code to the error model:
//   unique / primary key constraint   -> kAlreadyExists
//   foreign key constraint            -> kConflict
//   other constraints (check, ...)    -> kInvalidArgument
//   BUSY / LOCKED (after the timeout) -> kUnavailable
//   I/O, full disk, cannot open, read-only, corrupt, not a database -> kIoError
//   anything else                     -> kInternal
// The message (internal only) holds `context`, SQLite's message and the code.
Status SqliteError(int rc, sqlite3* db, std::string_view context);

// A cached prepared statement lent out by SqliteConnection::Prepare. Bind,
// then Step until it returns false; the statement is reset (its read
// snapshot released) and its bindings cleared when this object goes away.
class SqliteStatement final {
 public:
  SqliteStatement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&&) = delete;
  SqliteStatement(const SqliteStatement&) = delete;
  ~SqliteStatement();

  // Parameters count from 1. A failed bind is reported by the next Step.
  void Bind(int index, std::string_view text);
  void Bind(int index, int64_t value);
  void BindNull(int index);

  // true: a row is ready to read; false: the statement has finished.
  Result<bool> Step();

  // Columns of the current row, counting from 0.
  bool IsNull(int column) const;
  int64_t Int64(int column) const;
  std::string Text(int column) const;

 private:
  void NoteBind(int rc);

  sqlite3_stmt* stmt_;  // owned by the connection's cache; null once moved from
  sqlite3* db_;
  int bind_rc_ = SQLITE_OK;
};

// Not thread-safe: used by one thread at a time (the store's mutex and reader
// pool ensure it). Opened in SQLite's multi-thread mode for that reason.
class SqliteConnection final {
 public:
  enum class Role {
    kWriter,  // may write
    kReader,  // PRAGMA query_only: a write through it is a bug and fails
  };

  // Opens `path`, creating the file if needed (not its directory), and sets
  // extended result codes, busy_timeout, foreign_keys and synchronous=FULL.
  // kIoError when the file cannot be opened or is not a database.
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path, Role role);

  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // Runs `sql` (one or more statements), discarding any rows.
  Status Exec(std::string_view sql);

  // The prepared statement for `sql`, compiled on first use and then reused.
  // At most one SqliteStatement per `sql` may be alive at a time.
  Result<SqliteStatement> Prepare(std::string_view sql);

  // Rows changed by the last INSERT/UPDATE/DELETE.
  int64_t Changes() const;

  sqlite3* handle() const { return db_; }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace gallery::db
