#include "gallery/photo_service.hpp"

#include <future>
#include <map>
#include <set>

#include "common/crypto.hpp"
#include "common/log.hpp"
#include "common/time.hpp"
#include "db/photo_checks.hpp"
#include "gallery/blob_keys.hpp"

namespace gallery::service {
namespace {

// Bumped whenever the pipeline's output changes, so cached copies of old
// derivatives (browsers, CDNs) are not taken for new ones.
constexpr std::string_view kPipelineVersion = "v1";

bool ValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t extra = c < 0x80             ? 0
                   : (c & 0xE0) == 0xC0 ? 1
                   : (c & 0xF0) == 0xE0 ? 2
                   : (c & 0xF8) == 0xF0 ? 3
                                        : 4;
    if (extra == 4 || i + extra >= s.size() + (extra == 0 ? 1 : 0)) return false;
    for (size_t k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += extra + 1;
  }
  return true;
}

bool IsRecentlyVerified(const CacheHit& hit, std::chrono::milliseconds interval) {
  return std::chrono::steady_clock::now() - hit.verified_at < interval;
}

}  // namespace

std::string_view DerivativeKindName(DerivativeKind kind) {
  return kind == DerivativeKind::kThumb ? "thumb" : "preview";
}

Status ValidateFilename(std::string_view name) {
  auto bad = [](std::string why) {
    return Status(ErrorCode::kInvalidArgument, "file name: " + why, "Invalid file name: " + why);
  };
  if (name.size() > 255) return bad("longer than 255 bytes");
  if (!ValidUtf8(name)) return bad("not valid UTF-8");
  if (name == "." || name == "..") return bad("not a file name");
  for (unsigned char c : name) {
    if (c == '/' || c == '\\') return bad("must not contain path separators");
    if (c < 0x20 || c == 0x7F) return bad("must not contain control characters");
  }
  return Status::Ok();
}

PhotoService::PhotoService(storage::BlobStore& blobs, db::MetadataStore& metadata,
                           image::ImagePool& pool, Metrics& metrics, PhotoServiceOptions options)
    : blobs_(blobs),
      metadata_(metadata),
      pool_(pool),
      metrics_(metrics),
      options_(std::move(options)),
      cache_(options_.cache_bytes) {
  metrics_.DeclareCounter("uploads_total", "Uploads by result.", {"result"});
  metrics_.DeclareCounter("upload_bytes_total", "Bytes of stored originals.", {});
  metrics_.DeclareCounter("derivative_cache_hits_total", "Derivatives served from memory.", {});
  metrics_.DeclareCounter("derivative_cache_misses_total", "Derivatives read or made.", {});
  metrics_.DeclareGauge("image_queue_depth", "Image jobs waiting for a worker.",
                        [this] { return static_cast<double>(pool_.queue_depth()); });
  metrics_.DeclareGauge("image_busy_workers", "Image workers running a job.",
                        [this] { return static_cast<double>(pool_.busy_workers()); });
  metrics_.DeclareGauge("image_workers", "Image workers.",
                        [this] { return static_cast<double>(pool_.workers()); });
}

template <typename T>
Result<T> PhotoService::RunOnImagePool(std::function<Result<T>()> job) {
  auto task = std::make_shared<std::packaged_task<Result<T>()>>(std::move(job));
  std::future<Result<T>> done = task->get_future();
  if (!pool_.TrySubmit([task] { (*task)(); })) {
    return Status(ErrorCode::kOverloaded, "image pool full",
                  "The server is busy processing images; retry shortly");
  }
  return done.get();
}

std::vector<image::DerivativeSpec> PhotoService::UploadSpecs() const {
  return {SpecFor(DerivativeKind::kThumb, image::OutputFormat::kJpeg),
          SpecFor(DerivativeKind::kPreview, image::OutputFormat::kJpeg)};
}

image::DerivativeSpec PhotoService::SpecFor(DerivativeKind kind, image::OutputFormat format) const {
  image::DerivativeSpec spec;
  spec.name = std::string(DerivativeKindName(kind));
  spec.max_edge = kind == DerivativeKind::kThumb ? options_.thumb_edge : options_.preview_edge;
  spec.format = format;
  spec.quality = options_.jpeg_quality;
  return spec;
}

