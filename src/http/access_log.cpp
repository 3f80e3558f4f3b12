#include "http/access_log.hpp"

#include <charconv>

#include "common/time.hpp"

namespace gallery::http {

void AppendJsonString(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c == '"' || c == '\\') {
        out->push_back('\\');
        out->push_back(static_cast<char>(c));
      } else if (c < 0x20 || c == 0x7F) {
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
      } else {
        out->push_back(static_cast<char>(c));
      }
      ++i;
      continue;
    }
    // Multi-byte UTF-8: copy when well formed, else U+FFFD.
    size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    bool ok = len > 0 && i + len <= s.size();
    for (size_t k = 1; ok && k < len; ++k) {
      ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    }
    if (ok) {
      out->append(s.substr(i, len));
      i += len;
    } else {
      out->append("\xEF\xBF\xBD");
      ++i;
    }
  }
  out->push_back('"');
}

namespace {

// Where the secret segment of `path` is, if it has one: [*begin, *end).
bool FindSecretSegment(std::string_view path, size_t* begin, size_t* end) {
  static constexpr std::string_view kSecretAfter[] = {"/s/", "/api/v1/shared/"};
  for (std::string_view prefix : kSecretAfter) {
    if (path.substr(0, prefix.size()) != prefix) continue;
    const size_t slash = path.find('/', prefix.size());
    *begin = prefix.size();
    *end = slash == std::string_view::npos ? path.size() : slash;
    return *end > *begin;
  }
  return false;
}

}  // namespace

std::string RedactPath(std::string_view path) {
  size_t begin, end;
  if (!FindSecretSegment(path, &begin, &end)) return std::string(path);
  std::string out(path.substr(0, begin));
  out.append("[redacted]").append(path.substr(end));
  return out;
}

std::string FormatAccessLog(const AccessLogEntry& e) {
  std::string out;
  out.reserve(256 + e.path.size());
  out.append("{\"time\":\"").append(FormatRfc3339(Clock::now(), true));
  out.append("\",\"level\":\"info\",\"msg\":\"request\",\"request_id\":");
  AppendJsonString(&out, e.request_id);
  out.append(",\"method\":");
  AppendJsonString(&out, e.method);
  out.append(",\"route\":");
  AppendJsonString(&out, e.route);
  out.append(",\"path\":");
  size_t secret_begin, secret_end;  // the common case copies nothing
  if (FindSecretSegment(e.path, &secret_begin, &secret_end)) {
    AppendJsonString(&out, RedactPath(e.path));
  } else {
    AppendJsonString(&out, e.path);
  }
  auto number = [&out](const char* key, auto value) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    out.append(key).append(buf, end);
  };
  number(",\"status\":", e.status);
  number(",\"bytes_in\":", e.bytes_in);
  number(",\"bytes_out\":", e.bytes_out);
  // Microsecond resolution is plenty.
  number(",\"duration_ms\":",
         static_cast<double>(static_cast<int64_t>(e.duration_ms * 1000)) / 1000);
  out.push_back(',');
  out.append("\"remote\":");
  AppendJsonString(&out, e.remote);
  out.push_back('}');
  return out;
}

}  // namespace gallery::http
