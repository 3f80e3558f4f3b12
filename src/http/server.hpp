#pragma once

// The HTTP/1.1 server: Boost.Beast over Asio, one io_context per network
// thread (each run by exactly one thread, so no strands and no locking in
// the scheduler; connections are spread over them round-robin), one
// coroutine per connection (keep-alive), requests dispatched
// through a Router. Around every handler: request id, limits, timeouts,
// access log line, metrics, problem+json for errors.
//
// Bodies: up to `memory_body_threshold` bytes in memory, larger (or chunked)
// ones streamed to a spool file; over the route's limit → 413 and the
// connection closes. Timeouts: the header must arrive within
// `header_timeout` once its first byte has (a slowloris client cannot hold a
// connection by trickling headers); a body read stalls at most
// `body_idle_timeout`; an idle keep-alive connection is closed after
// `idle_timeout`. No thread is ever held by a slow client.

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/metrics.hpp"
#include "common/status.hpp"
#include "http/router.hpp"

namespace gallery::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port (tests)
  int threads = 2;
  size_t max_header_bytes = 16 * 1024;
  uint64_t default_max_body_bytes = 1 << 20;  // routes without their own limit (JSON)
  size_t memory_body_threshold = 64 * 1024;
  std::filesystem::path spool_dir;  // REQUIRED: where large bodies are spooled
  std::chrono::milliseconds header_timeout{10'000};
  // Longer than the load balancer's idle timeout (60 s on an ALB), so the
  // balancer, not us, closes idle connections: no 502 from a race.
  std::chrono::milliseconds idle_timeout{75'000};
  std::chrono::milliseconds body_idle_timeout{30'000};
  std::chrono::milliseconds write_timeout{60'000};
  std::chrono::milliseconds shutdown_grace{25'000};
  size_t max_connections = 10'000;
  // Reverse proxies in front that append to X-Forwarded-For: the client's
  // address (Request::remote_address, the access log, sign-in limits) is
  // read from there (http/forwarded.hpp). 0: the connection's peer.
  int trusted_proxy_hops = 0;
};

class Server {
 public:
  // `router` and `metrics` must outlive the server.
  Server(ServerOptions options, const Router& router, Metrics& metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. kUnavailable when the address cannot be bound.
  Status Listen();
  // The bound port (after Listen).
  uint16_t port() const { return bound_port_; }

  // Runs the network threads until shutdown has completed. Blocks.
  void Run();

  // Graceful shutdown: stop accepting, close idle connections, let in-flight
  // requests finish (their responses carry Connection: close) for up to
  // `shutdown_grace`, then stop. Thread-safe and idempotent.
  void Shutdown();

  // Calls Shutdown() on SIGTERM or SIGINT. Call before Run().
  void HandleSignals();

  // The first network context: for timers of the composition root.
  boost::asio::io_context& io_context() { return *contexts_.front(); }
  bool stopping() const { return stopping_.load(); }

 private:
  struct Connection;

  boost::asio::awaitable<void> AcceptLoop();
  boost::asio::awaitable<void> Session(std::shared_ptr<Connection> conn);
  boost::asio::awaitable<Response> Dispatch(Request& request, const RouteMatch& match);
  void LogAndCount(const Request& request, const std::string& route, const Response& response,
                   uint64_t bytes_out, std::chrono::steady_clock::time_point start);
  void FinishShutdown();

  ServerOptions options_;
  const Router& router_;
  Metrics& metrics_;
  boost::asio::io_context& NextContext();

  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  // Keep every context running while it has no connection; reset at stop.
  std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guards_;
  size_t next_context_ = 0;  // only touched by the accept loop
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer drain_timer_;
  uint16_t bound_port_ = 0;
  std::atomic<bool> stopping_{false};
  std::chrono::steady_clock::time_point shutdown_deadline_;

  std::mutex conns_mu_;
  std::unordered_map<uint64_t, std::weak_ptr<Connection>> conns_;  // GUARDED_BY(conns_mu_)
  uint64_t next_conn_id_ = 0;                                      // GUARDED_BY(conns_mu_)
};

}  // namespace gallery::http
