#include "storage/s3/s3_upload_staging.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/crypto.hpp"
#include "common/log.hpp"
#include "storage/local/posix_file.hpp"
#include "storage/s3/http_body.hpp"
#include "storage/s3/multipart_upload.hpp"
#include "storage/s3/s3_client.hpp"
#include "storage/s3/s3_client_factory.hpp"

namespace gallery::storage::s3 {
namespace {

namespace fs = std::filesystem;

// Assemble downloads the finished object in ranges of this size.
constexpr uint64_t kDownloadChunk = 8 * kMiB;
constexpr std::string_view kContentType = "application/octet-stream";

// What the caller records between appends (see the header).
struct StagingState {
  struct Part {
    int number = 0;
    std::string etag;
    uint64_t size = 0;
  };
  std::string upload_id;  // the multipart upload; "" until created
  std::vector<Part> parts;
  std::string tail_key;  // relative to the prefix; "" when no tail
  uint64_t tail_size = 0;

  uint64_t StagedBytes() const {
    uint64_t total = tail_size;
    for (const Part& p : parts) total += p.size;
    return total;
  }

  std::string Serialize() const {
    nlohmann::json parts_json = nlohmann::json::array();
    for (const Part& p : parts) parts_json.push_back({p.number, p.etag, p.size});
    nlohmann::json j = {{"upload_id", upload_id}, {"parts", std::move(parts_json)}};
    if (!tail_key.empty()) j["tail"] = {{"key", tail_key}, {"size", tail_size}};
    return j.dump();
  }

  static Result<StagingState> Parse(const std::string& text) {
    StagingState s;
    if (text.empty()) return s;
    nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    try {
      if (!j.is_object()) throw std::runtime_error("not an object");
      s.upload_id = j.at("upload_id").get<std::string>();
      for (const nlohmann::json& p : j.at("parts")) {
        s.parts.push_back(
            {p.at(0).get<int>(), p.at(1).get<std::string>(), p.at(2).get<uint64_t>()});
      }
      if (j.contains("tail")) {
        s.tail_key = j["tail"].at("key").get<std::string>();
        s.tail_size = j["tail"].at("size").get<uint64_t>();
      }
    } catch (const std::exception& e) {
      return Status::Internal(std::string("S3 upload staging state is not readable: ") + e.what());
    }
    return s;
  }
};

// The request body for bytes [begin, end) of "tail, then the appended
// bytes": a slice of the tail in memory, then a slice of the append.
class StreamSlice {
 public:
  StreamSlice(std::string_view tail, const UploadBytes& bytes, uint64_t begin, uint64_t end) {
    const uint64_t t = tail.size();
    head_.emplace(begin < t ? tail.substr(begin, std::min(end, t) - begin) : std::string_view());
    const uint64_t from = std::max(begin, t) - t;
    const uint64_t to = end > t ? end - t : 0;
    if (bytes.in_file()) {
      file_.emplace(bytes.file, from, to - from);
    } else {
      memory_.emplace(bytes.memory.substr(from, to - from));
    }
    body_.emplace(*head_, file_ ? static_cast<HttpBody&>(*file_) : *memory_);
  }
  // The bodies point at each other.
  StreamSlice(const StreamSlice&) = delete;
  StreamSlice& operator=(const StreamSlice&) = delete;

  Status status() const { return file_ ? file_->status() : Status::Ok(); }
  HttpBody& body() { return *body_; }

 private:
  std::optional<StringBody> head_;
  std::optional<FileRangeBody> file_;
  std::optional<StringBody> memory_;
  std::optional<ConcatBody> body_;
};

bool Transient(const Status& s) {
  return s.code() == ErrorCode::kUnavailable || s.code() == ErrorCode::kTimeout;
}

class S3UploadStaging final : public UploadStaging {
 public:
  S3UploadStaging(const S3Options& options, std::unique_ptr<S3Client> client)
      : prefix_(options.prefix), part_size_(options.part_size), client_(std::move(client)) {}

  Status Append(const StagedUpload& upload, const UploadBytes& bytes,
                const CommitStaged& commit) override;
  Result<AssembledUpload> Assemble(const StagedUpload& upload, const fs::path& scratch) override;
  Status Remove(const std::string& upload_id, const std::string& state) override;

 private:
  // Keys relative to the prefix, and full S3 keys.
  static std::string Dir(std::string_view id) { return "uploads/" + std::string(id) + "/"; }
  std::string Full(std::string_view relative) const { return prefix_ + std::string(relative); }
  std::string DataKey(std::string_view id) const { return Full(Dir(id) + "data"); }

  Result<StagingState> LoadState(const StagedUpload& upload) const;
  Result<std::string> ReadTail(const StagingState& state);
  // Deletes an object no committed state names any more; a failure only
  // leaves garbage that Remove collects.
  void DeleteObsolete(const std::string& relative_key);

