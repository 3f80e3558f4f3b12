#include "http/server.hpp"

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <optional>

#include "common/crypto.hpp"
#include "common/log.hpp"
#include "common/time.hpp"
#include "http/access_log.hpp"
#include "http/forwarded.hpp"
#include "http/problem.hpp"
#include "http/request_id.hpp"

namespace gallery::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using asio::use_awaitable;
using SteadyClock = std::chrono::steady_clock;

constexpr auto kRedirect = [](beast::error_code& ec) {
  return asio::redirect_error(use_awaitable, ec);
};

// How a failed body read ends the exchange.
Status BodyReadError(const beast::error_code& ec, uint64_t limit) {
  if (ec == beast_http::error::body_limit) {
    return Status(ErrorCode::kPayloadTooLarge, "body over limit",
                  "Request body exceeds the limit of " + std::to_string(limit) + " bytes");
  }
  if (ec == beast::error::timeout) return Status(ErrorCode::kTimeout, "body read timed out");
  if (ec.category() == beast_http::make_error_code(beast_http::error::bad_chunk).category() &&
      ec != beast_http::error::end_of_stream && ec != beast_http::error::partial_message) {
    return Status(ErrorCode::kInvalidArgument, "bad body encoding: " + ec.message(),
                  "Malformed request body encoding");
  }
  return Status(ErrorCode::kIoError, "client went away: " + ec.message());
}

// Reads the body announced by the parsed header `header_parser` into
// `request`: in memory when small and of known length, else to a spool file.
// When the read fails and `keep_broken` is set, what arrived stays in
// `request` as its body.
asio::awaitable<Status> ReadBody(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                 beast_http::request_parser<beast_http::empty_body>&& header_parser,
                                 uint64_t limit, const ServerOptions& options, bool keep_broken,
                                 Request& request) {
  beast::error_code ec;
  boost::optional<uint64_t> length = header_parser.content_length();
  if (length && *length <= options.memory_body_threshold) {
    beast_http::request_parser<beast_http::string_body> parser(std::move(header_parser));
    parser.body_limit(limit);
    while (!parser.is_done()) {
      stream.expires_after(options.body_idle_timeout);
      co_await beast_http::async_read_some(stream, buffer, parser, kRedirect(ec));
      if (ec) break;
    }
    if (!ec || keep_broken) {
      request.body = std::move(parser.get().body());
      request.body_size = request.body.size();
    }
    co_return ec ? BodyReadError(ec, limit) : Status::Ok();
  }

  auto spool = std::make_shared<SpoolFile>(options.spool_dir / ("body-" + NewId() + ".part"));
  beast_http::request_parser<beast_http::file_body> parser(std::move(header_parser));
  parser.body_limit(limit);
  parser.get().body().open(spool->path().c_str(), beast::file_mode::write_new, ec);
  if (ec) co_return Status(ErrorCode::kIoError, "spool open: " + ec.message());
  while (!parser.is_done()) {
    stream.expires_after(options.body_idle_timeout);
    co_await beast_http::async_read_some(stream, buffer, parser, kRedirect(ec));
    if (ec) break;
  }
  if (!ec || keep_broken) {
    // body().size() is the size the file had when opened (0): ask the file.
    beast::error_code size_ec;
    request.body_size = parser.get().body().file().size(size_ec);  // only counted: 0 on error
    parser.get().body().close();
    request.body_file = std::move(spool);
  }
  co_return ec ? BodyReadError(ec, limit) : Status::Ok();
}

