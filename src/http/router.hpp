#pragma once

// Maps (method, path) to a handler. Patterns are literal segments and
// `{name}` captures of one segment: "/api/v1/photos/{id}/original". A
// trailing "{*name}" captures the rest of the path (static assets).

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace gallery::http {

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

struct RouteOptions {
  // Largest body accepted; 0 means the server's small default (for JSON).
  uint64_t max_body_bytes = 0;
  // When the client's body breaks off (connection lost, or stalled past the
  // body timeout), run the handler anyway with what arrived and
  // Request::body_complete false; its response is not sent (there is no
  // one to send it to). For protocols that keep partial bodies (tus).
  bool accept_broken_body = false;
  // When set, runs on the request's headers before its body is read (and
  // before "100 Continue"): a non-OK status is the answer and the body is
  // never read. Lets routes that take large bodies refuse strangers before
  // a byte of theirs is spooled to disk.
  std::function<boost::asio::awaitable<Status>(const Request&)> admit;
};

struct Route {
  Verb method;
  std::string pattern;
  Handler handler;
  RouteOptions options;
};

struct RouteMatch {
  const Route* route = nullptr;  // null: no route for this path and method
  bool path_known = false;       // true when the path matched with another method (405)
  std::map<std::string, std::string> params;
};

class Router {
 public:
  // REQUIRES: called before the server starts (not thread-safe with Match).
  void Add(Verb method, std::string pattern, Handler handler, RouteOptions options = {});

  // Thread-safe once routes are added. HEAD matches a HEAD route of the
  // path, else its GET route.
  RouteMatch Match(Verb method, std::string_view path) const;

  // Allowed methods for a known path (for 405's Allow header).
  std::string AllowedMethods(std::string_view path) const;

 private:
  static bool MatchPattern(const std::vector<std::string>& pattern,
                           const std::vector<std::string_view>& parts, bool trailing_slash,
                           std::map<std::string, std::string>* params);

  struct Entry {
    Route route;
    std::vector<std::string> segments;
  };
  // Whether a route of `method` has exactly this pattern.
  bool HasRoute(Verb method, const std::vector<std::string>& segments) const;
  std::vector<Entry> entries_;
};

}  // namespace gallery::http