Status PhotoService::Precheck(const UploadFile& file) const {
  GALLERY_RETURN_IF_ERROR(ValidateFilename(file.filename));
  if (file.bytes.empty()) {
    return Status(ErrorCode::kInvalidArgument, "empty file", "The file is empty");
  }
  if (file.bytes.size() > options_.max_upload_bytes) {
    return Status(
        ErrorCode::kPayloadTooLarge, "file over limit",
        "The file is larger than " + std::to_string(options_.max_upload_bytes) + " bytes");
  }
  if (!image::SniffFormat(file.bytes.substr(0, 64))) {
    return Status(ErrorCode::kUnsupportedMediaType, "unrecognised bytes",
                  "Not a supported image (JPEG, PNG, WebP, GIF, HEIC, AVIF, TIFF), judged by its "
                  "content");
  }
  Result<image::ImageHeader> header = image::ProbeHeader(file.bytes);
  if (!header.ok()) return header.status();
  return image::CheckLimits(*header, options_.limits);
}

Status PhotoService::PutAll(const std::vector<std::pair<std::string, std::string_view>>& blobs,
                            std::vector<std::string>* put_keys) {
  for (const auto& [key, bytes] : blobs) {
    storage::PutOptions put;
    Status s = blobs_.Put(key, bytes, put);
    if (!s.ok()) return s.WithContext("put " + key);
    put_keys->push_back(key);
  }
  return Status::Ok();
}

void PhotoService::DeleteKeys(const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    Status s = blobs_.Delete(key);
    if (!s.ok())
      LogWarn("blob delete failed; the sweeper will retry", {{"key", key}, {"error", s.message()}});
  }
}

Status PhotoService::CheckQuota(const Uploader& uploader, uint64_t adding) {
  if (uploader.quota_bytes <= 0) return Status::Ok();
  Result<int64_t> used = metadata_.UsedBytes(uploader.user_id);
  if (!used.ok()) return used.status();
  return db::CheckQuota(*used, adding, uploader.quota_bytes);
}

