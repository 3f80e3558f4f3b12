// The account, album and share conformance suites on PostgreSQL, and what
// the cloud shape adds: several instances (here, several PostgresDatabase
// handles, each with its own pool of connections) changing one database at
// once.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "common/crypto.hpp"
#include "db/account_stores_conformance_testing.hpp"
#include "db/metadata_store_conformance_testing.hpp"
#include "db/postgres/postgres_database.hpp"
#include "db/postgres/postgres_server_testing.hpp"

namespace gallery::db {
namespace {

using std::chrono::milliseconds;
using testing::AlbumStoreConformanceTest;
using testing::MakeTestPhoto;
using testing::MakeTestUser;
using testing::MetadataStoreConformanceTest;
using testing::PostgresTestServer;
using testing::ShareStoreConformanceTest;
using testing::StoreSet;
using testing::StoreSetFactory;
using testing::UserStoreConformanceTest;

// The server every test here shares; a failure to start it fails the test
// (with the install hint when PostgreSQL is missing), it never skips.
PostgresTestServer* SharedServer() {
  Result<PostgresTestServer*> server = PostgresTestServer::Shared();
  if (!server.ok()) {
    ADD_FAILURE() << "no PostgreSQL test server: " << server.status().ToString();
    return nullptr;
  }
  return *server;
}

PostgresOptions OptionsFor(const std::string& url) {
  PostgresOptions options;
  options.url = url;
  options.pool_size = 8;
  options.connect_timeout = milliseconds(5000);
  options.statement_timeout = milliseconds(5000);
  options.acquire_timeout = milliseconds(5000);
  return options;
}

// An instance of the cloud shape: its own handle (pool) on the database.
Result<std::shared_ptr<PostgresDatabase>> OpenInstance(const std::string& url) {
  return OpenPostgresDatabase(OptionsFor(url));
}

StoreSet StoresOver(const std::shared_ptr<PostgresDatabase>& db) {
  return StoreSet{NewPostgresMetadataStore(db), NewPostgresUserStore(db), NewPostgresAlbumStore(db),
                  NewPostgresShareStore(db)};
}

StoreSet MakeFreshPostgresStores() {
  PostgresTestServer* server = SharedServer();
  if (server == nullptr) return {};
  Result<std::string> url = server->CreateDatabase();
  if (!url.ok()) {
    ADD_FAILURE() << url.status().ToString();
    return {};
  }
  Result<std::shared_ptr<PostgresDatabase>> db = OpenInstance(*url);
  if (!db.ok()) {
    ADD_FAILURE() << db.status().ToString();
    return {};
  }
  return StoresOver(*db);
}

const StoreSetFactory kPostgres{"Postgres", MakeFreshPostgresStores};

INSTANTIATE_TEST_SUITE_P(Postgres, MetadataStoreConformanceTest, ::testing::Values(kPostgres),
                         testing::StoreSetFactoryName);
INSTANTIATE_TEST_SUITE_P(Postgres, UserStoreConformanceTest, ::testing::Values(kPostgres),
                         testing::StoreSetFactoryName);
INSTANTIATE_TEST_SUITE_P(Postgres, AlbumStoreConformanceTest, ::testing::Values(kPostgres),
                         testing::StoreSetFactoryName);
INSTANTIATE_TEST_SUITE_P(Postgres, ShareStoreConformanceTest, ::testing::Values(kPostgres),
                         testing::StoreSetFactoryName);

// Polls `done` every 20 ms for up to 10 s.
bool Eventually(const std::function<bool()>& done) {
  for (auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
       std::chrono::steady_clock::now() < end;) {
    if (done()) return true;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return false;
}

// One database, several instances on it.
class PostgresAccountStoresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = SharedServer();
    ASSERT_NE(server_, nullptr);
    Result<std::string> url = server_->CreateDatabase();
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    url_ = *url;
  }

  std::shared_ptr<PostgresDatabase> Instance() {
    Result<std::shared_ptr<PostgresDatabase>> db = OpenInstance(url_);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? *db : nullptr;
  }

  PostgresTestServer* server_ = nullptr;
  std::string url_;
};

TEST_F(PostgresAccountStoresTest, FirstUsersRacingFromTwoInstancesLetExactlyOneWin) {
  std::shared_ptr<PostgresDatabase> a = Instance();
  std::shared_ptr<PostgresDatabase> b = Instance();
  ASSERT_TRUE(a && b);
  std::unique_ptr<UserStore> stores[] = {NewPostgresUserStore(a), NewPostgresUserStore(b)};
  // Several rounds, each on an emptied table, so the race is run more than
  // once; every thread starts at the same moment.
  for (int round = 0; round < 5; ++round) {
    ASSERT_TRUE(server_->Query(url_, "DELETE FROM users").ok());
    std::atomic<int> ready{0};
    std::atomic<int> won{0};
    std::atomic<int> other{0};
    constexpr int kThreads = 16;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        UserRecord u = MakeTestUser(Clock::now());
        ++ready;
        while (ready.load() < kThreads) std::this_thread::yield();
        Status s = stores[t % 2]->CreateFirstUser(u);
        if (s.ok()) {
          ++won;
        } else if (s.code() != ErrorCode::kAlreadyExists) {
          ++other;
          ADD_FAILURE() << s.ToString();
        }
      });
    }
    for (std::thread& th : threads) th.join();
    EXPECT_EQ(won.load(), 1) << "round " << round;
    EXPECT_EQ(other.load(), 0);
    EXPECT_EQ(*stores[0]->CountUsers(), 1);
    EXPECT_EQ(*stores[1]->CountUsers(), 1);
  }
}

