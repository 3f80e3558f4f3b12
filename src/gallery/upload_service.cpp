#include "gallery/upload_service.hpp"

#include <filesystem>
#include <memory>
#include <system_error>
#include <utility>

#include "common/crypto.hpp"
#include "common/log.hpp"
#include "common/mapped_file.hpp"

namespace gallery::service {
namespace {

// The sweeper looks at this many expired uploads per batch, and stops after
// this many batches (the next run continues).
constexpr int kSweepBatch = 100;
constexpr int kMaxSweepBatches = 20;

Clock::time_point Millis(Clock::time_point t) {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(t);
}

Status NoSuchUpload(const std::string& id) {
  return Status(ErrorCode::kNotFound, "upload " + id, "No such upload");
}

Status Busy(const Status& s) {
  return Status(ErrorCode::kLocked, s.message(),
                "Another request is writing to this upload; retry shortly");
}

// Errors that say the file itself will never become a photo: sending it
// again cannot help.
bool RefusesTheFile(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kUnsupportedMediaType:
    case ErrorCode::kPayloadTooLarge:
    case ErrorCode::kImageTooLarge:
    case ErrorCode::kUnprocessableImage:
    case ErrorCode::kQuotaExceeded:
      return true;
    default:
      return false;
  }
}

// The chunk's bytes as one view: memory as it is, a file memory-mapped.
class ChunkView {
 public:
  static Result<ChunkView> Of(const storage::UploadBytes& bytes) {
    ChunkView view;
    if (!bytes.in_file()) {
      view.bytes_ = bytes.memory;
      return view;
    }
    Result<std::unique_ptr<MappedFile>> mapped = MappedFile::Open(bytes.file);
    if (!mapped.ok()) return mapped.status();
    if ((*mapped)->bytes().size() < bytes.size) {
      return Status::IoError(bytes.file.string() + " is shorter than the chunk");
    }
    view.bytes_ = (*mapped)->bytes().substr(0, bytes.size);
    view.mapped_ = std::shared_ptr<MappedFile>(std::move(mapped).value());
    return view;
  }
  std::string_view bytes() const { return bytes_; }

 private:
  std::string_view bytes_;
  std::shared_ptr<MappedFile> mapped_;
};

Result<std::string> DigestOf(ChecksumAlgorithm algorithm, const storage::UploadBytes& bytes) {
  Result<ChunkView> view = ChunkView::Of(bytes);
  if (!view.ok()) return view.status();
  switch (algorithm) {
    case ChecksumAlgorithm::kSha1: {
      Sha1 hash;
      hash.Update(view->bytes());
      const Sha1Digest d = hash.Finish();
      return std::string(reinterpret_cast<const char*>(d.data()), d.size());
    }
    case ChecksumAlgorithm::kSha256: {
      const Sha256Digest d = Sha256Of(view->bytes());
      return std::string(reinterpret_cast<const char*>(d.data()), d.size());
    }
  }
  return Status::Internal("unknown checksum algorithm");
}

size_t DigestSize(ChecksumAlgorithm algorithm) {
  return algorithm == ChecksumAlgorithm::kSha1 ? 20 : 32;
}

}  // namespace

std::optional<ChecksumAlgorithm> ParseChecksumAlgorithm(std::string_view name) {
  if (name == "sha1") return ChecksumAlgorithm::kSha1;
  if (name == "sha256") return ChecksumAlgorithm::kSha256;
  return std::nullopt;
}

UploadService::UploadService(db::UploadStore& store, storage::UploadStaging& staging,
                             PhotoService& photos, Metrics& metrics, UploadServiceOptions options)
    : store_(store),
      staging_(staging),
      photos_(photos),
      metrics_(metrics),
      options_(std::move(options)) {
  metrics_.DeclareCounter("resumable_uploads_total",
                          "Resumable (tus) uploads by outcome: created, finished, refused, "
                          "terminated, expired.",
                          {"result"});
  metrics_.DeclareCounter("resumable_upload_received_bytes_total",
                          "Bytes staged by resumable uploads.", {});
}

UploadStatus UploadService::StatusOf(const db::UploadRecord& u) const {
  return UploadStatus{u.id, u.offset, u.length, u.filename, u.expires_at, u.photo_id, false};
}

void UploadService::ReleaseQuietly(const std::string& id, const std::string& token) {
  Status s = store_.Release(id, token);
  if (!s.ok()) {
    // The claim lapses by itself at the end of its lease.
    LogWarn("could not release an upload's claim", {{"upload", id}, {"error", s.message()}});
  }
}