  const std::string prefix_;
  const uint64_t part_size_;
  const std::unique_ptr<S3Client> client_;
};

Result<StagingState> S3UploadStaging::LoadState(const StagedUpload& upload) const {
  if (!ValidUploadId(upload.id)) return Status::InvalidArgument("invalid upload id");
  Result<StagingState> state = StagingState::Parse(upload.state);
  if (!state.ok()) return state.status().WithContext("upload " + upload.id);
  if (state->StagedBytes() != upload.offset) {
    return Status::Internal("upload " + upload.id + ": its S3 state holds " +
                            std::to_string(state->StagedBytes()) + " bytes, its offset is " +
                            std::to_string(upload.offset));
  }
  return state;
}

Result<std::string> S3UploadStaging::ReadTail(const StagingState& state) {
  if (state.tail_key.empty()) return std::string();
  Result<GetObjectResult> got = client_->GetObject(Full(state.tail_key), std::nullopt);
  if (!got.ok()) return got.status().WithContext("reading the tail of an upload");
  if (got->bytes.size() != state.tail_size) {
    return Status::Internal("tail object " + state.tail_key + " holds " +
                            std::to_string(got->bytes.size()) + " bytes, not " +
                            std::to_string(state.tail_size));
  }
  return std::move(got->bytes);
}

void S3UploadStaging::DeleteObsolete(const std::string& relative_key) {
  if (relative_key.empty()) return;
  Status s = client_->DeleteObject(Full(relative_key));
  if (!s.ok() && s.code() != ErrorCode::kNotFound) {
    LogWarn("could not delete an obsolete upload tail",
            {{"key", relative_key}, {"error", s.message()}});
  }
}

Status S3UploadStaging::Append(const StagedUpload& upload, const UploadBytes& bytes,
                               const CommitStaged& commit) {
  Result<StagingState> loaded = LoadState(upload);
  if (!loaded.ok()) return loaded.status();
  StagingState state = std::move(loaded).value();
  if (bytes.size == 0) return Status::InvalidArgument("empty append");
  if (upload.offset > upload.length || bytes.size > upload.length - upload.offset) {
    return Status::InvalidArgument("append past the upload's length");
  }
  const uint64_t part_size = EffectivePartSize(upload.length, part_size_);
  const bool last = upload.offset + bytes.size == upload.length;
  Result<std::string> tail = ReadTail(state);
  if (!tail.ok()) return tail.status();
  // The stream to send: the old tail, then the new bytes.
  const uint64_t total = tail->size() + bytes.size;
  const uint64_t end_offset = upload.offset + bytes.size;

  auto put_tail = [&](uint64_t begin) -> Status {
    const std::string old_tail = state.tail_key;
    const std::string key = Dir(upload.id) + "tail-" + NewId();
    StreamSlice slice(*tail, bytes, begin, total);
    GALLERY_RETURN_IF_ERROR(slice.status());
    Result<std::string> sha256 = Sha256HexOfBody(slice.body());
    if (!sha256.ok()) return sha256.status();
    GALLERY_RETURN_IF_ERROR(client_->PutObject(Full(key), slice.body(), *sha256, kContentType));
    state.tail_key = key;
    state.tail_size = total - begin;
    GALLERY_RETURN_IF_ERROR(commit(end_offset, state.Serialize()));
    DeleteObsolete(old_tail);
    return Status::Ok();
  };

  if (!last && total < part_size) return put_tail(0);

  if (state.upload_id.empty()) {
    Result<std::string> created = client_->CreateMultipartUpload(DataKey(upload.id), kContentType);
    if (!created.ok()) return created.status();
    state.upload_id = std::move(created).value();
    if (Status committed = commit(upload.offset, state.Serialize()); !committed.ok()) {
      // No state will name it: abort it now rather than leave it to the
      // bucket's lifecycle rule.
      Status aborted = client_->AbortMultipartUpload(DataKey(upload.id), state.upload_id);
      if (!aborted.ok()) {
        LogWarn("could not abort an unrecorded multipart upload",
                {{"upload", upload.id}, {"error", aborted.message()}});
      }
      return committed;
    }
  }
  uint64_t position = 0;
  while (position < total && (last || total - position >= part_size)) {
    const uint64_t length = std::min(part_size, total - position);
    const int number = static_cast<int>(state.parts.size()) + 1;
    StreamSlice slice(*tail, bytes, position, position + length);
    GALLERY_RETURN_IF_ERROR(slice.status());
    Result<std::string> sha256 = Sha256HexOfBody(slice.body());
    if (!sha256.ok()) return sha256.status();
    Result<std::string> etag =
        client_->UploadPart(DataKey(upload.id), state.upload_id, number, slice.body(), *sha256);
    if (!etag.ok()) return etag.status();
    position += length;
    // A part is at least part_size > the tail's size, or the last one: the
    // old tail is inside the first part sent.
    const std::string old_tail = state.tail_key;
    state.parts.push_back({number, std::move(etag).value(), length});
    state.tail_key.clear();
    state.tail_size = 0;
    GALLERY_RETURN_IF_ERROR(commit(upload.offset + position - tail->size(), state.Serialize()));
    DeleteObsolete(old_tail);
  }
  if (position < total) return put_tail(position);
  return Status::Ok();
}

Result<AssembledUpload> S3UploadStaging::Assemble(const StagedUpload& upload,
                                                  const fs::path& scratch) {
  Result<StagingState> state = LoadState(upload);
  if (!state.ok()) return state.status();
  if (upload.offset != upload.length) {
    return Status::InvalidArgument("upload " + upload.id + " is not complete");
  }
  const std::string data_key = DataKey(upload.id);
  // An earlier Assemble may have completed the upload already.
  Result<ObjectMetadata> head = client_->HeadObject(data_key);
  if (head.ok() && head->size != upload.length) {
    return Status::Internal("assembled upload " + upload.id + " holds " +
                            std::to_string(head->size) + " bytes, not " +
                            std::to_string(upload.length));
  }
  if (!head.ok()) {
    if (head.code() != ErrorCode::kNotFound) return head.status();
    if (state->upload_id.empty() || !state->tail_key.empty()) {
      return Status::Internal("upload " + upload.id + " has no complete multipart upload");
    }
    std::vector<CompletedPart> parts;
    for (const StagingState::Part& p : state->parts) parts.push_back({p.number, p.etag});
    GALLERY_RETURN_IF_ERROR(client_->CompleteMultipartUpload(data_key, state->upload_id, parts));
  }

  const fs::path path = scratch / ("upload-" + upload.id + "-" + NewId());
  posix::UniqueFd out(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!out.valid()) return Status::FromErrno(errno, "create " + path.string());
  auto fail = [&](Status s) -> Result<AssembledUpload> {
    out.Close(path).ok();
    ::unlink(path.c_str());
    return s;
  };
  for (uint64_t offset = 0; offset < upload.length;) {
    const uint64_t end = std::min(upload.length, offset + kDownloadChunk) - 1;
    Result<GetObjectResult> got =
        client_->GetObject(data_key, "bytes=" + std::to_string(offset) + "-" + std::to_string(end));
    if (!got.ok()) return fail(got.status());
    if (got->bytes.size() != end + 1 - offset) {
      return fail(Status::Internal("S3 answered " + std::to_string(got->bytes.size()) +
                                   " bytes for a range of " + std::to_string(end + 1 - offset)));
    }
    Status written = posix::WriteAll(out.get(), got->bytes, path);
    if (!written.ok()) return fail(written);
    offset = end + 1;
  }
  Status closed = out.Close(path);
  if (!closed.ok()) return fail(closed);
  return AssembledUpload{path, true};
}

Status S3UploadStaging::Remove(const std::string& upload_id, const std::string& state_text) {
  if (!ValidUploadId(upload_id)) return Status::InvalidArgument("invalid upload id");
  Result<StagingState> state = StagingState::Parse(state_text);
  if (state.ok() && !state->upload_id.empty()) {
    Status aborted = client_->AbortMultipartUpload(DataKey(upload_id), state->upload_id);
    if (!aborted.ok()) {
      // Gone already (completed or aborted) is refused as NoSuchUpload: only
      // an S3 that did not answer is worth trying again.
      if (Transient(aborted)) return aborted;
      LogInfo("multipart upload not aborted",
              {{"upload", upload_id}, {"error", aborted.message()}});
    }
  }
  ListObjectsV2Request request;
  request.prefix = Full(Dir(upload_id));
  for (;;) {
    Result<ListObjectsV2Result> page = client_->ListObjectsV2(request);
    if (!page.ok()) return page.status();
    for (const ListedObject& object : page->objects) {
      Status s = client_->DeleteObject(object.key);
      if (!s.ok() && s.code() != ErrorCode::kNotFound) return s;
    }
    if (!page->is_truncated) return Status::Ok();
    request.continuation_token = page->next_continuation_token;
  }
}

}  // namespace

Result<std::unique_ptr<UploadStaging>> NewS3UploadStaging(const S3Options& options) {
  Result<std::unique_ptr<S3Client>> client = NewS3ClientFromOptions(options);
  if (!client.ok()) return client.status();
  return std::unique_ptr<UploadStaging>(new S3UploadStaging(options, std::move(client).value()));
}

}  // namespace gallery::storage::s3