// The statement that inserts a user in a transaction held open below.
constexpr PgStatement kTestInsertUser{
    "test_insert_user",
    "INSERT INTO users (id, email, password_hash, role, created_at_ms)"
    " VALUES ($1, $2, 'x', 'user', 0)"};

TEST_F(PostgresAccountStoresTest, CreateFirstUserWaitsForAnUncommittedUserAndThenRefuses) {
  // Counting the users is not enough: a user inserted by a transaction that
  // has not committed yet is invisible to the count. The first user must
  // wait for that transaction, then see its user.
  std::shared_ptr<PostgresDatabase> a = Instance();
  std::shared_ptr<PostgresDatabase> b = Instance();
  ASSERT_TRUE(a && b);
  std::promise<void> inserted;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::thread holder([&] {
    Status s = b->InTransaction([&](PostgresDatabase::Transaction& tx) -> Status {
      const PgParam params[] = {std::string("holder"), std::string("holder@example.com")};
      Status inserted_status = tx.Run(kTestInsertUser, params).status();
      inserted.set_value();
      released.wait();
      return inserted_status;
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
  });
  inserted.get_future().wait();
  std::unique_ptr<UserStore> users = NewPostgresUserStore(a);
  std::future<Status> first = std::async(
      std::launch::async, [&] { return users->CreateFirstUser(MakeTestUser(Clock::now())); });
  bool waiting = Eventually([&] {
    Result<std::vector<std::vector<std::string>>> rows = server_->Query(
        url_, "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'users'::regclass");
    return rows.ok() && (*rows)[0][0] == "1";
  });
  EXPECT_TRUE(waiting) << "CreateFirstUser did not wait for the open insert";
  EXPECT_EQ(first.wait_for(milliseconds(0)), std::future_status::timeout);
  release.set_value();
  holder.join();
  EXPECT_EQ(first.get().code(), ErrorCode::kAlreadyExists);
  Result<UserRecord> holder_user = users->GetUser("holder");
  EXPECT_TRUE(holder_user.ok());
  EXPECT_EQ(*users->CountUsers(), 1);
}

TEST_F(PostgresAccountStoresTest, AddsFromTwoInstancesToOneAlbumNeverInterleave) {
  std::shared_ptr<PostgresDatabase> a = Instance();
  std::shared_ptr<PostgresDatabase> b = Instance();
  ASSERT_TRUE(a && b);
  StoreSet instances[] = {StoresOver(a), StoresOver(b)};
  UserRecord owner = MakeTestUser(Clock::now());
  ASSERT_TRUE(instances[0].users->CreateUser(owner).ok());
  AlbumRecord album;
  album.id = NewId();
  album.owner_id = owner.id;
  album.title = "Shared by two instances";
  album.created_at = album.updated_at = Clock::now();
  ASSERT_TRUE(instances[0].albums->CreateAlbum(album).ok());

  constexpr int kThreads = 6;
  constexpr int kCalls = 5;
  constexpr int kPerCall = 4;
  // batches[t][c]: the photos of thread t's call c.
  std::vector<std::vector<std::vector<std::string>>> batches(kThreads);
  for (auto& calls : batches) {
    calls.resize(kCalls);
    for (auto& call : calls) {
      for (int i = 0; i < kPerCall; ++i) {
        PhotoRecord p = MakeTestPhoto(owner.id, Clock::now());
        ASSERT_TRUE(instances[0].photos->InsertPhoto(p).ok());
        call.push_back(p.id);
      }
    }
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      AlbumStore& albums = *instances[t % 2].albums;
      for (const auto& call : batches[t]) {
        Result<int64_t> added = albums.AddPhotos(album.id, call, Clock::now());
        if (!added.ok() || *added != kPerCall) ++failures;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);

  std::vector<std::string> all;
  std::optional<AlbumPhotoCursor> cursor;
  do {
    Result<AlbumPhotoPage> page = instances[1].albums->ListAlbumPhotoIds(album.id, cursor, 7);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    all.insert(all.end(), page->photo_ids.begin(), page->photo_ids.end());
    cursor = page->next;
  } while (cursor);
  ASSERT_EQ(all.size(), static_cast<size_t>(kThreads * kCalls * kPerCall));
  for (const auto& calls : batches) {
    auto previous = all.begin();
    for (const auto& call : calls) {
      auto start = std::find(all.begin(), all.end(), call[0]);
      ASSERT_LE(start + kPerCall, all.end());
      EXPECT_TRUE(std::equal(call.begin(), call.end(), start))
          << "one call's photos are contiguous and in order";
      EXPECT_LE(previous, start) << "a thread's calls land in the order made";
      previous = start;
    }
  }
  EXPECT_EQ(instances[0].albums->GetAlbum(album.id)->photo_count, kThreads * kCalls * kPerCall);
}

}  // namespace
}  // namespace gallery::db
