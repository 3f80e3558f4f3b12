#pragma once

// A small blocking HTTP/1.1 client: one request in, one response out. No
// redirects are followed and nothing is retried here (retries belong to the
// caller, who knows which requests are safe to repeat).

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.hpp"
#include "storage/s3/http_body.hpp"
#include "storage/s3/sigv4.hpp"

namespace gallery::storage::s3 {

struct HttpRequest {
  std::string method;        // GET, HEAD, PUT, POST, DELETE
  std::string url;           // absolute and percent-encoded: "https://host:port/path?query"
  HeaderList headers;        // sent as given; a "Host" here replaces the one from the URL
  HttpBody* body = nullptr;  // not owned; nullptr = no body
};

struct HttpResponse {
  long status = 0;
  HeaderList headers;  // names in lower case, values trimmed, in arrival order
  std::string body;

  // The first value of header `lower_name`, if present.
  std::optional<std::string_view> Header(std::string_view lower_name) const;
};

struct HttpTimeouts {
  std::chrono::milliseconds connect{5000};  // TCP + TLS handshake
  std::chrono::milliseconds total{30000};   // the whole exchange
};

// The outcome of one exchange: a response (any status), or no response.
struct HttpOutcome {
  // Non-OK when no complete response arrived: kTimeout when a timeout
  // expired, kUnavailable for network and TLS failures, kIoError when the
  // request body could not be read. The message says what and where.
  Status error;
  // With an error: whether repeating the request may succeed (connection
  // refused or reset, timeouts, truncated responses), as opposed to a
  // malformed URL, a certificate that does not verify or a body that
  // cannot be read.
  bool retryable = false;
  HttpResponse response;  // valid iff error.ok()
};

// Thread safety: Send may be called concurrently from many threads.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual HttpOutcome Send(const HttpRequest& request, const HttpTimeouts& timeouts) = 0;
};

struct CurlHttpClientOptions {
  // Idle handles kept for reuse. Each keeps its connections open, so reusing
  // a handle reuses its TCP (and TLS) connection to the same host.
  size_t max_idle_handles = 16;
  // Honour http_proxy / https_proxy / no_proxy from the environment. Off for
  // link-local metadata endpoints, which must never go through a proxy.
  bool use_environment_proxy = true;
  // PEM file of CAs to verify https servers with; empty = the system's.
  std::string ca_file;
};

// libcurl underneath: a pool of easy handles, each used by one request at a
// time and returned to the pool afterwards.
std::unique_ptr<HttpClient> NewCurlHttpClient(const CurlHttpClientOptions& options = {});

}  // namespace gallery::storage::s3
