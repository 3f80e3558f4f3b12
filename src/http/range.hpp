#pragma once

// Single byte ranges (RFC 9110 14): "bytes=a-b", "bytes=a-", "bytes=-n".

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/status.hpp"

namespace gallery::http {

struct ByteSpan {
  uint64_t offset = 0;
  uint64_t length = 0;
};

// The range `header` asks of an object of `size` bytes. nullopt when the
// whole object should be sent (no header, another unit, several ranges, or
// a syntax error: all ignorable by RFC). kRangeNotSatisfiable when the range
// starts at or past the end.
Result<std::optional<ByteSpan>> ParseRange(std::string_view header, uint64_t size);

}  // namespace gallery::http
