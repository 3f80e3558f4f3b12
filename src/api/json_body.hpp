#pragma once

// Reading JSON request bodies with errors a client can act on: every problem
// is kInvalidArgument with a public detail naming the field.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "http/message.hpp"

namespace gallery::api {

// The body as one JSON object. Refused: a Content-Type other than
// application/json (so that a cross-site HTML form, which cannot send that
// type without a CORS preflight, cannot post to the API), malformed JSON,
// anything but an object, a body large enough to have been spooled to disk
// (kPayloadTooLarge).
Result<nlohmann::json> ParseJsonObject(const http::Request& req);

// Members of a parsed object. Required* fail when the member is missing;
// Optional* return nullopt when it is missing (or null). All fail when the
// member has another type.
Result<std::string> RequiredString(const nlohmann::json& body, const char* name);
Result<std::optional<std::string>> OptionalString(const nlohmann::json& body, const char* name);
Result<std::optional<bool>> OptionalBool(const nlohmann::json& body, const char* name);
Result<std::optional<int64_t>> OptionalInt(const nlohmann::json& body, const char* name);
// A list of non-empty string ids.
Result<std::vector<std::string>> RequiredIdList(const nlohmann::json& body, const char* name);

}  // namespace gallery::api
