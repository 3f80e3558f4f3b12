#pragma once

// Reading the Cookie header and writing Set-Cookie (RFC 6265).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace gallery::http {

// The value of the first cookie called `name` in the request's Cookie
// header lines, or nullopt when there is none.
std::optional<std::string> CookieValue(const Fields& headers, std::string_view name);

struct SetCookieOptions {
  std::string path = "/";
  bool http_only = true;
  bool secure = false;                          // only sent back over HTTPS
  std::string same_site = "Lax";                // Strict, Lax or None
  std::optional<std::chrono::seconds> max_age;  // unset: a browser-session cookie
};

// The value of a Set-Cookie header. `value` must be cookie-safe (tokens and
// ids here are base64url).
std::string SetCookie(std::string_view name, std::string_view value,
                      const SetCookieOptions& options);

// A Set-Cookie value that makes the browser drop the cookie (same path).
std::string ClearCookie(std::string_view name, SetCookieOptions options);

}  // namespace gallery::http
