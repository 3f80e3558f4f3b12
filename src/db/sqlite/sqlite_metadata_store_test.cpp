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
#include "db/sqlite/sqlite_database.hpp"

namespace gallery::db {
namespace {

namespace fs = std::filesystem;
using testing::MakeTestPhoto;

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

  // Opens the database file with a photo store and stores a user to own
  // photos.
  std::unique_ptr<MetadataStore> OpenWithOwner(std::string* owner_id) {
    Result<std::shared_ptr<SqliteDatabase>> db = OpenSqliteDatabase(db_path().string());
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    if (!db.ok()) return nullptr;
    UserRecord user = testing::MakeTestUser(Clock::now());
    EXPECT_TRUE(NewSqliteUserStore(*db)->CreateUser(user).ok());
    *owner_id = user.id;
    return NewSqliteMetadataStore(*db);
  }

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
  PhotoRecord photo;
  {
    std::string owner;
    std::unique_ptr<MetadataStore> store = OpenWithOwner(&owner);
    ASSERT_NE(store, nullptr);
    photo = MakeTestPhoto(owner, Clock::now());
    ASSERT_TRUE(store->InsertPhoto(photo).ok());
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

// The listing must cost the same at any depth: a seek into the partial
// (owner_id, sort_at_ms DESC, id DESC) index, then `limit` steps, never a
// sort. The same for the trash.
TEST_F(SqliteMetadataStoreTest, ListingsAreIndexRangeScansWithoutASort) {
  ASSERT_TRUE(OpenSqliteMetadataStore(db_path().string()).ok());
  RawDb raw(db_path());
  auto plan = [&](const std::string& where, const std::string& order) {
    std::string text;
    for (const std::string& row :
         raw.Rows("EXPLAIN QUERY PLAN SELECT * FROM photos WHERE owner_id = 'u' AND " + where +
                  " ORDER BY " + order + " LIMIT 51")) {
      text += row + "\n";
    }
    return text;
  };
  const std::string newest = "sort_at_ms DESC, id DESC";
  std::string after = plan("deleted_at_ms IS NULL AND (sort_at_ms, id) < (1, 'x')", newest);
  EXPECT_NE(after.find("USING INDEX photos_newest_first (owner_id=? AND (sort_at_ms,id)<(?,?))"),
            std::string::npos)
      << after;
  EXPECT_EQ(after.find("TEMP B-TREE"), std::string::npos) << after;
  std::string first = plan("deleted_at_ms IS NULL", newest);
  EXPECT_NE(first.find("USING INDEX photos_newest_first"), std::string::npos) << first;
  EXPECT_EQ(first.find("TEMP B-TREE"), std::string::npos) << first;
  std::string trash = plan("deleted_at_ms IS NOT NULL AND (deleted_at_ms, id) < (1, 'x')",
                           "deleted_at_ms DESC, id DESC");
  EXPECT_NE(trash.find("USING INDEX photos_trash"), std::string::npos) << trash;
  EXPECT_EQ(trash.find("TEMP B-TREE"), std::string::npos) << trash;
}

// A database made before accounts existed: migration 5 rebuilds the photos
// table without losing rows or the albums that point at them, and the first
// admin adopts the unowned photos.
TEST_F(SqliteMetadataStoreTest, PhotosFromBeforeAccountsSurviveTheMigrationAndAreAdopted) {
  std::ofstream(db_path()).flush();  // an empty file is an empty database
  {
    RawDb raw(db_path());
    ASSERT_EQ(raw.Exec("PRAGMA foreign_keys = ON; CREATE TABLE schema_migrations (version "
                       "INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at_ms INTEGER "
                       "NOT NULL) STRICT"),
              SQLITE_OK);
    for (const Migration& m : SqliteMigrations()) {
      if (m.version > 4) break;
      ASSERT_EQ(raw.Exec(std::string(m.sql)), SQLITE_OK) << m.name;
      ASSERT_EQ(raw.Exec("INSERT INTO schema_migrations VALUES (" + std::to_string(m.version) +
                         ", '" + std::string(m.name) + "', 0)"),
                SQLITE_OK);
    }
    ASSERT_EQ(raw.Exec("INSERT INTO photos (id, filename, content_type, bytes, width, height, "
                       "frames, uploaded_at_ms, sha256, original_key, thumb_key, preview_key) "
                       "VALUES ('p1', 'a.jpg', 'image/jpeg', 10, 1, 1, 1, 5, 'abc', 'o', 't', 'v');"
                       "INSERT INTO users (id, email, password_hash, role, created_at_ms) "
                       "VALUES ('u0', 'old@example.com', 'h', 'user', 1);"
                       "INSERT INTO albums (id, owner_id, title, cover_photo_id, created_at_ms, "
                       "updated_at_ms) VALUES ('a1', 'u0', 'Old', 'p1', 1, 1);"
                       "INSERT INTO album_photos VALUES ('a1', 'p1', 1, 1);"),
              SQLITE_OK);
  }
  std::string admin;
  std::unique_ptr<MetadataStore> store = OpenWithOwner(&admin);
  ASSERT_NE(store, nullptr);
  RawDb raw(db_path());
  EXPECT_EQ(raw.Rows("SELECT album_id, photo_id FROM album_photos"),
            std::vector<std::string>{"a1|p1"});
  EXPECT_EQ(raw.Rows("SELECT cover_photo_id FROM albums"), std::vector<std::string>{"p1"});
  Result<PhotoRecord> legacy = store->GetPhoto("p1");
  ASSERT_TRUE(legacy.ok()) << legacy.status().ToString();
  EXPECT_EQ(legacy->owner_id, "");
  EXPECT_TRUE(store->ListPhotos(admin, std::nullopt, 10)->photos.empty());

  Result<int64_t> adopted = store->AdoptUnownedPhotos(admin);
  ASSERT_TRUE(adopted.ok()) << adopted.status().ToString();
  EXPECT_EQ(*adopted, 1);
  Result<PhotoPage> page = store->ListPhotos(admin, std::nullopt, 10);
  ASSERT_EQ(page->photos.size(), 1u);
  EXPECT_EQ(page->photos[0].id, "p1");
  EXPECT_EQ(raw.Rows("PRAGMA foreign_key_check"), std::vector<std::string>{});
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
  std::string owner;
  std::unique_ptr<MetadataStore> store = OpenWithOwner(&owner);
  ASSERT_NE(store, nullptr);
  RawDb other(db_path());
  ASSERT_EQ(other.Exec("BEGIN IMMEDIATE"), SQLITE_OK);  // another process writing
  auto start = std::chrono::steady_clock::now();
  Status s = store->InsertPhoto(MakeTestPhoto(owner, Clock::now()));
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(s.code(), ErrorCode::kUnavailable) << s.ToString();
  EXPECT_GE(waited, std::chrono::milliseconds(4000)) << "it waited for the busy timeout";
  // Reads are not blocked by a writer in WAL mode.
  EXPECT_TRUE(store->CountPhotos().ok());
  EXPECT_TRUE(store->Ping().ok());
  ASSERT_EQ(other.Exec("ROLLBACK"), SQLITE_OK);
  EXPECT_TRUE(store->InsertPhoto(MakeTestPhoto(owner, Clock::now())).ok());
}

}  // namespace
}  // namespace gallery::db
