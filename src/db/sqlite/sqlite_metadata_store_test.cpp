#include "db/sqlite/sqlite_metadata_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "common/crypto.hpp"
#include "db/metadata_store_conformance_testing.hpp"
#include "db/migrations.hpp"

namespace gallery::db {
namespace {

namespace fs = std::filesystem;
using testing::MakeTestPhoto;
using testing::MetadataStoreConformanceTest;
using testing::MetadataStoreFactory;

// A fresh directory under the system temp dir, removed with the object.
class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("gallery-db-test-" + NewId())) {
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Each conformance test gets its own file; the directories go at exit.
std::unique_ptr<MetadataStore> MakeFreshSqliteStore() {
  static std::vector<std::unique_ptr<TempDir>>* dirs = new std::vector<std::unique_ptr<TempDir>>;
  static struct Cleanup {
    ~Cleanup() { dirs->clear(); }
  } cleanup;
  dirs->push_back(std::make_unique<TempDir>());
  Result<std::unique_ptr<MetadataStore>> store =
      OpenSqliteMetadataStore((dirs->back()->path() / "gallery.db").string());
  if (!store.ok()) {
    ADD_FAILURE() << store.status().ToString();
    return nullptr;
  }
  return std::move(*store);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, MetadataStoreConformanceTest,
                         ::testing::Values(MetadataStoreFactory{"Sqlite", MakeFreshSqliteStore}),
                         testing::MetadataStoreFactoryName);

// Reads the database with a separate, plain connection.
class RawDb {
 public:
  explicit RawDb(const fs::path& path) {
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  }
  ~RawDb() { sqlite3_close_v2(db_); }

  // Every row of a query, columns joined by '|'.
  std::vector<std::string> Rows(const std::string& sql) {
    std::vector<std::string> rows;
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_);
    while (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
      std::string row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        if (i > 0) row += "|";
        const unsigned char* text = sqlite3_column_text(stmt, i);
        row += text ? reinterpret_cast<const char*>(text) : "NULL";
      }
      rows.push_back(row);
    }
    sqlite3_finalize(stmt);
    return rows;
  }
  int Exec(const std::string& sql) {
    return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  }
  sqlite3* handle() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

class SqliteMetadataStoreTest : public ::testing::Test {
 protected:
  fs::path db_path() const { return dir_.path() / "gallery.db"; }
  TempDir dir_;
};

TEST_F(SqliteMetadataStoreTest, UsesWalModeAndForeignKeys) {
  Result<std::unique_ptr<MetadataStore>> store = OpenSqliteMetadataStore(db_path().string());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  RawDb raw(db_path());
  EXPECT_EQ(raw.Rows("PRAGMA journal_mode"), std::vector<std::string>{"wal"});
  EXPECT_TRUE(fs::exists(db_path().string() + "-wal"));
}

TEST_F(SqliteMetadataStoreTest, RecordsMigrationsOnceAndKeepsDataOnReopen) {
  PhotoRecord photo = MakeTestPhoto(Clock::now());
  {
    Result<std::unique_ptr<MetadataStore>> store = OpenSqliteMetadataStore(db_path().string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)->InsertPhoto(photo).ok());
  }
  std::vector<std::string> expected;
  for (const Migration& m : SqliteMigrations()) {
    expected.push_back(std::to_string(m.version) + "|" + std::string(m.name));
  }
  RawDb raw(db_path());
  EXPECT_EQ(raw.Rows("SELECT version, name FROM schema_migrations ORDER BY version"), expected);

