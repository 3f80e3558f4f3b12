#include "api/json_body.hpp"

#include <boost/beast/core/string.hpp>

namespace gallery::api {
namespace {

Status Invalid(std::string detail) { return Status(ErrorCode::kInvalidArgument, detail, detail); }

// Text with a NUL would be cut short on its way to the database (C strings),
// so it is refused, like a NUL in a path.
bool HasNul(const nlohmann::json& text) {
  return text.get_ref<const std::string&>().find('\0') != std::string::npos;
}

}  // namespace

Result<nlohmann::json> ParseJsonObject(const http::Request& req) {
  std::string_view type = req.headers[http::beast_http::field::content_type];
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (!boost::beast::iequals(type, "application/json")) {
    return Invalid("Send the body as JSON with Content-Type: application/json");
  }
  if (req.body_file) {
    return Status(ErrorCode::kPayloadTooLarge, "json body spooled to disk",
                  "JSON request bodies are limited to 64 KiB");
  }
  nlohmann::json body = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return Invalid("The body is not valid JSON");
  if (!body.is_object()) return Invalid("The body must be a JSON object");
  return body;
}

Result<std::string> RequiredString(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || !it->is_string()) {
    return Invalid(std::string(name) + " is required and must be a string");
  }
  if (HasNul(*it)) return Invalid(std::string(name) + " must not contain NUL characters");
  return it->get<std::string>();
}

Result<std::optional<std::string>> OptionalString(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) return Invalid(std::string(name) + " must be a string");
  if (HasNul(*it)) return Invalid(std::string(name) + " must not contain NUL characters");
  return std::optional(it->get<std::string>());
}

Result<std::optional<bool>> OptionalBool(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::optional<bool>();
  if (!it->is_boolean()) return Invalid(std::string(name) + " must be true or false");
  return std::optional(it->get<bool>());
}

Result<std::optional<int64_t>> OptionalInt(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::optional<int64_t>();
  if (it->is_number_integer()) return std::optional(it->get<int64_t>());
  if (it->is_number_unsigned() && it->get<uint64_t>() <= INT64_MAX) {
    return std::optional(static_cast<int64_t>(it->get<uint64_t>()));
  }
  return Invalid(std::string(name) + " must be a whole number");
}

Result<std::vector<std::string>> RequiredIdList(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || !it->is_array()) {
    return Invalid(std::string(name) + " must be a list of ids");
  }
  std::vector<std::string> ids;
  ids.reserve(it->size());
  for (const nlohmann::json& id : *it) {
    if (!id.is_string() || id.get_ref<const std::string&>().empty() || HasNul(id)) {
      return Invalid(std::string(name) + " must hold only non-empty string ids");
    }
    ids.push_back(id.get<std::string>());
  }
  return ids;
}

}  // namespace gallery::api