Result<UploadResult> PhotoService::Upload(const Uploader& uploader, const UploadFile& file) {
  auto count = [this](std::string_view result) {
    metrics_.Add("uploads_total", {std::string(result)});
  };
  GALLERY_RETURN_IF_ERROR(ValidateFilename(file.filename));
  if (file.bytes.empty()) {
    count("refused");
    return Status(ErrorCode::kInvalidArgument, "empty file", "The file is empty");
  }
  const std::string sha256 = Sha256Hex(file.bytes);
  // The uploader's own copy of these bytes, if any (dedup is per user).
  auto existing_copy = [&]() -> Result<UploadResult> {
    Result<db::PhotoRecord> existing = metadata_.FindPhotoBySha256(uploader.user_id, sha256);
    if (!existing.ok()) return existing.status();
    if (existing->trashed()) {
      // Uploading it again is the clearest wish to have it back.
      Status restored = metadata_.RestorePhoto(existing->id);
      if (!restored.ok() && restored.code() != ErrorCode::kNotFound) return restored;
      existing->deleted_at.reset();
    }
    count("duplicate");
    return UploadResult{std::move(existing).value(), true};
  };
  if (Result<UploadResult> dup = existing_copy(); dup.ok() || dup.code() != ErrorCode::kNotFound) {
    return dup;
  }

  if (Status s = Precheck(file); !s.ok()) {
    count("refused");
    return s;
  }
  if (Status s = CheckQuota(uploader, file.bytes.size()); !s.ok()) {
    count("refused");
    return s;
  }
  const image::Format format = *image::SniffFormat(file.bytes.substr(0, 64));

  std::vector<image::DerivativeSpec> specs = UploadSpecs();
  Result<image::ProcessedImage> processed = RunOnImagePool<image::ProcessedImage>(
      [&] { return image::ProcessUpload(file.bytes, specs, options_.limits); });
  if (!processed.ok()) {
    count(processed.code() == ErrorCode::kOverloaded ? "overloaded" : "refused");
    return processed.status();
  }

  db::PhotoRecord photo;
  photo.id = NewId();
  photo.owner_id = uploader.user_id;
  photo.filename =
      file.filename.empty() ? "upload." + std::string(image::FileExtension(format)) : file.filename;
  photo.content_type = std::string(image::MimeType(format));
  photo.bytes = file.bytes.size();
  photo.width = processed->header.display_width;
  photo.height = processed->header.display_height;
  photo.frames = processed->header.frames;
  photo.taken_at = processed->exif.taken_at;
  photo.uploaded_at = std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now());
  photo.sha256 = sha256;
  photo.exif_json = processed->exif.json;
  photo.original_key = OriginalKey(photo.id);

  std::vector<std::pair<std::string, std::string_view>> to_put = {{photo.original_key, file.bytes}};
  for (const image::Derivative& d : processed->derivatives) {
    std::string key = DerivativeKey(photo.id, d.name, image::OutputExtension(d.format));
    if (d.name == "thumb") photo.thumb_key = key;
    if (d.name == "preview") photo.preview_key = key;
    to_put.emplace_back(std::move(key), d.bytes);
  }

  std::vector<std::string> put_keys;
  if (Status s = PutAll(to_put, &put_keys); !s.ok()) {
    DeleteKeys(put_keys);
    count("failed");
    return s;
  }
  Status inserted = metadata_.InsertPhoto(photo, uploader.quota_bytes);
  if (inserted.code() == ErrorCode::kAlreadyExists) {
    // The same bytes were committed concurrently: theirs wins.
    DeleteKeys(put_keys);
    return existing_copy();
  }
  if (!inserted.ok()) {
    DeleteKeys(put_keys);
    count(inserted.code() == ErrorCode::kQuotaExceeded ? "refused" : "failed");
    return inserted;
  }
  count("stored");
  metrics_.Add("upload_bytes_total", {}, static_cast<double>(photo.bytes));
  return UploadResult{std::move(photo), false};
}

Result<db::PhotoRecord> PhotoService::Get(const std::string& owner_id, const std::string& id) {
  Result<db::PhotoRecord> photo = metadata_.GetPhoto(id);
  if (photo.ok() && (photo->owner_id.empty() || photo->owner_id != owner_id)) {
    return Status::NotFound("photo " + id + " of another owner");
  }
  return photo;
}

Result<db::PhotoPage> PhotoService::List(const std::string& owner_id,
                                         const std::optional<db::PhotoCursor>& after, int limit) {
  return metadata_.ListPhotos(owner_id, after, limit);
}

Status PhotoService::Trash(const std::string& owner_id, const std::string& id) {
  Result<db::PhotoRecord> photo = Get(owner_id, id);
  if (!photo.ok()) return photo.status();
  return metadata_.TrashPhoto(
      id, std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now()));
}

Result<db::PhotoRecord> PhotoService::Restore(const std::string& owner_id, const std::string& id) {
  Result<db::PhotoRecord> photo = Get(owner_id, id);
  if (!photo.ok()) return photo.status();
  GALLERY_RETURN_IF_ERROR(metadata_.RestorePhoto(id));
  photo->deleted_at.reset();
  return photo;
}

Result<db::TrashPage> PhotoService::ListTrash(const std::string& owner_id,
                                              const std::optional<db::TrashCursor>& after,
                                              int limit) {
  return metadata_.ListTrash(owner_id, after, limit);
}

db::Clock::time_point PhotoService::PurgeTime(const db::PhotoRecord& photo) const {
  return photo.deleted_at.value_or(Clock::now()) + options_.trash_retention;
}

Status PhotoService::PurgeFromTrash(const std::string& owner_id, const std::string& id) {
  Result<db::PhotoRecord> photo = Get(owner_id, id);
  if (!photo.ok()) return photo.status();
  if (!photo->trashed()) return Status::NotFound("photo " + id + " is not in the trash");
  return Purge(id);
}

