// The UploadStore conformance suite on SQLite.

#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

#include "common/crypto.hpp"
#include "db/sqlite/sqlite_database.hpp"
#include "db/upload_store_conformance_testing.hpp"

namespace gallery::db {
namespace {

namespace fs = std::filesystem;
using testing::UploadStoreConformanceTest;
using testing::UploadStoreFactory;
using testing::UploadStoreFixture;

// Runs `sql` on its own connection to the file (users belong to another
// store; the suite only needs rows).
void ExecOn(const std::string& path, const std::string& sql) {
  Result<std::unique_ptr<SqliteConnection>> conn =
      SqliteConnection::Open(path, SqliteConnection::Role::kWriter);
  ASSERT_TRUE(conn.ok()) << conn.status().ToString();
  Status s = (*conn)->Exec(sql);
  ASSERT_TRUE(s.ok()) << s.ToString();
}

// Each test gets its own file; the directories go at exit.
UploadStoreFixture MakeFreshSqliteUploadStore() {
  static std::vector<fs::path>* dirs = new std::vector<fs::path>;
  static struct Cleanup {
    ~Cleanup() {
      for (const fs::path& d : *dirs) {
        std::error_code ignored;
        fs::remove_all(d, ignored);
      }
    }
  } cleanup;
  fs::path dir = fs::temp_directory_path() / ("gallery-uploads-test-" + NewId());
  fs::create_directories(dir);
  dirs->push_back(dir);
  const std::string path = (dir / "gallery.db").string();
  Result<std::shared_ptr<SqliteDatabase>> db = OpenSqliteDatabase(path);
  if (!db.ok()) {
    ADD_FAILURE() << db.status().ToString();
    return {};
  }
  UploadStoreFixture fixture;
  fixture.uploads = NewSqliteUploadStore(*db);
  fixture.add_user = [path](const std::string& id) {
    ExecOn(path, "INSERT INTO users (id, email, password_hash, role, created_at_ms) VALUES ('" +
                     id + "', '" + id + "@example.com', 'x', 'user', 0)");
  };
  fixture.delete_user = [path](const std::string& id) {
    ExecOn(path, "DELETE FROM users WHERE id = '" + id + "'");
  };
  return fixture;
}

INSTANTIATE_TEST_SUITE_P(Sqlite, UploadStoreConformanceTest,
                         ::testing::Values(UploadStoreFactory{"Sqlite",
                                                              MakeFreshSqliteUploadStore}),
                         testing::UploadStoreFactoryName);

}  // namespace
}  // namespace gallery::db
