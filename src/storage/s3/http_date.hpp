#pragma once

// HTTP dates (RFC 9110 IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT"), as S3
// sends them in Last-Modified.

#include <chrono>
#include <optional>
#include <string_view>

namespace gallery::storage::s3 {

// nullopt for anything but an IMF-fixdate in GMT.
std::optional<std::chrono::system_clock::time_point> ParseHttpDate(std::string_view text);

}  // namespace gallery::storage::s3
