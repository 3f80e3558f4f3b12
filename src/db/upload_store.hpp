#pragma once

// UploadStore: the state of resumable (tus) uploads. One row per upload: who
// is uploading, how long the file is, how many bytes have arrived and are
// durably staged (the offset), where the staging keeps them (an opaque
// record owned by storage::UploadStaging), and, once the bytes have become
// a photo, that photo's id. The bytes themselves are never here.
//
// Several requests, on several instances, may touch one upload at once (a
// client retrying while its previous request is still being processed, or
// resuming through another instance). Writers therefore take a claim first:
// Claim is a compare-and-set on the row (no live claim, and the offset the
// writer expects), and every later write by the claim holder is a
// compare-and-set on (claim token, offset). So two writers never both
// append at one offset, and a writer whose claim was taken over (it expired
// while the writer was stalled) cannot move the offset any more. A claim is
// a lease: it ends at `claimed_until` even if its holder died.
//
// Thread safety: every implementation is safe for concurrent use without
// external locking, and several processes may share one database. Methods
// block: call them from a blocking pool.
//
// Implementations: NewSqliteUploadStore (sqlite/sqlite_database.hpp) and
// NewPostgresUploadStore (postgres/postgres_database.hpp); both pass the one
// conformance suite (upload_store_conformance_testing.hpp).
//
// Every method may also fail with kUnavailable, kTimeout, kIoError or
// kInternal, as MetadataStore's do. Times are kept to the millisecond.
// When a compare-and-set fails, the reason (kNotFound, kConflict, kLocked)
// is read from the row right after; under concurrent change it describes
// the row at that moment.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "db/metadata_store.hpp"

namespace gallery::db {

struct UploadRecord {
  std::string id;        // opaque, random, URL-safe
  std::string owner_id;  // the uploading user (users.id); the row goes with the user
  uint64_t length = 0;   // the whole file's size, fixed at creation: 1..INT64_MAX
  uint64_t offset = 0;   // bytes received and durably staged: 0..length
  std::string filename;  // as the client named it (Upload-Metadata), checked by the service
  // Where the staged bytes are, in the staging's own terms (e.g. an S3
  // multipart upload id and its parts). Opaque here; "" before the first
  // byte.
  std::string staging_state;
  // The photo the finished upload became. Set only once offset == length.
  std::optional<std::string> photo_id;
  Clock::time_point created_at;
  // After this, an upload is abandoned: the sweeper removes it and its
  // staged bytes. Moved forward by every write.
  Clock::time_point expires_at;
  // The claim of the request writing to it, if any (see the file comment).
  std::optional<std::string> claim_token;
  std::optional<Clock::time_point> claimed_until;

  bool finished() const { return photo_id.has_value(); }
  bool operator==(const UploadRecord&) const = default;
};

// What a claim holder writes after staging more bytes.
struct UploadProgress {
  std::string id;
  std::string claim_token;
  uint64_t expected_offset = 0;  // the offset the holder staged from
  uint64_t new_offset = 0;       // expected_offset .. length
  std::string staging_state;
  Clock::time_point expires_at;
  Clock::time_point claimed_until;  // the claim is renewed to this
};

class UploadStore {
 public:
  virtual ~UploadStore() = default;

  // Inserts a new upload: offset 0, no photo, no claim. kAlreadyExists when
  // the id is taken; kNotFound when the owner is not a user;
  // kInvalidArgument (store unchanged) for an empty id or owner_id, a
  // length of 0 or above INT64_MAX, a non-zero offset, a photo_id or claim
  // set, or expires_at not after created_at.
  virtual Status CreateUpload(const UploadRecord& upload) = 0;

  // kNotFound when there is no such upload.
  virtual Result<UploadRecord> GetUpload(const std::string& id) = 0;

  // How many of the owner's uploads have no photo yet (expired ones count
  // until the sweeper removes them). 0 for an unknown owner.
  virtual Result<int64_t> CountUnfinishedUploads(const std::string& owner_id) = 0;

  // Takes the claim for `token` until `until`, when nobody holds a live one
  // at `now` (none, or one whose claimed_until <= now) and, if
  // `expected_offset` is given, the offset equals it. Returns the row with
  // the new claim. kNotFound: no such upload. kLocked: another token's
  // claim lasts past `now`. kConflict: the offset differs. Nothing changes
  // on failure. kInvalidArgument for an empty token or until <= now.
  virtual Result<UploadRecord> Claim(const std::string& id, const std::string& token,
                                     std::optional<uint64_t> expected_offset, Clock::time_point now,
                                     Clock::time_point until) = 0;

  // The claim holder records staged bytes: offset expected_offset ->
  // new_offset with the staging state and expiry given, and the claim
  // renewed. kConflict when `claim_token` no longer holds the claim or the
  // offset is not expected_offset; kNotFound when the upload is gone;
  // kInvalidArgument when new_offset < expected_offset or new_offset >
  // length. Nothing changes on failure. (new_offset == expected_offset
  // records a new staging state only.)
  virtual Status Advance(const UploadProgress& progress) = 0;

  // The claim holder marks the upload finished: photo_id set, expires_at
  // replaced (how long the finished upload can still be asked about), the
  // claim released. kConflict when `token` does not hold the claim or the
  // offset is short of the length; kNotFound when the upload is gone;
  // kInvalidArgument for an empty photo_id.
  virtual Status Finish(const std::string& id, const std::string& token,
                        const std::string& photo_id, Clock::time_point expires_at) = 0;

  // Ends the claim `token` holds. OK when it holds none on this upload
  // (released already, taken over, or the upload is gone): nothing to do.
  virtual Status Release(const std::string& id, const std::string& token) = 0;

  // Deletes the upload that `token` has claimed. kConflict when `token` does
  // not hold the claim; kNotFound when there is no such upload.
  virtual Status DeleteUpload(const std::string& id, const std::string& token) = 0;

  // Up to `limit` uploads whose expires_at <= now, earliest expiry first,
  // claimed or not (a remover claims each before removing it).
  // kInvalidArgument unless 1 <= limit <= 1000.
  virtual Result<std::vector<UploadRecord>> ListExpiredUploads(Clock::time_point now,
                                                               int limit) = 0;
};

}  // namespace gallery::db