Result<UploadStatus> UploadService::Create(const NewUpload& upload) {
  if (upload.length == 0) {
    return Status(ErrorCode::kInvalidArgument, "empty upload",
                  "Upload-Length is 0: an empty file is not a picture");
  }
  if (upload.length > options_.max_upload_bytes) {
    return Status(
        ErrorCode::kPayloadTooLarge, "upload over limit",
        "The file is larger than " + std::to_string(options_.max_upload_bytes) + " bytes");
  }
  GALLERY_RETURN_IF_ERROR(ValidateFilename(upload.filename));
  // A file that cannot fit is refused before its bytes are sent.
  Result<Uploader> uploader = UploaderOf(upload.owner_id);
  if (!uploader.ok()) return uploader.status();
  GALLERY_RETURN_IF_ERROR(photos_.CheckQuota(*uploader, upload.length));
  Result<int64_t> unfinished = store_.CountUnfinishedUploads(upload.owner_id);
  if (!unfinished.ok()) return unfinished.status();
  if (*unfinished >= options_.max_unfinished_per_owner) {
    return Status(ErrorCode::kTooManyRequests, "too many unfinished uploads",
                  "You have " + std::to_string(*unfinished) +
                      " unfinished uploads: finish or delete some first");
  }
  const Clock::time_point now = Millis(options_.now());
  db::UploadRecord record;
  record.id = NewId();
  record.owner_id = upload.owner_id;
  record.length = upload.length;
  record.filename = upload.filename;
  record.created_at = now;
  record.expires_at = now + options_.expiry;
  Status created = store_.CreateUpload(record);
  if (created.code() == ErrorCode::kNotFound) {
    return Status(ErrorCode::kUnauthenticated, created.message(), "Your account does not exist");
  }
  GALLERY_RETURN_IF_ERROR(created);
  metrics_.Add("resumable_uploads_total", {"created"});
  return StatusOf(record);
}

Result<Uploader> UploadService::UploaderOf(const std::string& owner_id) const {
  Uploader uploader{owner_id, 0};
  if (options_.quota_of) {
    Result<int64_t> quota = options_.quota_of(owner_id);
    if (!quota.ok()) return quota.status();
    uploader.quota_bytes = *quota;
  }
  return uploader;
}

Result<db::UploadRecord> UploadService::Visible(const std::string& owner_id,
                                                const std::string& id) const {
  Result<db::UploadRecord> upload = store_.GetUpload(id);
  if (upload.code() == ErrorCode::kNotFound) return NoSuchUpload(id);
  if (!upload.ok()) return upload.status();
  // Another user's upload is as good as none: its id reveals nothing.
  if (upload->owner_id != owner_id) return NoSuchUpload(id);
  if (options_.now() >= upload->expires_at) {
    return Status(ErrorCode::kGone, "upload " + id + " expired",
                  "This upload expired; start a new one");
  }
  return upload;
}

Result<UploadStatus> UploadService::Get(const std::string& owner_id, const std::string& id) {
  Result<db::UploadRecord> upload = Visible(owner_id, id);
  if (!upload.ok()) return upload.status();
  if (upload->offset < upload->length || upload->finished()) return StatusOf(*upload);
  // Every byte is here but the photo is not: make it now.
  const std::string token = NewId();
  const Clock::time_point now = options_.now();
  Result<db::UploadRecord> claimed =
      store_.Claim(id, token, upload->length, now, now + options_.claim_lease);
  if (claimed.code() == ErrorCode::kLocked) return Busy(claimed.status());
  if (!claimed.ok()) return claimed.status();
  if (claimed->finished()) {  // finished between the read and the claim
    ReleaseQuietly(id, token);
    return StatusOf(*claimed);
  }
  return MakePhoto(*claimed, token);
}

