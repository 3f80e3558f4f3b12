#pragma once

// ASCII text helpers for protocol fields (HTTP headers, tus metadata,
// multipart parameters): byte-wise, locale-free.

#include <algorithm>
#include <string>
#include <string_view>

namespace gallery {

// `s` without leading and trailing spaces and tabs (HTTP's optional
// whitespace, RFC 9110 5.6.3).
inline std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// `s` with ASCII letters lower-cased; other bytes as they are.
inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

}  // namespace gallery
