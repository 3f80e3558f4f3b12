#include "db/postgres/postgres_metadata_store.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <thread>
#include <vector>

#include "common/crypto.hpp"
#include "db/metadata_store_conformance_testing.hpp"
#include "db/migrations.hpp"
#include "db/postgres/postgres_server_testing.hpp"

namespace gallery::db {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using testing::MakeTestPhoto;
using testing::MetadataStoreConformanceTest;
using testing::PostgresTestServer;
using Rows = std::vector<std::vector<std::string>>;

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

// A plain libpq session of its own, for holding locks and looking around.
class RawSession {
 public:
  explicit RawSession(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    EXPECT_EQ(PQstatus(conn_), CONNECTION_OK) << PQerrorMessage(conn_);
  }
  ~RawSession() { PQfinish(conn_); }

  // The first column of the first row ("" if none); a failure fails the test.
  std::string Exec(const std::string& sql) {
    PGresult* res = PQexec(conn_, sql.c_str());
    ExecStatusType status = PQresultStatus(res);
    EXPECT_TRUE(status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        << sql << ": " << PQresultErrorMessage(res);
    std::string value = PQntuples(res) > 0 ? PQgetvalue(res, 0, 0) : "";
    PQclear(res);
    return value;
  }

 private:
  PGconn* conn_;
};

// Polls `done` every 20 ms for up to 10 s.
bool Eventually(const std::function<bool()>& done) {
  for (auto end = steady_clock::now() + std::chrono::seconds(10); steady_clock::now() < end;) {
    if (done()) return true;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return false;
}

milliseconds Since(steady_clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(steady_clock::now() - start);
}

constexpr const char* kStoreBackends =
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
    "AND application_name = 'gallery'";

// Inserts a user row with a fresh id and returns the id.
std::string InsertOwner(PostgresTestServer& server, const std::string& url) {
  const std::string id = NewId();
  Result<Rows> done = server.Query(
      url, "INSERT INTO users (id, email, password_hash, role, created_at_ms) VALUES ('" + id +
               "', '" + id + "@example.com', 'hash', 'user', 0)");
  EXPECT_TRUE(done.ok()) << done.status().ToString();
  return id;
}

class PostgresMetadataStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = SharedServer();
    ASSERT_NE(server_, nullptr);
    Result<std::string> url = server_->CreateDatabase();
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    url_ = *url;
  }

