#pragma once

// Input checks shared by every UserStore implementation, so that all of them
// reject the same inputs with the same code (the schema repeats them as
// constraints, as a backstop).

#include <string>

#include "common/status.hpp"
#include "db/user_store.hpp"

namespace gallery::db {

inline constexpr size_t kMaxEmailBytes = 320;
inline constexpr size_t kMaxApiTokenNameBytes = 200;

// `user.email` must already be normalised.
inline Status CheckUserForCreate(const UserRecord& user) {
  if (user.id.empty()) return Status::InvalidArgument("user id is empty");
  if (user.email.empty() || user.email.size() > kMaxEmailBytes ||
      user.email.find('@') == std::string::npos) {
    return Status::InvalidArgument("user email must be 1.." + std::to_string(kMaxEmailBytes) +
                                   " bytes with an '@'");
  }
  if (user.email.size() < 3) return Status::InvalidArgument("user email is too short");
  if (user.password_hash.empty()) return Status::InvalidArgument("password hash is empty");
  if (user.quota_bytes < 0) return Status::InvalidArgument("quota_bytes is negative");
  return Status::Ok();
}

inline Status CheckSessionForCreate(const SessionRecord& s) {
  if (s.token_hash.empty() || s.csrf_token_hash.empty() || s.user_id.empty()) {
    return Status::InvalidArgument("session token_hash, csrf_token_hash and user_id must be set");
  }
  if (s.expires_at <= s.created_at) {
    return Status::InvalidArgument("session expires_at must be after created_at");
  }
  return Status::Ok();
}

inline Status CheckApiTokenForCreate(const ApiTokenRecord& t) {
  if (t.id.empty() || t.token_hash.empty() || t.user_id.empty()) {
    return Status::InvalidArgument("api token id, token_hash and user_id must be set");
  }
  if (t.name.empty() || t.name.size() > kMaxApiTokenNameBytes) {
    return Status::InvalidArgument("api token name must be 1.." +
                                   std::to_string(kMaxApiTokenNameBytes) + " bytes");
  }
  return Status::Ok();
}

// A foreign key failure on insert means the user named does not exist.
inline Status UserMissingIfConflict(Status s, const std::string& user_id) {
  if (s.code() == ErrorCode::kConflict) return Status::NotFound("user " + user_id);
  return s;
}

}  // namespace gallery::db
