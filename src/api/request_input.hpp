#pragma once

// Reading what list handlers need from a request, with one clear error for
// each kind of bad input: the page size and opaque cursors. (JSON bodies:
// json_body.hpp.)

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "common/status.hpp"
#include "http/message.hpp"

namespace gallery::api {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 200;

// ?limit=: 1..kMaxPageSize, default kDefaultPageSize; else kInvalidArgument.
Result<int> PageLimit(const http::Request& request);

// Cursors are opaque to clients: a number and an id, base64url-encoded.
std::string EncodeKeyCursor(int64_t key, const std::string& id);
// nullopt for anything EncodeKeyCursor did not make.
std::optional<std::pair<int64_t, std::string>> DecodeKeyCursor(const std::string& text);

// ?cursor= decoded; nullopt when absent or empty; kInvalidArgument when it
// is not one this server issued.
Result<std::optional<std::pair<int64_t, std::string>>> PageCursor(const http::Request& request);

}  // namespace gallery::api
