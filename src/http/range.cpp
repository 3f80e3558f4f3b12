#include "http/range.hpp"

#include <charconv>

namespace gallery::http {
namespace {

bool ParseNumber(std::string_view s, uint64_t* out) {
  if (s.empty() || s.size() > 19) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

Result<std::optional<ByteSpan>> ParseRange(std::string_view header, uint64_t size) {
  constexpr std::string_view kUnit = "bytes=";
  if (header.substr(0, kUnit.size()) != kUnit) return std::optional<ByteSpan>();
  std::string_view spec = header.substr(kUnit.size());
  if (spec.find(',') != std::string_view::npos) return std::optional<ByteSpan>();
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return std::optional<ByteSpan>();
  std::string_view first = spec.substr(0, dash), last = spec.substr(dash + 1);
  auto unsatisfiable = [] {
    return Status(ErrorCode::kRangeNotSatisfiable, "range past end", "Range not satisfiable");
  };
  if (first.empty()) {  // suffix: the last n bytes
    uint64_t n;
    if (!ParseNumber(last, &n)) return std::optional<ByteSpan>();
    if (n == 0 || size == 0) return unsatisfiable();
    n = std::min(n, size);
    return std::optional<ByteSpan>(ByteSpan{size - n, n});
  }
  uint64_t start;
  if (!ParseNumber(first, &start)) return std::optional<ByteSpan>();
  uint64_t end = size == 0 ? 0 : size - 1;
  if (!last.empty()) {
    uint64_t e;
    if (!ParseNumber(last, &e) || e < start) return std::optional<ByteSpan>();
    end = std::min(e, end);
  }
  if (start >= size) return unsatisfiable();
  return std::optional<ByteSpan>(ByteSpan{start, end - start + 1});
}

}  // namespace gallery::http
