#pragma once

// Input checks shared by every UploadStore implementation, so that all of
// them reject the same inputs with the same code (the schemas repeat them as
// constraints, as a backstop).

#include <cstdint>
#include <limits>
#include <string>

#include "common/status.hpp"
#include "db/upload_store.hpp"

namespace gallery::db {

inline Status CheckUploadForCreate(const UploadRecord& u) {
  if (u.id.empty() || u.owner_id.empty()) {
    return Status::InvalidArgument("upload id and owner_id must be set");
  }
  if (u.length == 0 || u.length > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return Status::InvalidArgument("upload length must be 1..INT64_MAX");
  }
  if (u.offset != 0 || u.photo_id || u.claim_token || u.claimed_until) {
    return Status::InvalidArgument("a new upload has offset 0, no photo and no claim");
  }
  if (u.expires_at <= u.created_at) {
    return Status::InvalidArgument("upload expires_at must be after created_at");
  }
  return Status::Ok();
}

inline Status CheckClaim(const std::string& token, Clock::time_point now, Clock::time_point until) {
  if (token.empty()) return Status::InvalidArgument("claim token is empty");
  if (until <= now) return Status::InvalidArgument("a claim must last past now");
  return Status::Ok();
}

// The checks of Advance that need no row.
inline Status CheckProgress(const UploadProgress& p) {
  if (p.claim_token.empty()) return Status::InvalidArgument("claim token is empty");
  if (p.new_offset < p.expected_offset) {
    return Status::InvalidArgument("an upload's offset never goes back");
  }
  if (p.new_offset > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return Status::InvalidArgument("offset above INT64_MAX");
  }
  return Status::Ok();
}

// Why a compare-and-set on the upload `row` (read after the write changed
// nothing) failed, for a writer holding `token` that expected `offset`.
inline Status UploadCasFailure(const Result<UploadRecord>& row, const std::string& id,
                               const std::string& token, uint64_t expected_offset) {
  if (row.code() == ErrorCode::kNotFound) return Status::NotFound("upload " + id);
  if (!row.ok()) return row.status();
  if (row->claim_token != token) {
    return Status(ErrorCode::kConflict, "upload " + id + ": the claim is no longer ours");
  }
  if (row->offset != expected_offset) {
    return Status(ErrorCode::kConflict, "upload " + id + ": offset is " +
                                            std::to_string(row->offset) + ", not " +
                                            std::to_string(expected_offset));
  }
  return Status(ErrorCode::kConflict, "upload " + id + ": changed meanwhile");
}

}  // namespace gallery::db
