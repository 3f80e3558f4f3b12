#pragma once

// PhotoService: the upload, read and delete use cases over a BlobStore, a
// MetadataStore and the image pipeline. Plain C++: no HTTP types, no SQL.
//
// Upload contract (ARCHITECTURE.md, upload path): format sniffed from the
// bytes, limits checked before decoding, derivatives made on the bounded
// image pool, blobs put, then the row committed; on any failure what was put
// is deleted. A row never names a missing blob. A crash between put and
// commit leaves blobs without a row, which SweepOrphans removes after a grace
// period.
//
// Every method blocks (storage, database, image work): call from a blocking
// pool. Safe for concurrent use.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/metrics.hpp"
#include "common/status.hpp"
#include "db/metadata_store.hpp"
#include "gallery/derivative_cache.hpp"
#include "image/image_pool.hpp"
#include "image/pipeline.hpp"
#include "storage/blob_store.hpp"

namespace gallery::service {

struct PhotoServiceOptions {
  image::Limits limits;
  uint64_t max_upload_bytes = 256ull << 20;
  int thumb_edge = 512;
  int preview_edge = 2048;
  int jpeg_quality = 80;
  size_t cache_bytes = 64ull << 20;
  // Blobs without a row younger than this are left alone by the sweeper
  // (they may belong to an upload still in progress on any instance).
  std::chrono::seconds orphan_grace{3600};
  // A cached derivative is served without asking the database while its
  // photo's row was seen this recently: a photo deleted through another
  // instance stops being served from this one's memory within this time.
  std::chrono::milliseconds cache_verify_interval{30'000};
  // How long a photo stays in the trash before it is purged.
  std::chrono::seconds trash_retention{30 * 24 * 3600};
};

// Who an upload is for: the owner and their quota (0 = unlimited).
struct Uploader {
  std::string user_id;
  int64_t quota_bytes = 0;
};

struct UploadFile {
  std::string filename;    // as the client sent it
  std::string_view bytes;  // must stay valid during the call
};

struct UploadResult {
  db::PhotoRecord photo;
  bool duplicate = false;
};

enum class DerivativeKind { kThumb, kPreview };
std::string_view DerivativeKindName(DerivativeKind kind);

struct DerivativeBlob {
  std::shared_ptr<const CachedDerivative> data;  // bytes, content type, strong ETag
};

struct SweepReport {
  int scanned_blobs = 0;
  int deleted_blobs = 0;
};

class PhotoService {
 public:
  // All references must outlive the service.
  PhotoService(storage::BlobStore& blobs, db::MetadataStore& metadata, image::ImagePool& pool,
               Metrics& metrics, PhotoServiceOptions options);

  // Checks what can be checked without decoding (size, format, header,
  // pixel limit). Cheap: used to refuse a batch before storing any of it.
  Status Precheck(const UploadFile& file) const;

  // kQuotaExceeded when `adding` more bytes would take the uploader over
  // their quota (the insert checks again, atomically).
  Status CheckQuota(const Uploader& uploader, uint64_t adding);

  // The whole upload, owned by `uploader`. Bytes the uploader already has
  // return that photo with duplicate = true (taken out of the trash if it
  // was there). Errors: kInvalidArgument (empty, bad file name),
  // kPayloadTooLarge, kQuotaExceeded, kUnsupportedMediaType, kImageTooLarge,
  // kUnprocessableImage, kOverloaded (image pool full), kUnavailable/kIoError
  // (backends).
  Result<UploadResult> Upload(const Uploader& uploader, const UploadFile& file);

  // The owner's photo, in the trash or not. kNotFound when it does not
  // exist or belongs to someone else: the two are indistinguishable.
  Result<db::PhotoRecord> Get(const std::string& owner_id, const std::string& id);
  // The owner's photos outside the trash, newest first.
  Result<db::PhotoPage> List(const std::string& owner_id,
                             const std::optional<db::PhotoCursor>& after, int limit);

