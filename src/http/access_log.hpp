#pragma once

// The one access-log line per request. Built directly rather than through a
// JSON object: it is written for every request, and this is the hot path of
// serving cached thumbnails. The output is one JSON object (tests parse it).

#include <cstdint>
#include <string>
#include <string_view>

namespace gallery::http {

struct AccessLogEntry {
  std::string_view request_id;
  std::string_view method;
  std::string_view route;
  std::string_view path;
  int status = 0;
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  double duration_ms = 0;
  std::string_view remote;
};

// {"time":...,"level":"info","msg":"request",...} without a newline. The
// path goes through RedactPath.
std::string FormatAccessLog(const AccessLogEntry& entry);

// `path` with the secrets that paths carry replaced by "[redacted]": the
// share token of /s/{token} and /api/v1/shared/{token}/... (whoever reads
// the logs must not be able to open the share). Other paths are unchanged.
std::string RedactPath(std::string_view path);

// Appends `text` as a JSON string literal (quotes included); invalid UTF-8
// bytes become U+FFFD, control characters are escaped.
void AppendJsonString(std::string* out, std::string_view text);

}  // namespace gallery::http
