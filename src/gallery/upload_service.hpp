#pragma once

// UploadService: resumable uploads (the use cases behind tus 1.0.0). A
// client creates an upload of a known length, appends its bytes in as many
// pieces as it likes (through any instance, across restarts of any of
// them), asks how far it got, or gives up. When the last byte arrives the
// whole file goes through PhotoService::Upload, exactly as a multipart
// upload does (dedup, limits, derivatives), and the upload remembers the
// photo it became.
//
// State lives in the UploadStore (offsets, claims), bytes in the
// UploadStaging: no upload is held in memory between requests. Every write
// first claims the upload in the database (see db/upload_store.hpp), so two
// requests never append at one offset and a retry that races a slow request
// is told to come back (kLocked) rather than corrupting anything.
//
// Plain C++: no HTTP types. Every method blocks (database, storage, image
// work): call from a blocking pool. Safe for concurrent use.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/metrics.hpp"
#include "common/status.hpp"
#include "db/upload_store.hpp"
#include "gallery/photo_service.hpp"
#include "storage/upload_staging.hpp"

namespace gallery::service {

using Clock = std::chrono::system_clock;

struct UploadServiceOptions {
  // The largest upload (tus's Tus-Max-Size); the same limit as a multipart
  // upload's.
  uint64_t max_upload_bytes = 256ull << 20;
  // An unfinished upload nobody wrote to for this long is abandoned: it
  // answers kGone and the sweeper removes it with its staged bytes. A
  // finished one can be asked about (its photo id) for as long.
  std::chrono::seconds expiry{24 * 3600};
  // How long one request's claim on an upload lasts without renewal (each
  // staged step renews it). A request that died holding a claim blocks the
  // upload for at most this long. Longer than one S3 part's upload with its
  // retries.
  std::chrono::seconds claim_lease{300};
  // Unfinished uploads one user may have at once (kTooManyRequests beyond).
  int max_unfinished_per_owner = 100;
  // Where temporary whole-file copies are written while a photo is made
  // from them (S3 staging); the spool directory.
  std::filesystem::path scratch_dir;
  // The storage quota of a user (0 = unlimited), checked when an upload is
  // created (against its length) and when its photo is made. Unset: no
  // quotas.
  std::function<Result<int64_t>(const std::string& user_id)> quota_of;
  // The clock (tests replace it).
  std::function<Clock::time_point()> now = [] { return Clock::now(); };
};

enum class ChecksumAlgorithm { kSha1, kSha256 };

// "sha1" or "sha256" (tus names, lower case); nullopt for others.
std::optional<ChecksumAlgorithm> ParseChecksumAlgorithm(std::string_view name);

// The checksum a client sent with a chunk (tus checksum extension).
struct ChunkChecksum {
  ChecksumAlgorithm algorithm = ChecksumAlgorithm::kSha1;
  std::string digest;  // raw bytes (20 for SHA-1, 32 for SHA-256)
};

struct NewUpload {
  std::string owner_id;  // the caller
  uint64_t length = 0;   // the file's size
  std::string filename;  // as the client named it; "" is allowed
};

struct UploadChunk {
  uint64_t offset = 0;  // where the client says these bytes go (Upload-Offset)
  storage::UploadBytes bytes;
  // false when the request broke off: `bytes` is what arrived, and is kept
  // (unless a checksum came with it, which cannot be checked any more).
  bool complete = true;
  std::optional<ChunkChecksum> checksum;
};

// What the client is told about an upload.
struct UploadStatus {
  std::string id;
  uint64_t offset = 0;
  uint64_t length = 0;
  std::string filename;
  Clock::time_point expires_at;
  std::optional<std::string> photo_id;  // once the upload became a photo
  // The photo existed already (the same bytes were uploaded before). Known
  // only to the request that made the photo.
  bool duplicate = false;
};

struct UploadSweepReport {
  int expired = 0;  // abandoned uploads seen
  int removed = 0;  // removed with their staged bytes
};

class UploadService {
 public:
  // All references must outlive the service.
  UploadService(db::UploadStore& store, storage::UploadStaging& staging, PhotoService& photos,
                Metrics& metrics, UploadServiceOptions options);

  const UploadServiceOptions& options() const { return options_; }

  // Creates an upload owned by `upload.owner_id`. kInvalidArgument for a
  // length of 0 (no picture is empty) or a bad file name (ValidateFilename);
  // kPayloadTooLarge over max_upload_bytes; kTooManyRequests when the owner
  // has max_unfinished_per_owner unfinished uploads; kUnauthenticated when
  // the owner is not a user.
  Result<UploadStatus> Create(const NewUpload& upload);

  // Where the upload stands. An upload whose bytes all arrived but whose
  // photo could not be made yet (a transient failure) is made into its
  // photo now, and that photo's errors are returned. kNotFound when there
  // is no such upload or another user owns it; kGone when it expired;
  // kLocked while another request is writing or finishing it.
  Result<UploadStatus> Get(const std::string& owner_id, const std::string& id);

  // Appends a chunk at chunk.offset, which must be the upload's offset
  // (kConflict otherwise). Bytes are staged and committed step by step, so
  // a failure part-way keeps what was committed. When the last byte
  // arrives, the photo is made (see PhotoService::Upload's errors): on a
  // refusal of the file itself (not a picture, broken, too many pixels, over
  // a limit) the upload is removed, since sending it again cannot help; on
  // a transient failure it stays complete and Get finishes it later.
  // Errors besides Get's: kChecksumMismatch (nothing staged),
  // kInvalidArgument for a checksum of the wrong length or one on a broken
  // off chunk, kPayloadTooLarge for bytes past the length, kConflict for a
  // finished upload given more bytes.
  Result<UploadStatus> Append(const std::string& owner_id, const std::string& id,
                              const UploadChunk& chunk);

  // Removes the upload and its staged bytes (the photo, if it was made,
  // stays). kNotFound as Get; kLocked while another request writes to it.
  Status Terminate(const std::string& owner_id, const std::string& id);

  // Removes abandoned uploads (expired, not being written) and their staged
  // bytes. For a periodic task.
  Result<UploadSweepReport> SweepExpired();

 private:
  Result<db::UploadRecord> Visible(const std::string& owner_id, const std::string& id) const;
  // The owner with their quota, for PhotoService.
  Result<Uploader> UploaderOf(const std::string& owner_id) const;
  // Makes the photo of `upload`, whose claim `token` holds and whose bytes
  // have all been committed. Ends the claim in every case.
  Result<UploadStatus> MakePhoto(const db::UploadRecord& upload, const std::string& token);
  UploadStatus StatusOf(const db::UploadRecord& upload) const;
  void ReleaseQuietly(const std::string& id, const std::string& token);

  db::UploadStore& store_;
  storage::UploadStaging& staging_;
  PhotoService& photos_;
  Metrics& metrics_;
  const UploadServiceOptions options_;
};

}  // namespace gallery::service
