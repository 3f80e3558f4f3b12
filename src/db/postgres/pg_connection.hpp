#pragma once

// One libpq connection (RAII) that never blocks past a deadline: connecting,
// sending and waiting for results all go through poll() on the socket, so a
// server that stops answering (or a network that drops packets) costs at
// most the caller's deadline. Also the one place where libpq errors and
// SQLSTATEs become Status.

#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>

#include "common/status.hpp"

namespace gallery::db {

using PgDeadline = std::chrono::steady_clock::time_point;

// A query parameter in text form; nullopt is SQL NULL.
using PgParam = std::optional<std::string>;

// A statement prepared once per connection under `name`.
struct PgStatement {
  const char* name;
  const char* sql;  // $1, $2, ... parameters; types are inferred by the server
};

// A successful result (RAII over PGresult).
class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result, &PQclear) {}

  int rows() const { return PQntuples(result_.get()); }
  bool IsNull(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  std::string Text(int row, int column) const;
  // kInternal when the value is not an integer.
  Result<int64_t> Int64(int row, int column) const;
  // Rows affected by INSERT/UPDATE/DELETE.
  int64_t AffectedRows() const;

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> result_;
};

// Maps an error to the error model:
//   23505 unique_violation                        -> kAlreadyExists
//   23503 foreign_key_violation                   -> kConflict
//   other class 23, class 22 (bad data)           -> kInvalidArgument
//   57014 query_canceled (statement_timeout), 55P03 lock_not_available -> kTimeout
//   class 08 (connection), 57P01-57P03 (shutdown), 53300 (too many
//   connections), 40001/40P01 (retry), no SQLSTATE with the connection lost
//                                                 -> kUnavailable
//   anything else                                 -> kInternal
// The message (internal only) holds `context`, the server's message and the
// SQLSTATE.
Status PgError(std::string_view sqlstate, std::string_view server_message, bool connection_lost,
               std::string_view context);

// Not thread-safe: used by one thread at a time (the pool ensures it).
class PgConnection final {
 public:
  // Connects to `url` (postgres://...) before `deadline` and sets the
  // session's statement_timeout, so the server abandons any statement that
  // runs longer. TCP keepalives are on, so a peer that vanished is noticed
  // on idle connections too. kUnavailable on any failure, naming `target`
  // (the server, never the password).
  static Result<std::unique_ptr<PgConnection>> Connect(const std::string& url,
                                                       const std::string& target,
                                                       PgDeadline deadline,
                                                       std::chrono::milliseconds statement_timeout);

  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Simple-query protocol: `sql` may hold several statements (migrations);
  // returns the last statement's result, or the first error.
  Result<PgResult> Exec(std::string_view sql, PgDeadline deadline);

  // Extended protocol with text parameters, unnamed statement.
  Result<PgResult> ExecParams(std::string_view sql, std::span<const PgParam> params,
                              PgDeadline deadline);

  // Runs `statement`, preparing it on this connection on first use.
  Result<PgResult> ExecPrepared(const PgStatement& statement, std::span<const PgParam> params,
                                PgDeadline deadline);

  // Whether the connection can take a query now: not broken, idle, and the
  // server has not closed it (checked without blocking: a server that shut
  // down or restarted has sent a FATAL message and closed the socket).
  bool CheckAlive();

  // Set once the connection is unusable: lost, timed out mid-query (the
  // protocol state is unknown), or in an unexpected state. The pool then
  // drops it and opens a new one.
  bool broken() const { return broken_; }

 private:
  PgConnection(PGconn* conn, std::string target) : conn_(conn), target_(std::move(target)) {}

  // Waits until the socket is ready for `events` (POLLIN/POLLOUT) or the
  // deadline passes. false on timeout.
  bool WaitSocket(short events, PgDeadline deadline);
  // Sends what libpq buffered, then collects every result of the query.
  Result<PgResult> Finish(PgDeadline deadline, std::string_view context);
  // Marks the connection broken and returns kUnavailable.
  Status Lost(std::string_view context, std::string_view why);

  PGconn* conn_;
  std::string target_;  // "database D on host:port" for messages
  bool broken_ = false;
  std::unordered_set<std::string> prepared_;  // statement names
};

}  // namespace gallery::db