Result<UploadStatus> UploadService::Append(const std::string& owner_id, const std::string& id,
                                           const UploadChunk& chunk) {
  Result<db::UploadRecord> upload = Visible(owner_id, id);
  if (!upload.ok()) return upload.status();
  const uint64_t size = chunk.bytes.size;
  if (chunk.offset != upload->offset) {
    return Status(
        ErrorCode::kConflict,
        "offset " + std::to_string(chunk.offset) + " != " + std::to_string(upload->offset),
        "The chunk's offset " + std::to_string(chunk.offset) + " is not the upload's offset " +
            std::to_string(upload->offset) + "; resume from there");
  }
  if (upload->finished()) {
    if (size > 0) {
      return Status(ErrorCode::kConflict, "upload finished",
                    "The upload is complete; it takes no more bytes");
    }
    return StatusOf(*upload);
  }
  if (size > upload->length - upload->offset) {
    return Status(ErrorCode::kPayloadTooLarge, "chunk past the length",
                  "The chunk goes " + std::to_string(size - (upload->length - upload->offset)) +
                      " bytes past the upload's length");
  }
  if (chunk.checksum) {
    if (!chunk.complete) {
      return Status(ErrorCode::kInvalidArgument, "broken-off chunk with a checksum",
                    "A chunk that did not arrive whole cannot be checked against its checksum");
    }
    if (chunk.checksum->digest.size() != DigestSize(chunk.checksum->algorithm)) {
      return Status(ErrorCode::kInvalidArgument, "checksum of the wrong length",
                    "The checksum has the wrong length for its algorithm");
    }
    Result<std::string> digest = DigestOf(chunk.checksum->algorithm, chunk.bytes);
    if (!digest.ok()) return digest.status();
    if (*digest != chunk.checksum->digest) {
      metrics_.Add("resumable_uploads_total", {"checksum-mismatch"});
      return Status(ErrorCode::kChecksumMismatch, "chunk checksum mismatch",
                    "The chunk does not match its checksum; it was discarded");
    }
  }
  if (size == 0 && upload->offset < upload->length) return StatusOf(*upload);

  const std::string token = NewId();
  Clock::time_point now = options_.now();
  Result<db::UploadRecord> claimed =
      store_.Claim(id, token, upload->offset, now, now + options_.claim_lease);
  if (claimed.code() == ErrorCode::kLocked) return Busy(claimed.status());
  if (claimed.code() == ErrorCode::kConflict) {
    Result<db::UploadRecord> again = store_.GetUpload(id);
    const std::string offset = again.ok() ? std::to_string(again->offset) : "another";
    return Status(ErrorCode::kConflict, claimed.status().message(),
                  "The upload moved on to offset " + offset + "; resume from there");
  }
  if (!claimed.ok()) return claimed.status();

  db::UploadRecord record = std::move(claimed).value();
  if (size > 0) {
    auto commit = [&](uint64_t new_offset, const std::string& new_state) -> Status {
      const Clock::time_point at = options_.now();
      db::UploadProgress progress{id,
                                  token,
                                  record.offset,
                                  new_offset,
                                  new_state,
                                  Millis(at + options_.expiry),
                                  at + options_.claim_lease};
      GALLERY_RETURN_IF_ERROR(store_.Advance(progress));
      metrics_.Add("resumable_upload_received_bytes_total", {},
                   static_cast<double>(new_offset - record.offset));
      record.offset = new_offset;
      record.staging_state = new_state;
      record.expires_at = progress.expires_at;
      return Status::Ok();
    };
    const storage::StagedUpload staged{id, record.length, record.offset, record.staging_state};
    Status staged_status = staging_.Append(staged, chunk.bytes, commit);
    if (!staged_status.ok()) {
      ReleaseQuietly(id, token);
      if (record.offset > upload->offset) {
        LogInfo("upload append stopped part-way",
                {{"upload", id}, {"offset", record.offset}, {"error", staged_status.message()}});
      }
      return staged_status;
    }
  }
  if (record.offset < record.length) {
    ReleaseQuietly(id, token);
    return StatusOf(record);
  }
  return MakePhoto(record, token);
}

