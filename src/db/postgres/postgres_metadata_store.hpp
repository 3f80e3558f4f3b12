#pragma once

// The cloud-shape MetadataStore: PostgreSQL (Amazon RDS), shared by many
// stateless instances.

#include <chrono>
#include <memory>
#include <string>

#include "common/status.hpp"
#include "db/metadata_store.hpp"

namespace gallery::db {

struct PostgresOptions {
  // postgres://user:password@host:port/database?sslmode=require
  // (postgresql:// too; any libpq URI parameter is honoured).
  std::string url;
  // Connections at most, opened on demand and kept. 1..1000.
  int pool_size = 10;
  // Opening one connection (TCP, TLS, authentication) must finish within
  // this, else kUnavailable.
  std::chrono::milliseconds connect_timeout{5000};
  // The server cancels a statement running longer (kTimeout). Should the
  // server not answer at all, the call gives up one second later with
  // kUnavailable and drops the connection.
  std::chrono::milliseconds statement_timeout{5000};
  // How long a call waits for a free connection when all pool_size are in
  // use, else kUnavailable.
  std::chrono::milliseconds acquire_timeout{5000};
  // At open: waiting for other instances' migrations plus running ours.
  std::chrono::milliseconds migration_timeout{120000};
};

// Validates the options (kInvalidArgument naming the bad field), connects,
// and applies every pending migration (schemas/postgres), each in its own
// transaction, recorded in schema_migrations. A session advisory lock makes
// instances that start together apply each migration exactly once.
//
// A call on the store costs at most acquire_timeout + connect_timeout +
// statement_timeout + 1 s, whatever the database or network does. Broken
// connections are noticed and replaced, so the store serves again by itself
// once the database is back; it never needs reopening.
//
// kUnavailable when the database cannot be reached (the message names host,
// port and database, never the password); a failing migration's own error.
Result<std::unique_ptr<MetadataStore>> OpenPostgresMetadataStore(const PostgresOptions& options);

}  // namespace gallery::db