  // Moves the owner's photo to the trash. kNotFound as Get, or when it is
  // in the trash already.
  Status Trash(const std::string& owner_id, const std::string& id);
  // Takes the owner's photo out of the trash. kNotFound unless it is there.
  Result<db::PhotoRecord> Restore(const std::string& owner_id, const std::string& id);
  // The owner's trash, most recently deleted first.
  Result<db::TrashPage> ListTrash(const std::string& owner_id,
                                  const std::optional<db::TrashCursor>& after, int limit);
  // When a photo in the trash is purged.
  db::Clock::time_point PurgeTime(const db::PhotoRecord& photo) const;
  // Deletes one photo of the owner's trash for good. kNotFound unless the
  // photo is the owner's and in the trash.
  Status PurgeFromTrash(const std::string& owner_id, const std::string& id);
  // Purges the owner's whole trash; returns how many photos went.
  Result<int64_t> EmptyTrash(const std::string& owner_id);
  // Purges every photo (of any owner) in the trash past the retention time;
  // returns how many went. Run periodically.
  Result<int64_t> PurgeExpiredTrash();

  // The derivative of the owner's photo in `format`: from the cache, else
  // the store, else made now from the original (WebP/AVIF variants are made
  // on first request and stored). kNotFound as Get.
  Result<DerivativeBlob> GetDerivative(const std::string& owner_id, const std::string& id,
                                       DerivativeKind kind, image::OutputFormat format);

  // The derivative of a photo the caller has already been allowed to see
  // (through a share link).
  Result<DerivativeBlob> GetDerivativeOf(const db::PhotoRecord& photo, DerivativeKind kind,
                                         image::OutputFormat format);

  // The derivative when it is in memory, belongs to `owner_id`, and its
  // photo's row was seen recently; else null (then call GetDerivative).
  // Never blocks: safe on network threads.
  std::shared_ptr<const CachedDerivative> PeekDerivative(const std::string& owner_id,
                                                         const std::string& id, DerivativeKind kind,
                                                         image::OutputFormat format);

  // A range of the original's bytes.
  Result<storage::BlobData> ReadOriginal(const db::PhotoRecord& photo,
                                         const storage::ByteRange& range);

  // A short-lived direct URL to the original, when the store can presign.
  std::optional<std::string> PresignOriginal(const db::PhotoRecord& photo,
                                             std::chrono::seconds ttl);

  // Deletes blobs under photos/ that have no row and are older than the
  // grace period.
  Result<SweepReport> SweepOrphans();

  // OK when both backends answer; else the first failure, with context.
  Status CheckReady();

 private:
  // Runs `job` on the image pool and waits. kOverloaded when the pool is full.
  template <typename T>
  Result<T> RunOnImagePool(std::function<Result<T>()> job);

  Status PutAll(const std::vector<std::pair<std::string, std::string_view>>& blobs,
                std::vector<std::string>* put_keys);
  void DeleteKeys(const std::vector<std::string>& keys);
  // Removes the row, then every blob of the photo (a blob left behind by a
  // failure is an orphan the sweeper removes).
  Status Purge(const std::string& id);
  Result<DerivativeBlob> LoadDerivative(const db::PhotoRecord& photo, const std::string& key,
                                        DerivativeKind kind, image::OutputFormat format);
  std::vector<image::DerivativeSpec> UploadSpecs() const;
  image::DerivativeSpec SpecFor(DerivativeKind kind, image::OutputFormat format) const;

  storage::BlobStore& blobs_;
  db::MetadataStore& metadata_;
  image::ImagePool& pool_;
  Metrics& metrics_;
  const PhotoServiceOptions options_;
  DerivativeCache cache_;
};

// Checks a client file name: at most 255 bytes of valid UTF-8, no path
// separators, no control characters, not "." or "..". kInvalidArgument
// otherwise. An empty name is allowed (the photo gets "upload.<ext>").
Status ValidateFilename(std::string_view name);

}  // namespace gallery::service
