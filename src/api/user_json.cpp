#include "api/user_json.hpp"

#include "common/time.hpp"

namespace gallery::api {
namespace {

nlohmann::json OptionalTime(const std::optional<db::Clock::time_point>& t) {
  return t ? nlohmann::json(FormatRfc3339(*t)) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json UserJson(const db::UserRecord& user, int64_t used_bytes) {
  return {{"id", user.id},
          {"email", user.email},
          {"role", db::UserRoleName(user.role)},
          {"quota_bytes", user.quota_bytes},
          {"used_bytes", used_bytes},
          {"created_at", FormatRfc3339(user.created_at)},
          {"disabled", user.disabled}};
}

nlohmann::json ApiTokenJson(const db::ApiTokenRecord& token) {
  return {{"id", token.id},
          {"name", token.name},
          {"created_at", FormatRfc3339(token.created_at)},
          {"last_used_at", OptionalTime(token.last_used_at)},
          {"revoked_at", OptionalTime(token.revoked_at)}};
}

std::optional<db::UserRole> ParseUserRole(std::string_view name) {
  if (name == "admin") return db::UserRole::kAdmin;
  if (name == "user") return db::UserRole::kUser;
  return std::nullopt;
}

}  // namespace gallery::api
