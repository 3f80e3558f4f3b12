// The UploadStore conformance suite on PostgreSQL (a server the test starts).

#include <gtest/gtest.h>

#include "db/postgres/postgres_database.hpp"
#include "db/postgres/postgres_server_testing.hpp"
#include "db/upload_store_conformance_testing.hpp"

namespace gallery::db {
namespace {

using testing::PostgresTestServer;
using testing::UploadStoreConformanceTest;
using testing::UploadStoreFactory;
using testing::UploadStoreFixture;

UploadStoreFixture MakeFreshPostgresUploadStore() {
  Result<PostgresTestServer*> server = PostgresTestServer::Shared();
  if (!server.ok()) {
    ADD_FAILURE() << "no PostgreSQL test server: " << server.status().ToString();
    return {};
  }
  Result<std::string> url = (*server)->CreateDatabase();
  if (!url.ok()) {
    ADD_FAILURE() << url.status().ToString();
    return {};
  }
  PostgresOptions options;
  options.url = *url;
  options.pool_size = 8;
  Result<std::shared_ptr<PostgresDatabase>> db = OpenPostgresDatabase(options);
  if (!db.ok()) {
    ADD_FAILURE() << db.status().ToString();
    return {};
  }
  // Users belong to another store: the suite only needs rows.
  auto exec = [server = *server, url = *url](const std::string& sql) {
    auto rows = server->Query(url, sql);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  };
  UploadStoreFixture fixture;
  fixture.uploads = NewPostgresUploadStore(*db);
  fixture.add_user = [exec](const std::string& id) {
    exec("INSERT INTO users (id, email, password_hash, role, created_at_ms) VALUES ('" + id +
         "', '" + id + "@example.com', 'x', 'user', 0)");
  };
  fixture.delete_user = [exec](const std::string& id) {
    exec("DELETE FROM users WHERE id = '" + id + "'");
  };
  return fixture;
}

INSTANTIATE_TEST_SUITE_P(Postgres, UploadStoreConformanceTest,
                         ::testing::Values(UploadStoreFactory{"Postgres",
                                                              MakeFreshPostgresUploadStore}),
                         testing::UploadStoreFactoryName);

}  // namespace
}  // namespace gallery::db
