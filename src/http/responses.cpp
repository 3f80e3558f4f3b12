#include "http/responses.hpp"

namespace gallery::http {

Response JsonResponse(HttpStatus status, const nlohmann::json& body) {
  Response r;
  r.msg.result(status);
  r.msg.set(beast_http::field::content_type, "application/json");
  r.msg.body() = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response TextResponse(HttpStatus status, std::string body, std::string content_type) {
  Response r;
  r.msg.result(status);
  r.msg.set(beast_http::field::content_type, content_type);
  r.msg.body() = std::move(body);
  return r;
}

Response EmptyResponse(HttpStatus status) {
  Response r;
  r.msg.result(status);
  return r;
}

bool IfNoneMatchHits(const Request& request, std::string_view etag) {
  std::string header = request.Header("If-None-Match");
  if (header.empty()) return false;
  std::string_view rest = header;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.substr(0, 2) == "W/") item.remove_prefix(2);  // weak comparison (RFC 9110 13.1.2)
    if (item == "*" || item == etag) return true;
  }
  return false;
}

}  // namespace gallery::http
