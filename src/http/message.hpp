#pragma once

// The request and response types handlers see. A handler reads a Request
// and returns a Response; the server does the socket work around it.

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.hpp"

namespace gallery::http {

namespace beast_http = boost::beast::http;
using Verb = beast_http::verb;
using HttpStatus = beast_http::status;
using Fields = beast_http::fields;

// A request body spooled to a file (large or of unknown length). The file is
// removed when the last owner goes away.
class SpoolFile {
 public:
  explicit SpoolFile(std::filesystem::path path) : path_(std::move(path)) {}
  ~SpoolFile();
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct Request {
  Verb method = Verb::get;
  std::string target;  // as received: path and query
  std::string path;    // percent-decoded path, without the query
  std::string query;   // raw query string, without '?'
  Fields headers;
  unsigned version = 11;

  // The body: in `body` when small, else in `body_file` (never both).
  std::string body;
  std::shared_ptr<SpoolFile> body_file;
  uint64_t body_size = 0;
  // false only for routes that accept broken bodies (RouteOptions): the
  // client went away mid-body and `body` / `body_file` hold what arrived.
  bool body_complete = true;

  std::string request_id;
  std::string remote_address;
  std::map<std::string, std::string> path_params;  // from the route pattern

  // The first value of query parameter `name`, percent-decoded.
  std::optional<std::string> QueryParam(std::string_view name) const;
  // The header's value or "" when absent.
  std::string Header(std::string_view name) const;
  std::string PathParam(const std::string& name) const;
};

// Produces a response body in pieces (for large blobs): each Next() returns
// the next chunk, an empty string at the end, or an error (the connection is
// then closed, since the headers are already sent).
class BodySource {
 public:
  virtual ~BodySource() = default;
  virtual boost::asio::awaitable<Result<std::string>> Next() = 0;
};

struct Response {
  beast_http::response<beast_http::string_body> msg;
  // When set, the body comes from here (msg.body() stays empty) and
  // Content-Length must be set by the handler.
  std::shared_ptr<BodySource> stream;
  uint64_t stream_length = 0;
  // When set, the body is these bytes, shared rather than copied (cached
  // derivatives); msg.body() stays empty.
  std::shared_ptr<const std::string> shared_body;

  HttpStatus status() const { return msg.result(); }
};

// Percent-decodes `in` ('+' stays '+'). Returns false on a bad escape.
bool PercentDecode(std::string_view in, std::string* out);
// Decodes application/x-www-form-urlencoded values ('+' means space).
bool FormDecode(std::string_view in, std::string* out);

}  // namespace gallery::http
