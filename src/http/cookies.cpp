#include "http/cookies.hpp"

#include "common/ascii.hpp"
namespace gallery::http {
std::optional<std::string> CookieValue(const Fields& headers, std::string_view name) {
  auto [first, last] = headers.equal_range(beast_http::field::cookie);
  for (auto field = first; field != last; ++field) {
    std::string_view list = field->value();
    while (!list.empty()) {
      size_t semi = list.find(';');
      std::string_view pair = TrimBlanks(list.substr(0, semi));
      list = semi == std::string_view::npos ? std::string_view() : list.substr(semi + 1);
      size_t eq = pair.find('=');
      if (eq == std::string_view::npos || TrimBlanks(pair.substr(0, eq)) != name) continue;
      std::string_view value = TrimBlanks(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      return std::string(value);
    }
  }
  return std::nullopt;
}

std::string SetCookie(std::string_view name, std::string_view value,
                      const SetCookieOptions& options) {
  std::string out;
  out.append(name).append("=").append(value);
  out.append("; Path=").append(options.path);
  if (options.max_age) out.append("; Max-Age=").append(std::to_string(options.max_age->count()));
  if (options.http_only) out.append("; HttpOnly");
  if (options.secure) out.append("; Secure");
  if (!options.same_site.empty()) out.append("; SameSite=").append(options.same_site);
  return out;
}

std::string ClearCookie(std::string_view name, SetCookieOptions options) {
  options.max_age = std::chrono::seconds(0);
  return SetCookie(name, "", options);
}

}  // namespace gallery::http
