#include "db/postgres/pg_connection.hpp"

#include <poll.h>

#include <cerrno>
#include <charconv>
#include <vector>

namespace gallery::db {
namespace {

// libpq's messages span lines ("...failed: Connection refused\n\tIs the
// server running..."): make them one line for the logs.
std::string OneLine(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// Server notices (e.g. "relation already exists, skipping") would go to
// stderr; nothing in them needs attention.
void IgnoreNotice(void*, const char*) {}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::string PgResult::Text(int row, int column) const {
  return std::string(PQgetvalue(result_.get(), row, column),
                     static_cast<size_t>(PQgetlength(result_.get(), row, column)));
}

Result<int64_t> PgResult::Int64(int row, int column) const {
  const char* text = PQgetvalue(result_.get(), row, column);
  const char* end = text + PQgetlength(result_.get(), row, column);
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text, end, value);
  if (ec != std::errc() || ptr != end) {
    return Status::Internal("postgres: column " + std::string(PQfname(result_.get(), column)) +
                            " holds '" + std::string(text, end) + "', not an integer");
  }
  return value;
}

int64_t PgResult::AffectedRows() const {
  const char* text = PQcmdTuples(result_.get());
  int64_t value = 0;
  std::from_chars(text, text + std::char_traits<char>::length(text), value);
  return value;
}

Status PgError(std::string_view sqlstate, std::string_view server_message, bool connection_lost,
               std::string_view context) {
  std::string message = "postgres: " + std::string(context) + ": " + OneLine(server_message);
  if (!sqlstate.empty()) message += " (SQLSTATE " + std::string(sqlstate) + ")";
  ErrorCode code = ErrorCode::kInternal;
  if (sqlstate == "23505") {
    code = ErrorCode::kAlreadyExists;
  } else if (sqlstate == "23503") {
    code = ErrorCode::kConflict;
  } else if (StartsWith(sqlstate, "23") || StartsWith(sqlstate, "22")) {
    code = ErrorCode::kInvalidArgument;
  } else if (sqlstate == "57014" || sqlstate == "55P03") {
    code = ErrorCode::kTimeout;
  } else if (StartsWith(sqlstate, "08") || sqlstate == "57P01" || sqlstate == "57P02" ||
             sqlstate == "57P03" || sqlstate == "53300" || sqlstate == "40001" ||
             sqlstate == "40P01" || connection_lost) {
    code = ErrorCode::kUnavailable;
  }
  return {code, std::move(message)};
}

Result<std::unique_ptr<PgConnection>> PgConnection::Connect(
    const std::string& url, const std::string& target, PgDeadline deadline,
    std::chrono::milliseconds statement_timeout) {
  // Defaults first: settings in the URL (expanded from dbname) override them.
  const char* keywords[] = {"fallback_application_name",
                            "keepalives",
                            "keepalives_idle",
                            "keepalives_interval",
                            "keepalives_count",
                            "dbname",
                            nullptr};
  const char* values[] = {"gallery", "1", "30", "10", "3", url.c_str(), nullptr};
  PGconn* raw = PQconnectStartParams(keywords, values, /*expand_dbname=*/1);
  if (raw == nullptr) return Status::Unavailable("postgres: out of memory connecting");
  PQsetNoticeProcessor(raw, &IgnoreNotice, nullptr);
  std::unique_ptr<PgConnection> conn(new PgConnection(raw, target));
  const std::string context = "cannot connect to " + target;

  // The documented PQconnectPoll loop: start as if it had asked to write.
  PostgresPollingStatusType state =
      PQstatus(raw) == CONNECTION_BAD ? PGRES_POLLING_FAILED : PGRES_POLLING_WRITING;
  while (state != PGRES_POLLING_OK) {
    if (state == PGRES_POLLING_FAILED) {
      return Status::Unavailable("postgres: " + context + ": " + OneLine(PQerrorMessage(raw)));
    }
    if (!conn->WaitSocket(state == PGRES_POLLING_READING ? POLLIN : POLLOUT, deadline)) {
      return Status::Unavailable("postgres: " + context + ": no answer before the connect timeout");
    }
    state = PQconnectPoll(raw);
  }
  if (PQsetnonblocking(raw, 1) != 0) {
    return Status::Unavailable("postgres: " + context + ": " + OneLine(PQerrorMessage(raw)));
  }
  Result<PgResult> set =
      conn->Exec("SET statement_timeout = " + std::to_string(statement_timeout.count()), deadline);
  if (!set.ok()) return set.status();
  return conn;
}

PgConnection::~PgConnection() { PQfinish(conn_); }

bool PgConnection::WaitSocket(short events, PgDeadline deadline) {
  while (true) {
    int fd = PQsocket(conn_);
    if (fd < 0) return true;  // nothing to wait on: let libpq report the state
    auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, events, 0};
    int n = poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 1 << 30)));
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return true;  // let libpq's next call report it
  }
}

Status PgConnection::Lost(std::string_view context, std::string_view why) {
  broken_ = true;
  return Status::Unavailable("postgres: " + std::string(context) + " on " + target_ + ": " +
                             OneLine(why));
}