Result<UploadStatus> UploadService::MakePhoto(const db::UploadRecord& upload,
                                              const std::string& token) {
  const storage::StagedUpload staged{upload.id, upload.length, upload.offset, upload.staging_state};
  Result<storage::AssembledUpload> assembled = staging_.Assemble(staged, options_.scratch_dir);
  if (!assembled.ok()) {
    ReleaseQuietly(upload.id, token);
    return assembled.status();
  }
  Result<UploadResult> made = [&]() -> Result<UploadResult> {
    Result<Uploader> uploader = UploaderOf(upload.owner_id);
    if (!uploader.ok()) return uploader.status();
    Result<std::unique_ptr<MappedFile>> mapped = MappedFile::Open(assembled->path);
    if (!mapped.ok()) return mapped.status();
    // Exactly what the multipart route does with a part.
    return photos_.Upload(*uploader, UploadFile{upload.filename, (*mapped)->bytes()});
  }();
  if (assembled->temporary) {
    std::error_code ignored;
    std::filesystem::remove(assembled->path, ignored);
  }
  if (!made.ok()) {
    if (!RefusesTheFile(made.code())) {
      ReleaseQuietly(upload.id, token);  // complete: Get retries later
      return made.status();
    }
    metrics_.Add("resumable_uploads_total", {"refused"});
    Status removed = staging_.Remove(upload.id, upload.staging_state);
    if (removed.ok()) removed = store_.DeleteUpload(upload.id, token);
    if (!removed.ok()) {
      ReleaseQuietly(upload.id, token);
      LogWarn("could not remove a refused upload; the sweeper will",
              {{"upload", upload.id}, {"error", removed.message()}});
    }
    return made.status();
  }
  const Clock::time_point expires = Millis(options_.now() + options_.expiry);
  Status finished = store_.Finish(upload.id, token, made->photo.id, expires);
  if (!finished.ok()) {
    // The photo exists: a retry makes it again from the same bytes, which
    // finds it (dedup).
    ReleaseQuietly(upload.id, token);
    return finished;
  }
  metrics_.Add("resumable_uploads_total", {"finished"});
  Status removed = staging_.Remove(upload.id, upload.staging_state);
  if (!removed.ok()) {
    LogWarn("could not remove a finished upload's staged bytes; the sweeper will",
            {{"upload", upload.id}, {"error", removed.message()}});
  }
  UploadStatus status = StatusOf(upload);
  status.photo_id = made->photo.id;
  status.duplicate = made->duplicate;
  status.expires_at = expires;
  return status;
}

Status UploadService::Terminate(const std::string& owner_id, const std::string& id) {
  Result<db::UploadRecord> upload = store_.GetUpload(id);
  // An expired upload may still be terminated: removing it is the point.
  if (upload.code() == ErrorCode::kNotFound || (upload.ok() && upload->owner_id != owner_id)) {
    return NoSuchUpload(id);
  }
  if (!upload.ok()) return upload.status();
  const std::string token = NewId();
  const Clock::time_point now = options_.now();
  Result<db::UploadRecord> claimed =
      store_.Claim(id, token, std::nullopt, now, now + options_.claim_lease);
  if (claimed.code() == ErrorCode::kLocked) return Busy(claimed.status());
  if (claimed.code() == ErrorCode::kNotFound) return NoSuchUpload(id);
  if (!claimed.ok()) return claimed.status();
  Status removed = staging_.Remove(id, claimed->staging_state);
  if (!removed.ok()) {
    ReleaseQuietly(id, token);
    return removed;
  }
  GALLERY_RETURN_IF_ERROR(store_.DeleteUpload(id, token));
  metrics_.Add("resumable_uploads_total", {"terminated"});
  return Status::Ok();
}

Result<UploadSweepReport> UploadService::SweepExpired() {
  UploadSweepReport report;
  for (int batch = 0; batch < kMaxSweepBatches; ++batch) {
    const Clock::time_point now = options_.now();
    Result<std::vector<db::UploadRecord>> expired = store_.ListExpiredUploads(now, kSweepBatch);
    if (!expired.ok()) return expired.status();
    int removed_now = 0;
    for (const db::UploadRecord& upload : *expired) {
      ++report.expired;
      const std::string token = NewId();
      Result<db::UploadRecord> claimed =
          store_.Claim(upload.id, token, std::nullopt, now, now + options_.claim_lease);
      if (!claimed.ok()) continue;      // being written (it will not stay expired), or gone
      if (claimed->expires_at > now) {  // written to since it was listed
        ReleaseQuietly(upload.id, token);
        continue;
      }
      Status removed = staging_.Remove(upload.id, claimed->staging_state);
      if (removed.ok()) removed = store_.DeleteUpload(upload.id, token);
      if (!removed.ok()) {
        ReleaseQuietly(upload.id, token);
        LogWarn("could not remove an expired upload",
                {{"upload", upload.id}, {"error", removed.message()}});
        continue;
      }
      ++removed_now;
      if (!upload.finished()) metrics_.Add("resumable_uploads_total", {"expired"});
    }
    report.removed += removed_now;
    if (static_cast<int>(expired->size()) < kSweepBatch || removed_now == 0) break;
  }
  return report;
}

}  // namespace gallery::service