Result<int64_t> PhotoService::EmptyTrash(const std::string& owner_id) {
  int64_t purged = 0;
  for (;;) {
    // Always the first page: what was purged is gone from it.
    Result<db::TrashPage> page = metadata_.ListTrash(owner_id, std::nullopt, 100);
    if (!page.ok()) return page.status();
    for (const db::PhotoRecord& photo : page->photos) {
      Status s = Purge(photo.id);
      if (!s.ok() && s.code() != ErrorCode::kNotFound) return s;
      ++purged;
    }
    if (!page->next) return purged;
  }
}

Result<int64_t> PhotoService::PurgeExpiredTrash() {
  const Clock::time_point cutoff = Clock::now() - options_.trash_retention;
  int64_t purged = 0;
  for (;;) {
    Result<std::vector<db::PhotoRecord>> due = metadata_.ListTrashedBefore(cutoff, 100);
    if (!due.ok()) return due.status();
    for (const db::PhotoRecord& photo : *due) {
      Status s = Purge(photo.id);
      if (!s.ok() && s.code() != ErrorCode::kNotFound) return s;
      ++purged;
    }
    if (due->size() < 100) break;
  }
  if (purged > 0) LogInfo("trash purge", {{"purged", purged}});
  return purged;
}

Status PhotoService::Purge(const std::string& id) {
  GALLERY_RETURN_IF_ERROR(metadata_.DeletePhoto(id));
  cache_.ErasePrefix(PhotoPrefix(id));
  // Every blob of the photo, including lazily made variants.
  Result<storage::ListPage> page = blobs_.List(PhotoPrefix(id), "", 100);
  if (!page.ok()) {
    LogWarn("listing blobs of a deleted photo failed; the sweeper will remove them",
            {{"photo_id", id}, {"error", page.status().message()}});
    return Status::Ok();
  }
  std::vector<std::string> keys;
  for (const auto& b : page->blobs) keys.push_back(b.key);
  DeleteKeys(keys);
  return Status::Ok();
}

Result<DerivativeBlob> PhotoService::GetDerivative(const std::string& owner_id,
                                                   const std::string& id, DerivativeKind kind,
                                                   image::OutputFormat format) {
  const std::string key =
      DerivativeKey(id, DerivativeKindName(kind), image::OutputExtension(format));
  CacheHit hit = cache_.Get(key);
  if (hit.value && hit.value->owner_id == owner_id &&
      IsRecentlyVerified(hit, options_.cache_verify_interval)) {
    metrics_.Add("derivative_cache_hits_total", {});
    return DerivativeBlob{std::move(hit.value)};
  }
  Result<db::PhotoRecord> photo = metadata_.GetPhoto(id);
  if (!photo.ok()) {
    // Deleted, perhaps through another instance: forget its derivatives.
    if (photo.code() == ErrorCode::kNotFound) cache_.ErasePrefix(PhotoPrefix(id));
    return photo.status();
  }
  if (photo->owner_id.empty() || photo->owner_id != owner_id) {
    return Status::NotFound("photo " + id + " of another owner");
  }
  return LoadDerivative(*photo, key, kind, format);
}

Result<DerivativeBlob> PhotoService::GetDerivativeOf(const db::PhotoRecord& photo,
                                                     DerivativeKind kind,
                                                     image::OutputFormat format) {
  const std::string key =
      DerivativeKey(photo.id, DerivativeKindName(kind), image::OutputExtension(format));
  return LoadDerivative(photo, key, kind, format);
}

