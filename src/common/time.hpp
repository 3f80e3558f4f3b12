#pragma once

// Times as the API shows them: RFC 3339 in UTC ("2026-11-21T12:00:00Z").

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace gallery {

using Clock = std::chrono::system_clock;

// "YYYY-MM-DDThh:mm:ssZ", or with milliseconds when `millis` ("...:ss.mmmZ").
std::string FormatRfc3339(Clock::time_point t, bool millis = false);

// Parses RFC 3339 with "Z" or a "+hh:mm"/"-hh:mm" offset and optional
// fractional seconds. nullopt on anything else.
std::optional<Clock::time_point> ParseRfc3339(std::string_view text);

// RFC 9110 IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT" (HTTP headers such
// as Upload-Expires); sub-second parts are dropped.
std::string FormatHttpDate(Clock::time_point t);

// Milliseconds since the Unix epoch (how the stores keep times).
int64_t ToUnixMillis(Clock::time_point t);
Clock::time_point FromUnixMillis(int64_t ms);

}  // namespace gallery
