#include "storage/s3/http_client.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "common/crypto.hpp"
#include "storage/s3/loopback_http_server_testing.hpp"

namespace gallery::storage::s3 {
namespace {

using testing::CannedResponse;
using testing::LoopbackHttpServer;
using testing::RecordedRequest;

std::unique_ptr<LoopbackHttpServer> StartServer(LoopbackHttpServer::Handler handler) {
  auto server = LoopbackHttpServer::Start(std::move(handler));
  EXPECT_TRUE(server.ok()) << server.status().ToString();
  return std::move(server).value();
}

CannedResponse Echo(const RecordedRequest& r) {
  CannedResponse out;
  out.headers = {{"X-Method", r.method},
                 {"X-Target", r.target},
                 {"X-Custom", r.Header("x-custom").value_or("")}};
  out.body = r.body;
  return out;
}

TEST(CurlHttpClient, SendsMethodsHeadersAndBodiesAndReadsTheAnswer) {
  auto server = StartServer(Echo);
  auto client = NewCurlHttpClient();
  const std::string payload = "hello body";
  for (const std::string method : {"GET", "PUT", "POST", "DELETE"}) {
    StringBody body(payload);
    HttpRequest request{method,
                        server->url() + "/a%20b/c?x=1&y=%2F",
                        {{"X-Custom", "v  1"}},
                        method == "PUT" || method == "POST" ? &body : nullptr};
    const HttpOutcome outcome = client->Send(request, {});
    ASSERT_TRUE(outcome.error.ok()) << outcome.error.ToString();
    EXPECT_EQ(outcome.response.status, 200);
    EXPECT_EQ(outcome.response.Header("x-method"), method);
    EXPECT_EQ(outcome.response.Header("x-target"), "/a%20b/c?x=1&y=%2F");
    EXPECT_EQ(outcome.response.Header("x-custom"), "v  1");
    EXPECT_EQ(outcome.response.body, request.body ? payload : "");
  }
  const HttpOutcome head = client->Send({"HEAD", server->url() + "/x", {}, nullptr}, {});
  ASSERT_TRUE(head.error.ok()) << head.error.ToString();
  EXPECT_EQ(head.response.Header("x-method"), "HEAD");
}

TEST(CurlHttpClient, ReusesOneConnectionForSequentialRequests) {
  auto server = StartServer(Echo);
  auto client = NewCurlHttpClient();
  for (int i = 0; i < 10; ++i) {
    const HttpOutcome outcome = client->Send({"GET", server->url() + "/", {}, nullptr}, {});
    ASSERT_TRUE(outcome.error.ok()) << outcome.error.ToString();
  }
  EXPECT_EQ(server->request_count(), 10u);
  EXPECT_EQ(server->connections_accepted(), 1u);
}

TEST(CurlHttpClient, IsSafeForConcurrentUse) {
  auto server = StartServer(Echo);
  auto client = NewCurlHttpClient();
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        const std::string body_text =
            std::string("t").append(std::to_string(t)).append("i").append(std::to_string(i));
        StringBody body(body_text);
        const HttpOutcome outcome = client->Send({"PUT", server->url() + "/k", {}, &body}, {});
        if (outcome.error.ok() && outcome.response.body == body_text) ok.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 160);
  // Handles (and their connections) are pooled: far fewer than 160.
  EXPECT_LE(server->connections_accepted(), 16u);
}

TEST(CurlHttpClient, StreamsAFileRange) {
  const auto path = std::filesystem::temp_directory_path() / ("http-body-" + NewId());
  const std::string content = RandomBytes(3 * 1024 * 1024 + 17);
  std::ofstream(path, std::ios::binary) << content;
  auto server = StartServer(Echo);
  auto client = NewCurlHttpClient();
  FileRangeBody body(path, 1000, 2 * 1024 * 1024);
  ASSERT_TRUE(body.status().ok());
  const HttpOutcome outcome = client->Send({"PUT", server->url() + "/f", {}, &body}, {});
  ASSERT_TRUE(outcome.error.ok()) << outcome.error.ToString();
  EXPECT_TRUE(outcome.response.body == content.substr(1000, 2 * 1024 * 1024));
  auto hash = Sha256HexOfFileRange(path, 1000, 2 * 1024 * 1024);
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(*hash, Sha256Hex(content.substr(1000, 2 * 1024 * 1024)));

  // A file shorter than promised fails the request instead of hanging.
  FileRangeBody too_long(path, content.size() - 10, 100);
  const HttpOutcome failed = client->Send({"PUT", server->url() + "/f", {}, &too_long}, {});
  EXPECT_EQ(failed.error.code(), ErrorCode::kIoError) << failed.error.ToString();
  EXPECT_FALSE(failed.retryable);
  std::filesystem::remove(path);
}

TEST(CurlHttpClient, TimesOutOnAServerThatNeverAnswers) {
  auto server = StartServer([](const RecordedRequest&) {
    CannedResponse r;
    r.hang = true;
    return r;
  });
  auto client = NewCurlHttpClient();
  const auto start = std::chrono::steady_clock::now();
  const HttpOutcome outcome =
      client->Send({"GET", server->url() + "/", {}, nullptr},
                   {std::chrono::milliseconds(500), std::chrono::milliseconds(300)});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(outcome.error.code(), ErrorCode::kTimeout) << outcome.error.ToString();
  EXPECT_TRUE(outcome.retryable);
  EXPECT_GE(elapsed, std::chrono::milliseconds(250));
  EXPECT_LT(elapsed, std::chrono::milliseconds(2000));
}

// A listener whose accept queue is full: the kernel drops further SYNs, so
// a connection attempt hangs until the client's connect timeout.
class SaturatedListener {
 public:
  SaturatedListener() {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(listener_, 0), 0);
    EXPECT_EQ(::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    port_ = ntohs(addr.sin_port);
    for (int i = 0; i < 3; ++i) {
      const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
      ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
      fillers_.push_back(fd);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ~SaturatedListener() {
    for (int fd : fillers_) ::close(fd);
    ::close(listener_);
  }
  int port() const { return port_; }

 private:
  int listener_;
  int port_;
  std::vector<int> fillers_;
};

TEST(CurlHttpClient, TheConnectTimeoutBoundsAConnectionThatIsNeverAccepted) {
  SaturatedListener listener;
  auto client = NewCurlHttpClient();
  const auto start = std::chrono::steady_clock::now();
  const HttpOutcome outcome = client->Send(
      {"GET", "http://127.0.0.1:" + std::to_string(listener.port()) + "/", {}, nullptr},
      {std::chrono::milliseconds(300), std::chrono::milliseconds(10000)});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(outcome.error.code(), ErrorCode::kTimeout) << outcome.error.ToString();
  EXPECT_TRUE(outcome.retryable);
  EXPECT_GE(elapsed, std::chrono::milliseconds(250));
  EXPECT_LT(elapsed, std::chrono::milliseconds(3000));
}

TEST(CurlHttpClient, ReportsARefusedConnectionAsRetryableUnavailable) {
  int port;
  {
    auto server = StartServer(Echo);
    port = server->port();
  }  // stopped: nothing listens there now
  auto client = NewCurlHttpClient();
  const HttpOutcome outcome =
      client->Send({"GET", "http://127.0.0.1:" + std::to_string(port) + "/", {}, nullptr}, {});
  EXPECT_EQ(outcome.error.code(), ErrorCode::kUnavailable) << outcome.error.ToString();
  EXPECT_TRUE(outcome.retryable);
}

TEST(CurlHttpClient, ReportsADroppedConnectionAsRetryable) {
  auto server = StartServer([](const RecordedRequest&) {
    CannedResponse r;
    r.drop_connection = true;
    return r;
  });
  auto client = NewCurlHttpClient();
  const HttpOutcome outcome = client->Send({"GET", server->url() + "/", {}, nullptr}, {});
  EXPECT_EQ(outcome.error.code(), ErrorCode::kUnavailable) << outcome.error.ToString();
  EXPECT_TRUE(outcome.retryable);
}

}  // namespace
}  // namespace gallery::storage::s3
