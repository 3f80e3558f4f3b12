#pragma once

// A tiny HTTP/1.1 server on 127.0.0.1 for tests: canned answers, recorded
// requests, faults (hang, drop the connection), and forwarding to another
// loopback server (a fault-injecting proxy in front of moto). Keep-alive is
// supported so that tests can count connections. Bodies must come with
// Content-Length (no chunked encoding).
//
// Thread safety: the handler runs on one thread per connection; the
// accessors may be called from any thread.

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/status.hpp"
#include "storage/s3/sigv4.hpp"

namespace gallery::storage::s3::testing {

struct RecordedRequest {
  std::string method;
  std::string target;  // "/path?query" as received
  std::string path;    // before '?'
  std::string query;   // after '?', still encoded
  HeaderList headers;  // names as received
  std::string body;

  // First value of a header, name compared case-insensitively.
  std::optional<std::string> Header(std::string_view name) const;
};

struct CannedResponse {
  int status = 200;
  HeaderList headers;  // Content-Length is added unless given
  std::string body;    // not sent for HEAD
  // Faults: never answer (until the client gives up or the server stops),
  // or close the connection without a word.
  bool hang = false;
  bool drop_connection = false;
  // Wait this long before answering.
  std::chrono::milliseconds delay{0};
};

class LoopbackHttpServer {
 public:
  using Handler = std::function<CannedResponse(const RecordedRequest&)>;

  // Listens on 127.0.0.1 on a free port and serves until destroyed.
  static Result<std::unique_ptr<LoopbackHttpServer>> Start(Handler handler);
  ~LoopbackHttpServer();
  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  size_t connections_accepted() const { return connections_.load(); }
  std::vector<RecordedRequest> requests() const;
  size_t request_count() const;

  // Stops accepting, wakes hanging handlers, joins every thread.
  void Stop();

 private:
  LoopbackHttpServer(int listen_fd, int port, Handler handler);
  void AcceptLoop();
  void ServeConnection(int fd);
  // Reads, answers and records one request; false when the connection ends.
  bool ServeOneRequest(int fd, std::string& buffer);

  const int listen_fd_;
  const int port_;
  const Handler handler_;
  std::atomic<bool> stopping_{false};
  std::atomic<size_t> connections_{0};
  mutable std::mutex mu_;
  std::vector<RecordedRequest> requests_;        // GUARDED_BY(mu_)
  std::vector<std::thread> connection_threads_;  // GUARDED_BY(mu_)
  std::vector<int> connection_fds_;              // GUARDED_BY(mu_)
  std::thread accept_thread_;
};

// Sends `request` as received to 127.0.0.1:`port` on a new connection and
// returns the answer (status 502 with the reason when it fails).
CannedResponse ForwardTo(int port, const RecordedRequest& request);

}  // namespace gallery::storage::s3::testing