// The status line and header fields of `msg`, ending with the blank line.
std::string SerializeHeader(const beast_http::response<beast_http::string_body>& msg) {
  std::string out;
  out.reserve(256);
  out.append(msg.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  char code[8];
  auto [end, ec] = std::to_chars(code, code + sizeof code, msg.result_int());
  out.append(code, end).push_back(' ');
  // The reason a handler set (460 "Checksum Mismatch"), else the standard one.
  out.append(msg.reason()).append("\r\n");
  for (const auto& field : msg) {
    out.append(field.name_string()).append(": ").append(field.value()).append("\r\n");
  }
  out.append("\r\n");
  return out;
}

// Splits the target into a decoded path and the raw query.
bool ParseTarget(std::string_view target, Request* request) {
  size_t q = target.find('?');
  std::string_view raw_path = target.substr(0, q);
  if (raw_path.empty() || raw_path.front() != '/') return false;
  if (!PercentDecode(raw_path, &request->path)) return false;
  if (request->path.find('\0') != std::string::npos) return false;
  request->query = q == std::string_view::npos ? "" : std::string(target.substr(q + 1));
  return true;
}

}  // namespace

struct Server::Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  uint64_t id = 0;
  // A request is being read or answered. Only touched on the connection's
  // own context, whose single thread runs the session.
  bool busy = false;
};

Server::Server(ServerOptions options, const Router& router, Metrics& metrics)
    : options_(std::move(options)),
      router_(router),
      metrics_(metrics),
      contexts_([this] {
        std::vector<std::unique_ptr<asio::io_context>> v;
        for (int i = 0; i < std::max(1, options_.threads); ++i) {
          v.push_back(std::make_unique<asio::io_context>(1));  // hint: one thread
        }
        return v;
      }()),
      acceptor_(*contexts_.front()),
      signals_(*contexts_.front()),
      drain_timer_(*contexts_.front()) {
  for (auto& c : contexts_) guards_.push_back(asio::make_work_guard(*c));
  metrics_.DeclareCounter("http_requests_total", "HTTP requests by method, route and status.",
                          {"method", "route", "status"});
  metrics_.DeclareHistogram(
      "http_request_duration_seconds", "HTTP request latency by route.", {"route"},
      {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10});
  metrics_.DeclareCounter("http_received_bytes_total", "Request body bytes received.", {});
  metrics_.DeclareCounter("http_sent_bytes_total", "Response bytes sent.", {});
  metrics_.DeclareGauge("http_open_connections", "Open client connections.", [this] {
    std::lock_guard lock(conns_mu_);
    return static_cast<double>(conns_.size());
  });
}

Server::~Server() = default;

Status Server::Listen() {
  beast::error_code ec;
  asio::ip::address address = asio::ip::make_address(options_.host, ec);
  if (ec) return Status::InvalidArgument("listen address '" + options_.host + "': " + ec.message());
  tcp::endpoint endpoint(address, options_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::Unavailable("cannot listen on " + options_.host + ":" +
                               std::to_string(options_.port) + ": " + ec.message());
  }
  bound_port_ = acceptor_.local_endpoint().port();
  return Status::Ok();
}