Result<DerivativeBlob> PhotoService::LoadDerivative(const db::PhotoRecord& photo,
                                                    const std::string& key, DerivativeKind kind,
                                                    image::OutputFormat format) {
  // The row was just read: a cached copy is good, and now verified.
  if (CacheHit hit = cache_.Get(key); hit.value) {
    cache_.MarkVerified(key);
    metrics_.Add("derivative_cache_hits_total", {});
    return DerivativeBlob{std::move(hit.value)};
  }
  metrics_.Add("derivative_cache_misses_total", {});

  auto value = std::make_shared<CachedDerivative>();
  value->owner_id = photo.owner_id;
  value->content_type = std::string(image::OutputMimeType(format));
  // Strong and derived from the original's bytes: the same for every
  // instance, stable across restarts.
  std::string etag = "\"";
  etag.append(photo.sha256, 0, 24).append("-").append(DerivativeKindName(kind)).append("-");
  etag.append(image::OutputExtension(format)).append("-").append(kPipelineVersion).append("\"");
  value->etag = std::move(etag);

  Result<storage::BlobData> stored = blobs_.Get(key);
  if (stored.ok()) {
    value->bytes = std::move(stored->bytes);
  } else if (stored.code() == ErrorCode::kNotFound) {
    // Not made yet (WebP/AVIF are made on first request): make and keep it.
    Result<storage::BlobData> original = blobs_.Get(photo.original_key);
    if (!original.ok()) return original.status().WithContext("read original");
    image::DerivativeSpec spec = SpecFor(kind, format);
    Result<image::Derivative> made = RunOnImagePool<image::Derivative>(
        [&] { return image::MakeDerivative(original->bytes, spec, options_.limits); });
    if (!made.ok()) return made.status();
    storage::PutOptions put;
    put.content_type = value->content_type;
    if (Status s = blobs_.Put(key, made->bytes, put); !s.ok()) {
      LogWarn("could not store a derivative; serving it anyway",
              {{"key", key}, {"error", s.message()}});
    }
    value->bytes = std::move(made->bytes);
  } else {
    return stored.status();
  }
  cache_.Put(key, value);
  return DerivativeBlob{std::move(value)};
}

std::shared_ptr<const CachedDerivative> PhotoService::PeekDerivative(const std::string& owner_id,
                                                                     const std::string& id,
                                                                     DerivativeKind kind,
                                                                     image::OutputFormat format) {
  CacheHit hit =
      cache_.Get(DerivativeKey(id, DerivativeKindName(kind), image::OutputExtension(format)));
  if (!hit.value || hit.value->owner_id != owner_id ||
      !IsRecentlyVerified(hit, options_.cache_verify_interval)) {
    return nullptr;
  }
  metrics_.Add("derivative_cache_hits_total", {});
  return std::move(hit.value);
}

Result<storage::BlobData> PhotoService::ReadOriginal(const db::PhotoRecord& photo,
                                                     const storage::ByteRange& range) {
  return blobs_.Get(photo.original_key, range);
}

std::optional<std::string> PhotoService::PresignOriginal(const db::PhotoRecord& photo,
                                                         std::chrono::seconds ttl) {
  return blobs_.PresignGet(photo.original_key, ttl, "attachment");
}

Result<SweepReport> PhotoService::SweepOrphans() {
  SweepReport report;
  const auto cutoff = Clock::now() - options_.orphan_grace;
  std::string start_after;
  std::map<std::string, bool> row_exists;  // per photo id, for this sweep
  for (;;) {
    Result<storage::ListPage> page = blobs_.List(kPhotosPrefix, start_after, 1000);
    if (!page.ok()) return page.status();
    for (const storage::BlobInfo& blob : page->blobs) {
      ++report.scanned_blobs;
      if (blob.last_modified > cutoff) continue;
      std::string id = PhotoIdOfKey(blob.key);
      if (id.empty()) continue;
      auto known = row_exists.find(id);
      if (known == row_exists.end()) {
        Result<db::PhotoRecord> row = metadata_.GetPhoto(id);
        if (!row.ok() && row.code() != ErrorCode::kNotFound) return row.status();
        known = row_exists.emplace(id, row.ok()).first;
      }
      if (known->second) continue;
      if (blobs_.Delete(blob.key).ok()) ++report.deleted_blobs;
    }
    if (!page->next_start_after) break;
    start_after = *page->next_start_after;
  }
  if (report.deleted_blobs > 0) {
    LogInfo("orphan sweep", {{"scanned", report.scanned_blobs}, {"deleted", report.deleted_blobs}});
  }
  return report;
}

Status PhotoService::CheckReady() {
  if (Status s = metadata_.Ping(); !s.ok()) return s.WithContext("database");
  if (Status s = blobs_.Ping(); !s.ok()) return s.WithContext("storage");
  return Status::Ok();
}

}  // namespace gallery::service
