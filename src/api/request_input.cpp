#include "api/request_input.hpp"

#include <charconv>

#include "common/crypto.hpp"

namespace gallery::api {
namespace {

Status Bad(std::string detail) { return Status(ErrorCode::kInvalidArgument, detail, detail); }

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

Result<int> PageLimit(const http::Request& request) {
  int limit = kDefaultPageSize;
  if (auto text = request.QueryParam("limit")) {
    auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), limit);
    if (ec != std::errc() || ptr != text->data() + text->size() || limit < 1 ||
        limit > kMaxPageSize) {
      return Bad("limit must be a whole number from 1 to " + std::to_string(kMaxPageSize));
    }
  }
  return limit;
}

std::string EncodeKeyCursor(int64_t key, const std::string& id) {
  return Base64UrlEncode(std::to_string(key) + ":" + id);
}

std::optional<std::pair<int64_t, std::string>> DecodeKeyCursor(const std::string& text) {
  std::string raw;
  if (text.size() > 200 || !Base64UrlDecode(text, &raw)) return std::nullopt;
  size_t colon = raw.find(':');
  if (colon == std::string::npos || colon + 1 >= raw.size()) return std::nullopt;
  int64_t key = 0;
  auto [ptr, ec] = std::from_chars(raw.data(), raw.data() + colon, key);
  if (ec != std::errc() || ptr != raw.data() + colon) return std::nullopt;
  std::string id = raw.substr(colon + 1);
  for (char c : id) {
    if (!IsIdChar(c)) return std::nullopt;
  }
  return std::make_pair(key, std::move(id));
}

Result<std::optional<std::pair<int64_t, std::string>>> PageCursor(const http::Request& request) {
  std::optional<std::string> text = request.QueryParam("cursor");
  if (!text || text->empty()) return std::optional<std::pair<int64_t, std::string>>();
  auto cursor = DecodeKeyCursor(*text);
  if (!cursor) return Bad("cursor is not one this server issued");
  return std::optional<std::pair<int64_t, std::string>>(std::move(cursor));
}

}  // namespace gallery::api
