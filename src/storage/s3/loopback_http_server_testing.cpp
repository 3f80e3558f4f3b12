#include "storage/s3/loopback_http_server_testing.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

namespace gallery::storage::s3::testing {
namespace {

constexpr int kPollMillis = 50;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return std::string(text);
}

std::optional<std::string> FindHeader(const HeaderList& headers, std::string_view name) {
  for (const auto& [n, v] : headers) {
    if (EqualsIgnoreCase(n, name)) return v;
  }
  return std::nullopt;
}

bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Reads more bytes into `buffer`; false on EOF, error, or when `stop` is set.
bool ReadMore(int fd, std::string& buffer, const std::atomic<bool>* stop) {
  for (;;) {
    if (stop != nullptr && stop->load()) return false;
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, kPollMillis);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return false;
    if (ready == 0) continue;
    char chunk[64 * 1024];
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
    return true;
  }
}

// Splits "head\r\n\r\nrest": parses the start line and headers. Returns the
// position after the blank line, or npos when the head is incomplete.
size_t ParseHead(const std::string& buffer, std::string* start_line, HeaderList* headers) {
  const size_t end = buffer.find("\r\n\r\n");
  if (end == std::string::npos) return std::string::npos;
  size_t pos = buffer.find("\r\n");
  *start_line = buffer.substr(0, pos);
  headers->clear();
  while (pos < end) {
    const size_t next = buffer.find("\r\n", pos + 2);
    const std::string_view line(buffer.data() + pos + 2, next - pos - 2);
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      headers->emplace_back(Trim(line.substr(0, colon)), Trim(line.substr(colon + 1)));
    }
    pos = next;
  }
  return end + 4;
}

std::string ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 416:
      return "Range Not Satisfiable";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

}  // namespace

std::optional<std::string> RecordedRequest::Header(std::string_view name) const {
  return FindHeader(headers, name);
}

Result<std::unique_ptr<LoopbackHttpServer>> LoopbackHttpServer::Start(Handler handler) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::FromErrno(errno, "socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 64) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const int err = errno;
    ::close(fd);
    return Status::FromErrno(err, "binding 127.0.0.1:0");
  }
  return std::unique_ptr<LoopbackHttpServer>(
      new LoopbackHttpServer(fd, ntohs(addr.sin_port), std::move(handler)));
}

LoopbackHttpServer::LoopbackHttpServer(int listen_fd, int port, Handler handler)
    : listen_fd_(listen_fd), port_(port), handler_(std::move(handler)) {
  accept_thread_ = std::thread([this] { AcceptLoop(); });
}

LoopbackHttpServer::~LoopbackHttpServer() { Stop(); }

void LoopbackHttpServer::Stop() {
  if (stopping_.exchange(true)) return;
  accept_thread_.join();
  ::close(listen_fd_);
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    for (int fd : connection_fds_) ::shutdown(fd, SHUT_RDWR);
    threads.swap(connection_threads_);
  }
  for (std::thread& t : threads) t.join();
}

std::vector<RecordedRequest> LoopbackHttpServer::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

size_t LoopbackHttpServer::request_count() const {
  std::lock_guard lock(mu_);
  return requests_.size();
}

void LoopbackHttpServer::AcceptLoop() {
  while (!stopping_.load()) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, kPollMillis) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    connections_.fetch_add(1);
    std::lock_guard lock(mu_);
    connection_fds_.push_back(fd);
    connection_threads_.emplace_back([this, fd] { ServeConnection(fd); });
  }
}

void LoopbackHttpServer::ServeConnection(int fd) {
  std::string buffer;
  while (ServeOneRequest(fd, buffer)) {
  }
  ::shutdown(fd, SHUT_RDWR);
  std::lock_guard lock(mu_);
  connection_fds_.erase(std::remove(connection_fds_.begin(), connection_fds_.end(), fd),
                        connection_fds_.end());
  ::close(fd);
}

bool LoopbackHttpServer::ServeOneRequest(int fd, std::string& buffer) {
  std::string start_line;
  RecordedRequest request;
  size_t body_start;
  while ((body_start = ParseHead(buffer, &start_line, &request.headers)) == std::string::npos) {
    if (!ReadMore(fd, buffer, &stopping_)) return false;
  }
  const size_t sp1 = start_line.find(' ');
  const size_t sp2 = start_line.rfind(' ');
  request.method = start_line.substr(0, sp1);
  request.target = start_line.substr(sp1 + 1, sp2 - sp1 - 1);
  const size_t q = request.target.find('?');
  request.path = request.target.substr(0, q);
  if (q != std::string::npos) request.query = request.target.substr(q + 1);
  const size_t length = std::stoul(request.Header("content-length").value_or("0"));
  while (buffer.size() < body_start + length) {
    if (!ReadMore(fd, buffer, &stopping_)) return false;
  }
  request.body = buffer.substr(body_start, length);
  buffer.erase(0, body_start + length);
  {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
  }

  const CannedResponse response = handler_(request);
  if (response.drop_connection) return false;
  if (response.hang) {
    // Until the client goes away or the server stops.
    std::string ignored;
    while (ReadMore(fd, ignored, &stopping_)) {
    }
    return false;
  }
  const auto deadline = std::chrono::steady_clock::now() + response.delay;
  while (std::chrono::steady_clock::now() < deadline && !stopping_.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::string out =
      "HTTP/1.1 " + std::to_string(response.status) + " " + ReasonPhrase(response.status) + "\r\n";
  for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
  if (!FindHeader(response.headers, "content-length")) {
    out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  }
  out += "\r\n";
  if (request.method != "HEAD") out += response.body;
  if (!SendAll(fd, out)) return false;
  const auto is_close = [](const std::optional<std::string>& v) {
    return v && EqualsIgnoreCase(*v, "close");
  };
  return !is_close(request.Header("connection")) &&
         !is_close(FindHeader(response.headers, "connection"));
}

CannedResponse ForwardTo(int port, const RecordedRequest& request) {
  CannedResponse failure;
  failure.status = 502;
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    failure.body = std::strerror(errno);
    return failure;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    failure.body = std::string("connect: ") + std::strerror(errno);
    ::close(fd);
    return failure;
  }
  std::string out = request.method + " " + request.target + " HTTP/1.1\r\n";
  for (const auto& [name, value] : request.headers) {
    if (EqualsIgnoreCase(name, "connection")) continue;
    out += name + ": " + value + "\r\n";
  }
  out += "Connection: close\r\n\r\n" + request.body;
  std::string buffer;
  if (SendAll(fd, out)) {
    while (ReadMore(fd, buffer, nullptr)) {
    }
  }
  ::close(fd);

  CannedResponse response;
  std::string status_line;
  const size_t body_start = ParseHead(buffer, &status_line, &response.headers);
  if (body_start == std::string::npos) {
    failure.body = "incomplete response from upstream";
    return failure;
  }
  response.status = std::stoi(status_line.substr(status_line.find(' ') + 1, 3));
  response.body = buffer.substr(body_start);
  // The server re-frames the body: drop the upstream's framing headers, but
  // keep Content-Length for HEAD, whose answer carries it without a body.
  std::erase_if(response.headers, [&](const auto& h) {
    return EqualsIgnoreCase(h.first, "connection") ||
           EqualsIgnoreCase(h.first, "transfer-encoding") ||
           (EqualsIgnoreCase(h.first, "content-length") && request.method != "HEAD");
  });
  return response;
}

}  // namespace gallery::storage::s3::testing
