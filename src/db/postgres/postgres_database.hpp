#pragma once

// One PostgreSQL database and every store over it. The composition root
// opens the database once (one connection pool, one migration run) and
// makes each store from the same handle:
//
//   Result<std::shared_ptr<PostgresDatabase>> db = OpenPostgresDatabase(options);
//   std::unique_ptr<MetadataStore> photos = NewPostgresMetadataStore(*db);
//   std::unique_ptr<UserStore> users = NewPostgresUserStore(*db);
//   std::unique_ptr<AlbumStore> albums = NewPostgresAlbumStore(*db);
//   std::unique_ptr<ShareStore> shares = NewPostgresShareStore(*db);
//   std::unique_ptr<UploadStore> uploads = NewPostgresUploadStore(*db);
//
// Each store shares ownership of the handle, so they may be destroyed in any
// order.

#include <functional>
#include <memory>
#include <span>

#include "common/status.hpp"
#include "db/album_store.hpp"
#include "db/metadata_store.hpp"
#include "db/postgres/pg_connection.hpp"
#include "db/postgres/pg_pool.hpp"
#include "db/postgres/postgres_metadata_store.hpp"  // PostgresOptions
#include "db/share_store.hpp"
#include "db/upload_store.hpp"
#include "db/user_store.hpp"

namespace gallery::db {

// The pool of connections to one database. Thread-safe.
class PostgresDatabase final {
 public:
  explicit PostgresDatabase(PgPoolOptions options) : pool_(std::move(options)) {}
  PostgresDatabase(const PostgresDatabase&) = delete;
  PostgresDatabase& operator=(const PostgresDatabase&) = delete;

  // Runs one statement in autocommit mode (one transaction) on a pooled
  // connection, within statement_timeout plus a grace period.
  Result<PgResult> Run(const PgStatement& statement, std::span<const PgParam> params);

  // Statements run inside InTransaction, all on the same connection.
  class Transaction {
   public:
    Transaction(PgConnection* conn, std::chrono::milliseconds statement_budget)
        : conn_(conn), statement_budget_(statement_budget) {}
    Result<PgResult> Run(const PgStatement& statement, std::span<const PgParam> params);

   private:
    PgConnection* conn_;
    std::chrono::milliseconds statement_budget_;
  };

  // Runs `body` between BEGIN and COMMIT (READ COMMITTED) on one pooled
  // connection. When `body` (or the commit) fails, rolls back and returns
  // that first error. Each statement has its own timeout, as Run.
  Status InTransaction(const std::function<Status(Transaction&)>& body);

 private:
  PgPool pool_;
};

// Validates the options (kInvalidArgument naming the bad field), connects,
// and applies every pending migration (schemas/postgres) under an advisory
// lock. Errors and timeouts as OpenPostgresMetadataStore
// (postgres_metadata_store.hpp). Connections are opened on demand.
Result<std::shared_ptr<PostgresDatabase>> OpenPostgresDatabase(const PostgresOptions& options);

// The stores over an opened database. Each keeps `db` alive.
std::unique_ptr<MetadataStore> NewPostgresMetadataStore(std::shared_ptr<PostgresDatabase> db);
std::unique_ptr<UserStore> NewPostgresUserStore(std::shared_ptr<PostgresDatabase> db);
std::unique_ptr<AlbumStore> NewPostgresAlbumStore(std::shared_ptr<PostgresDatabase> db);
std::unique_ptr<ShareStore> NewPostgresShareStore(std::shared_ptr<PostgresDatabase> db);
std::unique_ptr<UploadStore> NewPostgresUploadStore(std::shared_ptr<PostgresDatabase> db);

}  // namespace gallery::db