  std::unique_ptr<MetadataStore> Open(const PostgresOptions& options) {
    Result<std::unique_ptr<MetadataStore>> store = OpenPostgresMetadataStore(options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }

  // Stores a user to own photos (in SQL: this file tests the photo store).
  std::string AddOwner() { return InsertOwner(*server_, url_); }

  Rows Query(const std::string& sql) {
    Result<Rows> rows = server_->Query(url_, sql);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? *rows : Rows{};
  }

  PostgresTestServer* server_ = nullptr;
  std::string url_;
};

Rows ExpectedMigrationRows() {
  Rows rows;
  for (const Migration& m : PostgresMigrations()) {
    rows.push_back({std::to_string(m.version), std::string(m.name)});
  }
  return rows;
}

TEST_F(PostgresMetadataStoreTest, FourStoresOpeningTogetherApplyEachMigrationOnce) {
  std::vector<std::future<Status>> opening;
  for (int i = 0; i < 4; ++i) {
    opening.push_back(std::async(std::launch::async, [&] {
      Result<std::unique_ptr<MetadataStore>> store = OpenPostgresMetadataStore(OptionsFor(url_));
      if (!store.ok()) return store.status();
      return (*store)->Ping();
    }));
  }
  for (auto& f : opening) {
    Status s = f.get();
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  EXPECT_EQ(Query("SELECT version, name FROM schema_migrations ORDER BY version"),
            ExpectedMigrationRows());
}

TEST_F(PostgresMetadataStoreTest, ReopeningKeepsDataAndAppliesNothingTwice) {
  PhotoRecord photo;
  {
    std::unique_ptr<MetadataStore> store = Open(OptionsFor(url_));
    ASSERT_NE(store, nullptr);
    photo = MakeTestPhoto(AddOwner(), Clock::now());
    ASSERT_TRUE(store->InsertPhoto(photo).ok());
  }
  Rows applied = Query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
  std::unique_ptr<MetadataStore> store = Open(OptionsFor(url_));
  ASSERT_NE(store, nullptr);
  Result<PhotoRecord> got = store->GetPhoto(photo.id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, photo);
  EXPECT_EQ(Query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version"),
            applied);
  EXPECT_EQ(Query("SELECT version, name FROM schema_migrations ORDER BY version"),
            ExpectedMigrationRows());
}

TEST_F(PostgresMetadataStoreTest, RejectsADivergedMigrationHistory) {
  ASSERT_NE(Open(OptionsFor(url_)), nullptr);
  Query("UPDATE schema_migrations SET name = '0001_renamed' WHERE version = 1");
  EXPECT_EQ(OpenPostgresMetadataStore(OptionsFor(url_)).code(), ErrorCode::kInternal);
}

TEST_F(PostgresMetadataStoreTest, ValidatesOptions) {
  auto code_for = [&](const std::function<void(PostgresOptions&)>& change) {
    PostgresOptions options = OptionsFor(url_);
    change(options);
    return OpenPostgresMetadataStore(options).code();
  };
  EXPECT_EQ(code_for([](PostgresOptions& o) { o.url = ""; }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code_for([](PostgresOptions& o) { o.url = "mysql://u@h/db"; }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(code_for([](PostgresOptions& o) { o.url = "postgres://u@h:notaport:x/db?x"; }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(code_for([](PostgresOptions& o) { o.pool_size = 0; }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code_for([](PostgresOptions& o) { o.connect_timeout = milliseconds(0); }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(code_for([](PostgresOptions& o) { o.statement_timeout = milliseconds(-5); }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(code_for([](PostgresOptions& o) { o.acquire_timeout = milliseconds(0); }),
            ErrorCode::kInvalidArgument);
}

TEST_F(PostgresMetadataStoreTest, NoServerIsUnavailableAndTheMessageHidesThePassword) {
  Result<int> port = []() -> Result<int> {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    close(fd);  // nothing listens there now
    return static_cast<int>(ntohs(addr.sin_port));
  }();
  PostgresOptions options =
      OptionsFor("postgres://gallery:s3cret-pw@127.0.0.1:" + std::to_string(*port) + "/photos");
  auto start = steady_clock::now();
  Result<std::unique_ptr<MetadataStore>> store = OpenPostgresMetadataStore(options);
  EXPECT_LT(Since(start), milliseconds(2000));
  EXPECT_EQ(store.code(), ErrorCode::kUnavailable);
  const std::string message = store.status().message();
  EXPECT_NE(message.find("127.0.0.1:" + std::to_string(*port)), std::string::npos) << message;
  EXPECT_NE(message.find("photos"), std::string::npos) << message;
  EXPECT_EQ(message.find("s3cret-pw"), std::string::npos) << message;
}

TEST_F(PostgresMetadataStoreTest, AServerThatNeverAnswersTimesOutConnecting) {
  // Accepts TCP connections (the kernel does, from the backlog) and never
  // says a word: the startup handshake must give up at connect_timeout.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 16), 0);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  PostgresOptions options =
      OptionsFor("postgres://gallery@127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) +
                 "/photos?sslmode=disable");
  options.connect_timeout = milliseconds(500);

  auto start = steady_clock::now();
  Result<std::unique_ptr<MetadataStore>> store = OpenPostgresMetadataStore(options);
  milliseconds took = Since(start);
  close(fd);
  EXPECT_EQ(store.code(), ErrorCode::kUnavailable) << store.status().ToString();
  EXPECT_GE(took, milliseconds(450));
  EXPECT_LT(took, milliseconds(1500));
}

TEST_F(PostgresMetadataStoreTest, AnExhaustedPoolFailsWithUnavailableAfterTheAcquireTimeout) {
  PostgresOptions options = OptionsFor(url_);
  options.pool_size = 1;
  options.acquire_timeout = milliseconds(300);
  std::unique_ptr<MetadataStore> store = Open(options);
  ASSERT_NE(store, nullptr);

  RawSession locker(url_);
  locker.Exec("BEGIN");
  locker.Exec("LOCK TABLE photos IN ACCESS EXCLUSIVE MODE");
  // The pool's only connection now waits for the lock.
  auto blocked = std::async(std::launch::async, [&] { return store->CountPhotos(); });
  RawSession observer(url_);
  ASSERT_TRUE(Eventually([&] {
    return observer.Exec(
               "SELECT count(*) FROM pg_stat_activity WHERE datname = "
               "current_database() AND wait_event_type = 'Lock'") == "1";
  }));

  auto start = steady_clock::now();
  Result<PhotoRecord> got = store->GetPhoto("any");
  milliseconds took = Since(start);
  EXPECT_EQ(got.code(), ErrorCode::kUnavailable) << got.status().ToString();
  EXPECT_GE(took, milliseconds(250));
  EXPECT_LT(took, milliseconds(1500));

  locker.Exec("COMMIT");
  Result<int64_t> count = blocked.get();
  ASSERT_TRUE(count.ok()) << count.status().ToString();
  EXPECT_EQ(*count, 0);
  EXPECT_EQ(store->GetPhoto("any").code(), ErrorCode::kNotFound) << "the pool serves again";
}

TEST_F(PostgresMetadataStoreTest, AStatementPastItsTimeoutIsTimeoutAndKeepsItsConnection) {
  PostgresOptions options = OptionsFor(url_);
  options.pool_size = 1;
  options.statement_timeout = milliseconds(500);
  std::unique_ptr<MetadataStore> store = Open(options);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Ping().ok());
  RawSession observer(url_);
  const std::string backend = observer.Exec(
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
      "AND application_name = 'gallery'");

  RawSession locker(url_);
  locker.Exec("BEGIN");
  locker.Exec("LOCK TABLE photos IN ACCESS EXCLUSIVE MODE");
  auto start = steady_clock::now();
  Result<int64_t> count = store->CountPhotos();
  milliseconds took = Since(start);
  locker.Exec("ROLLBACK");

  EXPECT_EQ(count.code(), ErrorCode::kTimeout) << count.status().ToString();
  EXPECT_GE(took, milliseconds(450));
  EXPECT_LT(took, milliseconds(1400));
  ASSERT_TRUE(store->CountPhotos().ok());
  EXPECT_EQ(observer.Exec("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                          "AND application_name = 'gallery'"),
            backend)
      << "a server-side timeout leaves the connection usable";
}

TEST_F(PostgresMetadataStoreTest, AServerThatStopsAnsweringCostsAtMostTheTimeoutPlusGrace) {
  PostgresOptions options = OptionsFor(url_);
  options.pool_size = 1;
  options.statement_timeout = milliseconds(500);
  std::unique_ptr<MetadataStore> store = Open(options);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Ping().ok());
  RawSession observer(url_);
  const int backend =
      std::stoi(observer.Exec("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                              "AND application_name = 'gallery'"));

  // A frozen backend answers nothing, not even its own statement_timeout:
  // only the client's deadline can end the call.
  ASSERT_EQ(kill(backend, SIGSTOP), 0);
  auto start = steady_clock::now();
  Result<int64_t> count = store->CountPhotos();
  milliseconds took = Since(start);
  kill(backend, SIGCONT);

  EXPECT_EQ(count.code(), ErrorCode::kUnavailable) << count.status().ToString();
  EXPECT_GE(took, milliseconds(450));
  EXPECT_LT(took, milliseconds(3000)) << "statement_timeout + 1 s grace, plus slack";
  Result<int64_t> again = store->CountPhotos();
  EXPECT_TRUE(again.ok()) << "a new connection replaces the dropped one: "
                          << again.status().ToString();
}

TEST_F(PostgresMetadataStoreTest, ServesAgainAfterTheServerRestartsWithoutReopening) {
  // Its own server: stopping the shared one would disturb other tests.
  Result<std::unique_ptr<PostgresTestServer>> own = PostgresTestServer::Start();
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  PostgresTestServer& server = **own;
  Result<std::string> url = server.CreateDatabase();
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  PostgresOptions options = OptionsFor(*url);
  options.pool_size = 3;
  options.connect_timeout = milliseconds(2000);
  options.statement_timeout = milliseconds(2000);
  std::unique_ptr<MetadataStore> store = Open(options);
  ASSERT_NE(store, nullptr);
  const std::string owner = InsertOwner(server, *url);
  PhotoRecord photo = MakeTestPhoto(owner, Clock::now());
  ASSERT_TRUE(store->InsertPhoto(photo).ok());
  // Fill the pool with idle connections, all about to be cut.
  std::vector<std::future<Status>> pings;
  for (int i = 0; i < 3; ++i) {
    pings.push_back(std::async(std::launch::async, [&] { return store->Ping(); }));
  }
  for (auto& p : pings) ASSERT_TRUE(p.get().ok());

  ASSERT_TRUE(server.Stop().ok());
  auto start = steady_clock::now();
  Status ping = store->Ping();
  EXPECT_EQ(ping.code(), ErrorCode::kUnavailable) << ping.ToString();
  EXPECT_NE(ping.message().find("127.0.0.1:" + std::to_string(server.port())), std::string::npos)
      << ping.message();
  EXPECT_EQ(store->GetPhoto(photo.id).code(), ErrorCode::kUnavailable);
  EXPECT_EQ(store->InsertPhoto(MakeTestPhoto(owner, Clock::now())).code(), ErrorCode::kUnavailable);
  EXPECT_EQ(store->ListPhotos(owner, std::nullopt, 10).code(), ErrorCode::kUnavailable);
  EXPECT_EQ(store->CountPhotos().code(), ErrorCode::kUnavailable);
  EXPECT_LT(Since(start), milliseconds(2000)) << "refused connections fail fast";

  ASSERT_TRUE(server.Restart().ok());
  Status back = store->Ping();
  EXPECT_TRUE(back.ok()) << back.ToString();
  Result<PhotoRecord> got = store->GetPhoto(photo.id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, photo);
  EXPECT_TRUE(store->InsertPhoto(MakeTestPhoto(owner, Clock::now())).ok());
  EXPECT_EQ(*store->CountPhotos(), 2);
}

// The listing must cost the same at any depth: with enough rows for the
// planner to care, the keyset query is an index range scan with no sort.
TEST_F(PostgresMetadataStoreTest, TheListingIsAnIndexRangeScanWithoutASort) {
  ASSERT_NE(Open(OptionsFor(url_)), nullptr);
  const std::string owner = AddOwner();
  Query(
      "INSERT INTO photos (id, owner_id, filename, content_type, bytes, width, height, frames, "
      "uploaded_at_ms, sha256, original_key, thumb_key, preview_key) "
      "SELECT 'id' || i, '" +
      owner +
      "', 'f.jpg', 'image/jpeg', 1, 1, 1, 1, 1700000000000 + i / 3, "
      "'sha' || i, 'o', 't', 'p' FROM generate_series(1, 50000) AS i; ANALYZE photos");
  std::string plan;
  for (const auto& row :
       Query("EXPLAIN SELECT * FROM photos WHERE owner_id = '" + owner +
             "' AND deleted_at_ms IS NULL AND (sort_at_ms, id) < (1700000010000, 'id30000') "
             "ORDER BY sort_at_ms DESC, id DESC LIMIT 51")) {
    plan += row[0] + "\n";
  }
  EXPECT_NE(plan.find("Index Scan using photos_newest_first"), std::string::npos) << plan;
  EXPECT_NE(plan.find("ROW(sort_at_ms, id) < ROW("), std::string::npos) << plan;
  EXPECT_EQ(plan.find("Sort"), std::string::npos) << plan;
}

}  // namespace
}  // namespace gallery::db
