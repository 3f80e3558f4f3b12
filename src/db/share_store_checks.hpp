#pragma once

// Input checks shared by every ShareStore implementation, so that all of them
// reject the same inputs with the same code.

#include "common/status.hpp"
#include "db/share_store.hpp"

namespace gallery::db {

inline Status CheckShareForCreate(const ShareRecord& s) {
  if (s.id.empty() || s.owner_id.empty() || s.token_hash.empty()) {
    return Status::InvalidArgument("share id, owner_id and token_hash must be set");
  }
  if (s.album_id.has_value() == s.photo_id.has_value()) {
    return Status::InvalidArgument("a share is of exactly one album or one photo");
  }
  if ((s.album_id && s.album_id->empty()) || (s.photo_id && s.photo_id->empty())) {
    return Status::InvalidArgument("share album_id or photo_id is empty");
  }
  if (s.password_hash && s.password_hash->empty()) {
    return Status::InvalidArgument("share password_hash is set but empty");
  }
  if (s.expires_at && *s.expires_at <= s.created_at) {
    return Status::InvalidArgument("share expires_at must be after created_at");
  }
  return Status::Ok();
}

}  // namespace gallery::db
