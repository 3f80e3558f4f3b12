#include "db/postgres/postgres_database.hpp"

#include <map>
#include <utility>

#include "db/migrations.hpp"

namespace gallery::db {
namespace {

using std::chrono::steady_clock;

// Past the server's statement_timeout, how long the client still waits for
// an answer before it declares the server gone. The server's own timeout
// normally fires first and leaves the connection usable.
constexpr std::chrono::milliseconds kClientGrace{1000};

// Key of the session advisory lock held while migrating ("gallery!").
constexpr int64_t kMigrationLockKey = 0x67616c6c65727921;

// "database D on host:port as user": what messages name (no password).
Result<std::string> DescribeTarget(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    std::string why = error ? error : "out of memory";
    PQfreemem(error);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    return Status::InvalidArgument("postgres url is not valid: " + why);
  }
  std::map<std::string, std::string> values;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val != nullptr) values[o->keyword] = o->val;
  }
  PQconninfoFree(options);
  std::string host = values.count("host") ? values["host"] : "localhost";
  std::string port = values.count("port") ? values["port"] : "5432";
  std::string target = "database " + (values.count("dbname") ? values["dbname"] : "(default)") +
                       " on " + host + ":" + port;
  if (values.count("user")) target += " as " + values["user"];
  return target;
}

Status ValidateOptions(const PostgresOptions& o) {
  if (o.url.rfind("postgres://", 0) != 0 && o.url.rfind("postgresql://", 0) != 0) {
    return Status::InvalidArgument("postgres url must start with postgres:// or postgresql://");
  }
  if (o.pool_size < 1 || o.pool_size > 1000) {
    return Status::InvalidArgument("postgres pool_size must be 1..1000, not " +
                                   std::to_string(o.pool_size));
  }
  const std::pair<const char*, std::chrono::milliseconds> timeouts[] = {
      {"connect_timeout", o.connect_timeout},
      {"statement_timeout", o.statement_timeout},
      {"acquire_timeout", o.acquire_timeout},
      {"migration_timeout", o.migration_timeout}};
  for (const auto& [name, value] : timeouts) {
    if (value.count() < 1 || value > std::chrono::hours(24)) {
      return Status::InvalidArgument(std::string("postgres ") + name +
                                     " must be between 1 ms and 24 h");
    }
  }
  return Status::Ok();
}

// Applies migrations on one connection that holds the advisory lock.
class PgMigrationTarget final : public MigrationTarget {
 public:
  PgMigrationTarget(PgConnection* conn, PgDeadline deadline) : conn_(conn), deadline_(deadline) {}

  Result<std::map<int, std::string>> AppliedMigrations() override {
    Result<PgResult> created = conn_->Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER NOT NULL PRIMARY KEY,"
        " name TEXT NOT NULL,"
        " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
        deadline_);
    if (!created.ok()) return created.status();
    Result<PgResult> rows = conn_->Exec("SELECT version, name FROM schema_migrations", deadline_);
    if (!rows.ok()) return rows.status();
    std::map<int, std::string> applied;
    for (int i = 0; i < rows->rows(); ++i) {
      Result<int64_t> version = rows->Int64(i, 0);
      if (!version.ok()) return version.status();
      applied[static_cast<int>(*version)] = rows->Text(i, 1);
    }
    return applied;
  }

  Status Apply(const Migration& migration) override {
    Result<PgResult> begun = conn_->Exec("BEGIN", deadline_);
    if (!begun.ok()) return begun.status();
    Status s = ApplyInTransaction(migration);
    if (!s.ok()) {
      (void)conn_->Exec("ROLLBACK", deadline_);  // the first error is the one to report
      return s;
    }
    return conn_->Exec("COMMIT", deadline_).status();
  }

 private:
  Status ApplyInTransaction(const Migration& migration) {
    // Under the advisory lock nobody else migrates, but a check inside the
    // transaction keeps Apply's contract on its own.
    const PgParam version[] = {std::to_string(migration.version)};
    Result<PgResult> recorded =
        conn_->ExecParams("SELECT 1 FROM schema_migrations WHERE version = $1", version, deadline_);
    if (!recorded.ok()) return recorded.status();
    if (recorded->rows() > 0) return Status::Ok();
    Result<PgResult> ran = conn_->Exec(migration.sql, deadline_);
    if (!ran.ok()) return ran.status();
    const PgParam record[] = {std::to_string(migration.version), std::string(migration.name)};
    return conn_
        ->ExecParams("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", record,
                     deadline_)
        .status();
  }

  PgConnection* conn_;
  PgDeadline deadline_;
};