void Server::HandleSignals() {
  signals_.add(SIGTERM);
  signals_.add(SIGINT);
  signals_.async_wait([this](const beast::error_code& ec, int signal) {
    if (ec) return;
    LogInfo("shutting down", {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"}});
    Shutdown();
  });
}

void Server::Run() {
  asio::co_spawn(acceptor_.get_executor(), AcceptLoop(), asio::detached);
  std::vector<std::thread> threads;
  for (size_t i = 1; i < contexts_.size(); ++i) {
    threads.emplace_back([this, i] { contexts_[i]->run(); });
  }
  contexts_.front()->run();
  for (auto& t : threads) t.join();
}

asio::io_context& Server::NextContext() {
  asio::io_context& c = *contexts_[next_context_];
  next_context_ = (next_context_ + 1) % contexts_.size();
  return c;
}

asio::awaitable<void> Server::AcceptLoop() {
  for (;;) {
    beast::error_code ec;
    tcp::socket socket = co_await acceptor_.async_accept(NextContext(), kRedirect(ec));
    if (ec) {
      if (stopping_ || ec == asio::error::operation_aborted) co_return;
      // Out of file descriptors or similar: back off instead of spinning.
      LogWarn("accept failed", {{"error", ec.message()}});
      asio::steady_timer pause(co_await asio::this_coro::executor, std::chrono::milliseconds(50));
      co_await pause.async_wait(kRedirect(ec));
      continue;
    }
    auto conn = std::make_shared<Connection>(std::move(socket));
    {
      std::lock_guard lock(conns_mu_);
      if (conns_.size() >= options_.max_connections) continue;  // closes the socket
      conn->id = next_conn_id_++;
      conns_[conn->id] = conn;
    }
    asio::co_spawn(conn->stream.get_executor(), Session(conn), asio::detached);
  }
}

asio::awaitable<Response> Server::Dispatch(Request& request, const RouteMatch& match) {
  std::optional<Response> response;
  try {
    response = co_await match.route->handler(request);
  } catch (const std::exception& e) {
    LogError("handler threw", {{"request_id", request.request_id}, {"error", e.what()}});
  }
  if (!response) response = ProblemResponse(Status::Internal("handler threw"), request);
  co_return std::move(*response);
}

asio::awaitable<void> Server::Session(std::shared_ptr<Connection> conn) {
  beast::tcp_stream& stream = conn->stream;
  beast::flat_buffer buffer;
  std::string remote;
  {
    beast::error_code ec;
    auto endpoint = stream.socket().remote_endpoint(ec);
    if (!ec) remote = endpoint.address().to_string();
  }

  bool keep_alive = true;
  while (keep_alive && !stopping_) {
    conn->busy = false;
    beast::error_code ec;
    // Wait (idle) for the first byte of the next request.
    if (buffer.size() == 0) {
      stream.expires_after(options_.idle_timeout);
      size_t n = co_await stream.async_read_some(buffer.prepare(4096), kRedirect(ec));
      if (ec) break;
      buffer.commit(n);
    }
    conn->busy = true;
    const auto start = SteadyClock::now();

    // The whole header must follow within header_timeout.
    beast_http::request_parser<beast_http::empty_body> header_parser;
    header_parser.header_limit(static_cast<uint32_t>(options_.max_header_bytes));
    header_parser.body_limit(std::numeric_limits<uint64_t>::max());
    stream.expires_after(options_.header_timeout);
    co_await beast_http::async_read_header(stream, buffer, header_parser, kRedirect(ec));

    Request request;
    request.remote_address = remote;
    Response response;
    std::string route_name = "unmatched";
    bool answer = true;
    if (ec == beast_http::error::header_limit) {
      request.request_id = NewRequestId();
      response = ProblemResponse(
          ErrorCode::kHeadersTooLarge,
          "Request headers are larger than " + std::to_string(options_.max_header_bytes) + " bytes",
          request);
      keep_alive = false;
    } else if (ec &&
               ec.category() ==
                   beast_http::make_error_code(beast_http::error::bad_target).category() &&
               ec != beast_http::error::end_of_stream && ec != beast_http::error::partial_message) {
      request.request_id = NewRequestId();
      response = ProblemResponse(ErrorCode::kInvalidArgument, "Malformed HTTP request", request);
      keep_alive = false;
    } else if (ec) {
      break;  // timeout or the client went away: nothing to answer
    } else {
      auto& header = header_parser.get();
      request.method = header.method();
      request.target = std::string(header.target());
      request.version = header.version();
      request.headers = header.base();
      request.request_id = RequestIdFrom(request.headers);
      if (options_.trusted_proxy_hops > 0) {
        request.remote_address =
            ClientAddress(remote, request.headers, options_.trusted_proxy_hops);
      }
      keep_alive = header.keep_alive();

      RouteMatch match;
      bool target_ok = ParseTarget(request.target, &request);
      if (target_ok) match = router_.Match(request.method, request.path);
      if (match.route != nullptr) route_name = match.route->pattern;
      uint64_t limit = match.route != nullptr && match.route->options.max_body_bytes > 0
                           ? match.route->options.max_body_bytes
                           : options_.default_max_body_bytes;
      const bool has_body = header.chunked() || header_parser.content_length().value_or(0) > 0;
      boost::optional<uint64_t> length = header_parser.content_length();

      Status body_status;
      if (target_ok && match.route != nullptr && match.route->options.admit) {
        request.path_params = match.params;
        body_status = co_await match.route->options.admit(request);
      }
      if (!body_status.ok()) {
        // Refused on its headers: the body stays unread (the answer closes).
      } else if (!target_ok) {
        body_status = Status(ErrorCode::kInvalidArgument, "bad target", "Malformed request path");
      } else if (length && *length > limit) {
        // Refuse before reading a byte of it; the unread body forces a close.
        body_status = BodyReadError(beast_http::error::body_limit, limit);
      } else if (has_body) {
        auto expect = header.find(beast_http::field::expect);
        if (expect != header.end() && beast::iequals(expect->value(), "100-continue")) {
          stream.expires_after(options_.write_timeout);
          static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          co_await asio::async_write(stream, asio::buffer(kContinue), kRedirect(ec));
          if (ec) break;
        }
        const bool keep_broken = match.route != nullptr && match.route->options.accept_broken_body;
        body_status = co_await ReadBody(stream, buffer, std::move(header_parser), limit, options_,
                                        keep_broken, request);
        if (body_status.code() == ErrorCode::kTimeout ||
            body_status.code() == ErrorCode::kIoError) {
          LogInfo("request body not received",
                  {{"request_id", request.request_id}, {"error", body_status.message()}});
          answer = false;
        }
      }
      if (!answer) {
        if (match.route != nullptr && match.route->options.accept_broken_body &&
            request.body_size > 0) {
          // Nobody will read the answer; the handler keeps what arrived.
          request.body_complete = false;
          request.path_params = match.params;
          Response ignored = co_await Dispatch(request, match);
          LogInfo("broken-off request body handed to its route",
                  {{"request_id", request.request_id},
                   {"route", route_name},
                   {"bytes", request.body_size},
                   {"status", static_cast<int>(ignored.msg.result_int())}});
        }
        break;
      }
      if (!body_status.ok()) {
        response = ProblemResponse(body_status, request);
        if (has_body) keep_alive = false;  // the rest of the body is unread
      } else if (match.route == nullptr) {
        if (match.path_known) {
          response = ProblemResponse(
              Status(ErrorCode::kInvalidArgument, "method not allowed", "Method not allowed"),
              request);
          response.msg.result(HttpStatus::method_not_allowed);
          response.msg.set(beast_http::field::allow, router_.AllowedMethods(request.path));
        } else {
          response = ProblemResponse(
              Status(ErrorCode::kNotFound, "no route", "No such resource: " + request.path),
              request);
        }
      } else {
        request.path_params = match.params;
        response = co_await Dispatch(request, match);
      }
    }

    // Common headers, then write.
    if (stopping_) keep_alive = false;
    response.msg.version(request.version);
    response.msg.set(beast_http::field::server, "gallery");
    response.msg.set("X-Request-Id", request.request_id);
    response.msg.keep_alive(keep_alive);
    const bool head = request.method == Verb::head;
    uint64_t bytes_out = 0;
    stream.expires_after(options_.write_timeout);
    if (response.shared_body || !response.stream) {
      // A complete body: the header block and the body go out in one
      // gathered write (cheaper than the general serializer on the hot path).
      const std::string& body = response.shared_body ? *response.shared_body : response.msg.body();
      const unsigned code = response.msg.result_int();
      const bool bodiless = code == 204 || code == 304 || code < 200;  // RFC 9110 6.4.1
      if (bodiless) {
        response.msg.erase(beast_http::field::content_length);
      } else {
        response.msg.content_length(body.size());  // for HEAD too: that of GET
      }
      std::string header = SerializeHeader(response.msg);
      std::array<asio::const_buffer, 2> buffers = {
          asio::buffer(header), head || bodiless ? asio::const_buffer() : asio::buffer(body)};
      bytes_out = co_await asio::async_write(stream, buffers, kRedirect(ec));
    } else {
      beast_http::response<beast_http::buffer_body> out(std::move(response.msg.base()));
      out.content_length(response.stream_length);
      out.body().data = nullptr;
      out.body().more = !head;
      beast_http::response_serializer<beast_http::buffer_body> serializer(out);
      bytes_out += co_await beast_http::async_write_header(stream, serializer, kRedirect(ec));
      while (!ec && !head) {
        Result<std::string> chunk = co_await response.stream->Next();
        if (!chunk.ok()) {
          LogError("response body failed",
                   {{"request_id", request.request_id}, {"error", chunk.status().message()}});
          keep_alive = false;
          break;
        }
        out.body().data = chunk->empty() ? nullptr : chunk->data();
        out.body().size = chunk->size();
        out.body().more = !chunk->empty();
        stream.expires_after(options_.write_timeout);
        bytes_out += co_await beast_http::async_write(stream, serializer, kRedirect(ec));
        if (ec == beast_http::error::need_buffer) ec = {};
        if (chunk->empty()) break;
      }
    }
    LogAndCount(request, route_name, response, bytes_out, start);
    if (ec) break;
  }

  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream.close();
  std::lock_guard lock(conns_mu_);
  conns_.erase(conn->id);
}

void Server::LogAndCount(const Request& request, const std::string& route, const Response& response,
                         uint64_t bytes_out, SteadyClock::time_point start) {
  double seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  int status = static_cast<int>(response.msg.result_int());
  std::string method(beast_http::to_string(request.method));
  metrics_.Add("http_requests_total", {method, route, std::to_string(status)});
  metrics_.Observe("http_request_duration_seconds", {route}, seconds);
  metrics_.Add("http_received_bytes_total", {}, static_cast<double>(request.body_size));
  metrics_.Add("http_sent_bytes_total", {}, static_cast<double>(bytes_out));
  // The query is left out: it may carry tokens.
  AccessLogEntry entry;
  entry.request_id = request.request_id;
  entry.method = method;
  entry.route = route;
  entry.path = request.path;
  entry.status = status;
  entry.bytes_in = request.body_size;
  entry.bytes_out = bytes_out;
  entry.duration_ms = seconds * 1000.0;
  entry.remote = request.remote_address;
  WriteLogLine(FormatAccessLog(entry));
}

void Server::Shutdown() {
  if (stopping_.exchange(true)) return;
  shutdown_deadline_ = SteadyClock::now() + options_.shutdown_grace;
  asio::post(acceptor_.get_executor(), [this] {
    beast::error_code ec;
    acceptor_.close(ec);
  });
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard lock(conns_mu_);
    for (auto& [id, weak] : conns_) {
      if (auto c = weak.lock()) live.push_back(std::move(c));
    }
  }
  // Idle connections close now; busy ones after their response.
  for (auto& c : live) {
    asio::post(c->stream.get_executor(), [c] {
      if (!c->busy) c->stream.cancel();
    });
  }
  asio::post(*contexts_.front(), [this] { FinishShutdown(); });
}

void Server::FinishShutdown() {
  bool drained;
  {
    std::lock_guard lock(conns_mu_);
    drained = conns_.empty();
  }
  if (drained || SteadyClock::now() >= shutdown_deadline_) {
    if (!drained) LogWarn("shutdown grace period over; closing busy connections");
    signals_.cancel();
    guards_.clear();
    for (auto& c : contexts_) c->stop();
    return;
  }
  drain_timer_.expires_after(std::chrono::milliseconds(20));
  drain_timer_.async_wait([this](const beast::error_code&) { FinishShutdown(); });
}

}  // namespace gallery::http
