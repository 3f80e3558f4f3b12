#pragma once

// The JSON shapes of accounts: User and API tokens (api-plan "Auth, tokens,
// users"). Never a password hash or a token hash.

#include <nlohmann/json.hpp>

#include "db/user_store.hpp"

namespace gallery::api {

// {"id","email","role","quota_bytes","used_bytes","created_at","disabled"}
nlohmann::json UserJson(const db::UserRecord& user, int64_t used_bytes);

// {"id","name","created_at","last_used_at","revoked_at"}
nlohmann::json ApiTokenJson(const db::ApiTokenRecord& token);

// "admin" / "user" → the role; nullopt for anything else.
std::optional<db::UserRole> ParseUserRole(std::string_view name);

}  // namespace gallery::api