Status Migrate(const PostgresOptions& options, const std::string& target) {
  const PgDeadline deadline = steady_clock::now() + options.migration_timeout;
  Result<std::unique_ptr<PgConnection>> conn =
      PgConnection::Connect(options.url, target, steady_clock::now() + options.connect_timeout,
                            options.migration_timeout);
  if (!conn.ok()) return conn.status();
  // Session lock: released by the unlock below, or by the server if this
  // process dies mid-way. Other instances wait here, then find nothing to do.
  const PgParam key[] = {std::to_string(kMigrationLockKey)};
  Result<PgResult> locked = (*conn)->ExecParams("SELECT pg_advisory_lock($1)", key, deadline);
  if (!locked.ok()) return locked.status().WithContext("waiting for the migration lock");
  PgMigrationTarget migration_target(conn->get(), deadline);
  Status migrated = RunMigrations(PostgresMigrations(), migration_target);
  if (!migrated.ok()) return migrated;  // closing the connection releases the lock
  return (*conn)->ExecParams("SELECT pg_advisory_unlock($1)", key, deadline).status();
}

}  // namespace

Result<PgResult> PostgresDatabase::Run(const PgStatement& statement,
                                       std::span<const PgParam> params) {
  Result<PgPool::Lease> conn = pool_.Acquire();
  if (!conn.ok()) return conn.status();
  PgDeadline deadline = steady_clock::now() + pool_.options().statement_timeout + kClientGrace;
  return (*conn)->ExecPrepared(statement, params, deadline);
}

Result<PgResult> PostgresDatabase::Transaction::Run(const PgStatement& statement,
                                                    std::span<const PgParam> params) {
  return conn_->ExecPrepared(statement, params, steady_clock::now() + statement_budget_);
}

Status PostgresDatabase::InTransaction(const std::function<Status(Transaction&)>& body) {
  Result<PgPool::Lease> conn = pool_.Acquire();
  if (!conn.ok()) return conn.status();
  const std::chrono::milliseconds budget = pool_.options().statement_timeout + kClientGrace;
  PgConnection* c = conn->operator->();
  GALLERY_RETURN_IF_ERROR(c->Exec("BEGIN", steady_clock::now() + budget).status());
  Transaction tx(c, budget);
  Status s = body(tx);
  if (s.ok()) s = c->Exec("COMMIT", steady_clock::now() + budget).status();
  if (!s.ok()) {
    // The first error is the one to report. A connection whose rollback
    // failed is not idle, so the pool drops it instead of reusing it.
    if (!c->broken()) (void)c->Exec("ROLLBACK", steady_clock::now() + budget);
    return s;
  }
  return Status::Ok();
}

Result<std::shared_ptr<PostgresDatabase>> OpenPostgresDatabase(const PostgresOptions& options) {
  GALLERY_RETURN_IF_ERROR(ValidateOptions(options));
  Result<std::string> target = DescribeTarget(options.url);
  if (!target.ok()) return target.status();
  GALLERY_RETURN_IF_ERROR(Migrate(options, *target));
  PgPoolOptions pool;
  pool.url = options.url;
  pool.target = *target;
  pool.size = options.pool_size;
  pool.connect_timeout = options.connect_timeout;
  pool.statement_timeout = options.statement_timeout;
  pool.acquire_timeout = options.acquire_timeout;
  return std::make_shared<PostgresDatabase>(std::move(pool));
}

}  // namespace gallery::db