Result<PgResult> PgConnection::Finish(PgDeadline deadline, std::string_view context) {
  // Non-blocking mode: push the query out, reading meanwhile if asked to.
  while (true) {
    int flushed = PQflush(conn_);
    if (flushed == 0) break;
    if (flushed < 0) return Lost(context, PQerrorMessage(conn_));
    if (!WaitSocket(POLLIN | POLLOUT, deadline)) {
      return Lost(context, "the server did not take the query before the deadline");
    }
    if (PQconsumeInput(conn_) == 0) return Lost(context, PQerrorMessage(conn_));
  }
  // Collect every result; keep the first error, else the last result.
  std::optional<PgResult> last;
  std::optional<Status> error;
  while (true) {
    while (PQisBusy(conn_)) {
      if (!WaitSocket(POLLIN, deadline)) {
        // The protocol state is now unknown: the connection is dropped (the
        // server's statement_timeout ends the statement on its side).
        return Lost(context, "no answer before the deadline");
      }
      if (PQconsumeInput(conn_) == 0) return Lost(context, PQerrorMessage(conn_));
    }
    PGresult* raw = PQgetResult(conn_);
    if (raw == nullptr) break;
    PgResult result(raw);
    ExecStatusType status = PQresultStatus(raw);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
      last.emplace(std::move(result));
      continue;
    }
    if (!error) {
      const char* sqlstate = PQresultErrorField(raw, PG_DIAG_SQLSTATE);
      bool lost = PQstatus(conn_) == CONNECTION_BAD;
      error = PgError(sqlstate ? sqlstate : "", PQresultErrorMessage(raw), lost, context);
    }
    if (status != PGRES_FATAL_ERROR && status != PGRES_NONFATAL_ERROR) {
      broken_ = true;  // COPY or another mode this code never starts
      break;
    }
  }
  if (PQstatus(conn_) == CONNECTION_BAD) {
    broken_ = true;
    if (!error) return Lost(context, PQerrorMessage(conn_));
  }
  if (error) {
    if (error->code() == ErrorCode::kUnavailable) broken_ = true;
    return *error;
  }
  if (!last) return Status::Internal("postgres: " + std::string(context) + ": no result");
  return std::move(*last);
}

Result<PgResult> PgConnection::Exec(std::string_view sql, PgDeadline deadline) {
  std::string text(sql);
  if (PQsendQuery(conn_, text.c_str()) == 0) return Lost("sending a query", PQerrorMessage(conn_));
  return Finish(deadline, "query");
}

namespace {

std::vector<const char*> ParamPointers(std::span<const PgParam> params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const PgParam& p : params) values.push_back(p ? p->c_str() : nullptr);
  return values;
}

}  // namespace

Result<PgResult> PgConnection::ExecParams(std::string_view sql, std::span<const PgParam> params,
                                          PgDeadline deadline) {
  std::string text(sql);
  std::vector<const char*> values = ParamPointers(params);
  if (PQsendQueryParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr,
                        values.data(), nullptr, nullptr, 0) == 0) {
    return Lost("sending a query", PQerrorMessage(conn_));
  }
  return Finish(deadline, "query");
}

Result<PgResult> PgConnection::ExecPrepared(const PgStatement& statement,
                                            std::span<const PgParam> params, PgDeadline deadline) {
  if (!prepared_.contains(statement.name)) {
    if (PQsendPrepare(conn_, statement.name, statement.sql, 0, nullptr) == 0) {
      return Lost(statement.name, PQerrorMessage(conn_));
    }
    Result<PgResult> prepared = Finish(deadline, std::string("preparing ") + statement.name);
    if (!prepared.ok()) return prepared.status();
    prepared_.insert(statement.name);
  }
  std::vector<const char*> values = ParamPointers(params);
  if (PQsendQueryPrepared(conn_, statement.name, static_cast<int>(values.size()), values.data(),
                          nullptr, nullptr, 0) == 0) {
    return Lost(statement.name, PQerrorMessage(conn_));
  }
  return Finish(deadline, statement.name);
}

bool PgConnection::CheckAlive() {
  if (broken_ || PQstatus(conn_) != CONNECTION_OK || PQtransactionStatus(conn_) != PQTRANS_IDLE) {
    broken_ = true;
    return false;
  }
  // An idle connection has nothing to read unless the server sent something
  // on its own: a shutdown's FATAL message and EOF, or a notice.
  pollfd p{PQsocket(conn_), POLLIN, 0};
  if (poll(&p, 1, 0) > 0) {
    if (PQconsumeInput(conn_) == 0 || PQstatus(conn_) != CONNECTION_OK) {
      broken_ = true;
      return false;
    }
    // Drain anything parsed (libpq reports unsolicited errors as results).
    while (!PQisBusy(conn_)) {
      PGresult* stray = PQgetResult(conn_);
      if (stray == nullptr) break;
      PQclear(stray);
      broken_ = true;
    }
  }
  return !broken_;
}

}  // namespace gallery::db