  for (int reopen = 0; reopen < 2; ++reopen) {
    Result<std::unique_ptr<MetadataStore>> store = OpenSqliteMetadataStore(db_path().string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    Result<PhotoRecord> got = (*store)->GetPhoto(photo.id);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(*got, photo);
  }
  EXPECT_EQ(raw.Rows("SELECT version, name FROM schema_migrations ORDER BY version"), expected);
}

TEST_F(SqliteMetadataStoreTest, StoresOpenedTogetherApplyEachMigrationOnce) {
  constexpr int kStores = 4;
  std::vector<std::thread> threads;
  std::vector<Status> results(kStores);
  for (int i = 0; i < kStores; ++i) {
    threads.emplace_back([&, i] {
      Result<std::unique_ptr<MetadataStore>> store = OpenSqliteMetadataStore(db_path().string());
      results[i] = store.status();
    });
  }
  for (std::thread& t : threads) t.join();
  for (const Status& s : results) EXPECT_TRUE(s.ok()) << s.ToString();
  RawDb raw(db_path());
  EXPECT_EQ(raw.Rows("SELECT count(*) FROM schema_migrations"),
            std::vector<std::string>{std::to_string(SqliteMigrations().size())});
}

TEST_F(SqliteMetadataStoreTest, RejectsADivergedMigrationHistory) {
  ASSERT_TRUE(OpenSqliteMetadataStore(db_path().string()).ok());
  {
    RawDb raw(db_path());
    ASSERT_EQ(raw.Exec("UPDATE schema_migrations SET name = '0001_renamed' WHERE version = 1"),
              SQLITE_OK);
  }
  Result<std::unique_ptr<MetadataStore>> store = OpenSqliteMetadataStore(db_path().string());
  EXPECT_EQ(store.code(), ErrorCode::kInternal);
}

// The listing must cost the same at any depth: a seek into the
// (sort_at_ms DESC, id DESC) index, then `limit` steps, never a sort.
TEST_F(SqliteMetadataStoreTest, TheListingIsAnIndexRangeScanWithoutASort) {
  ASSERT_TRUE(OpenSqliteMetadataStore(db_path().string()).ok());
  RawDb raw(db_path());
  auto plan = [&](const std::string& where) {
    std::string text;
    for (const std::string& row : raw.Rows("EXPLAIN QUERY PLAN SELECT * FROM photos " + where +
                                           " ORDER BY sort_at_ms DESC, id DESC LIMIT 51")) {
      text += row + "\n";
    }
    return text;
  };
  std::string after = plan("WHERE (sort_at_ms, id) < (1, 'x')");
  EXPECT_NE(after.find("SEARCH photos USING INDEX photos_newest_first ((sort_at_ms,id)<(?,?))"),
            std::string::npos)
      << after;
  EXPECT_EQ(after.find("TEMP B-TREE"), std::string::npos) << after;
  std::string first = plan("");
  EXPECT_NE(first.find("USING INDEX photos_newest_first"), std::string::npos) << first;
  EXPECT_EQ(first.find("TEMP B-TREE"), std::string::npos) << first;
}

TEST_F(SqliteMetadataStoreTest, AMissingDirectoryIsAnIoError) {
  Result<std::unique_ptr<MetadataStore>> store =
      OpenSqliteMetadataStore((dir_.path() / "missing" / "gallery.db").string());
  EXPECT_EQ(store.code(), ErrorCode::kIoError) << store.status().ToString();
  EXPECT_FALSE(fs::exists(dir_.path() / "missing"));
}

TEST_F(SqliteMetadataStoreTest, AFileThatIsNotADatabaseIsAnIoError) {
  std::ofstream(db_path()) << std::string(8192, 'x');
  Result<std::unique_ptr<MetadataStore>> store = OpenSqliteMetadataStore(db_path().string());
  EXPECT_EQ(store.code(), ErrorCode::kIoError) << store.status().ToString();
}

TEST_F(SqliteMetadataStoreTest, AWriteLockHeldPastTheBusyTimeoutIsUnavailable) {
  Result<std::unique_ptr<MetadataStore>> store = OpenSqliteMetadataStore(db_path().string());
  ASSERT_TRUE(store.ok());
  RawDb other(db_path());
  ASSERT_EQ(other.Exec("BEGIN IMMEDIATE"), SQLITE_OK);  // another process writing
  auto start = std::chrono::steady_clock::now();
  Status s = (*store)->InsertPhoto(MakeTestPhoto(Clock::now()));
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(s.code(), ErrorCode::kUnavailable) << s.ToString();
  EXPECT_GE(waited, std::chrono::milliseconds(4000)) << "it waited for the busy timeout";
  // Reads are not blocked by a writer in WAL mode.
  EXPECT_TRUE((*store)->CountPhotos().ok());
  EXPECT_TRUE((*store)->Ping().ok());
  ASSERT_EQ(other.Exec("ROLLBACK"), SQLITE_OK);
  EXPECT_TRUE((*store)->InsertPhoto(MakeTestPhoto(Clock::now())).ok());
}

}  // namespace
}  // namespace gallery::db
