// The account, album and share conformance suites on SQLite, and what is
// particular to SQLite: every store over one file shares one writer.

#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

#include "common/crypto.hpp"
#include "db/account_stores_conformance_testing.hpp"
#include "db/metadata_store_conformance_testing.hpp"
#include "db/sqlite/sqlite_database.hpp"

namespace gallery::db {
namespace {

namespace fs = std::filesystem;
using testing::AlbumStoreConformanceTest;
using testing::MetadataStoreConformanceTest;
using testing::ShareStoreConformanceTest;
using testing::StoreSet;
using testing::StoreSetFactory;
using testing::UserStoreConformanceTest;

// Each test gets its own file; the directories go at exit.
StoreSet MakeFreshSqliteStores() {
  static std::vector<fs::path>* dirs = new std::vector<fs::path>;
  static struct Cleanup {
    ~Cleanup() {
      for (const fs::path& d : *dirs) {
        std::error_code ignored;
        fs::remove_all(d, ignored);
      }
    }
  } cleanup;
  fs::path dir = fs::temp_directory_path() / ("gallery-accounts-test-" + NewId());
  fs::create_directories(dir);
  dirs->push_back(dir);
  Result<std::shared_ptr<SqliteDatabase>> db = OpenSqliteDatabase((dir / "gallery.db").string());
  if (!db.ok()) {
    ADD_FAILURE() << db.status().ToString();
    return {};
  }
  return StoreSet{NewSqliteMetadataStore(*db), NewSqliteUserStore(*db), NewSqliteAlbumStore(*db),
                  NewSqliteShareStore(*db)};
}

const StoreSetFactory kSqlite{"Sqlite", MakeFreshSqliteStores};

INSTANTIATE_TEST_SUITE_P(Sqlite, MetadataStoreConformanceTest, ::testing::Values(kSqlite),
                         testing::StoreSetFactoryName);
INSTANTIATE_TEST_SUITE_P(Sqlite, UserStoreConformanceTest, ::testing::Values(kSqlite),
                         testing::StoreSetFactoryName);
INSTANTIATE_TEST_SUITE_P(Sqlite, AlbumStoreConformanceTest, ::testing::Values(kSqlite),
                         testing::StoreSetFactoryName);
INSTANTIATE_TEST_SUITE_P(Sqlite, ShareStoreConformanceTest, ::testing::Values(kSqlite),
                         testing::StoreSetFactoryName);

TEST(SqliteDatabaseTest, StoresOutliveEachOtherInAnyOrderAndSeeOneAnother) {
  fs::path dir = fs::temp_directory_path() / ("gallery-accounts-test-" + NewId());
  fs::create_directories(dir);
  {
    Result<std::shared_ptr<SqliteDatabase>> db = OpenSqliteDatabase((dir / "gallery.db").string());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    std::unique_ptr<UserStore> users = NewSqliteUserStore(*db);
    std::unique_ptr<MetadataStore> photos = NewSqliteMetadataStore(*db);
    db->reset();  // the stores keep the database open
    UserRecord u = testing::MakeTestUser(Clock::now());
    ASSERT_TRUE(users->CreateUser(u).ok());
    photos.reset();
    EXPECT_TRUE(users->GetUser(u.id).ok());
  }
  // Reopening applies no migration twice and finds the rows.
  {
    Result<std::shared_ptr<SqliteDatabase>> db = OpenSqliteDatabase((dir / "gallery.db").string());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    EXPECT_EQ(*NewSqliteUserStore(*db)->CountUsers(), 1);
  }
  std::error_code ignored;
  fs::remove_all(dir, ignored);
}

}  // namespace
}  // namespace gallery::db
