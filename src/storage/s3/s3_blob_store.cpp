#include "storage/s3/s3_blob_store.hpp"

#include <filesystem>
#include <limits>

#include "common/crypto.hpp"
#include "storage/s3/http_body.hpp"
#include "storage/s3/multipart_upload.hpp"
#include "storage/s3/s3_client.hpp"
#include "storage/s3/s3_client_factory.hpp"

namespace gallery::storage::s3 {
namespace {

Status CheckContentType(std::string_view content_type) {
  for (char c : content_type) {
    if (c < 0x20 || c > 0x7e) {
      return Status::InvalidArgument("content type with a control or non-ASCII character");
    }
  }
  return Status::Ok();
}

// "bytes=10-19", "bytes=10-".
std::string RangeHeader(const ByteRange& range) {
  std::string header = "bytes=" + std::to_string(range.offset) + "-";
  if (range.length && *range.length <= std::numeric_limits<uint64_t>::max() - range.offset) {
    header += std::to_string(range.offset + *range.length - 1);
  }
  return header;
}

class S3BlobStore final : public BlobStore {
 public:
  S3BlobStore(const S3Options& options, std::unique_ptr<S3Client> client)
      : prefix_(options.prefix),
        multipart_threshold_(options.multipart_threshold),
        part_size_(options.part_size),
        client_(std::move(client)) {}

  Status Put(std::string_view key, std::string_view bytes, const PutOptions& options) override {
    GALLERY_RETURN_IF_ERROR(CheckKey(key));
    GALLERY_RETURN_IF_ERROR(CheckContentType(options.content_type));
    if (bytes.size() >= multipart_threshold_) {
      // Large originals: parts sent from the caller's view (a memory-mapped
      // request body), so no single request carries more than a part.
      return UploadBytesInParts(*client_, FullKey(key), bytes, part_size_, options.content_type);
    }
    StringBody body(bytes);
    return client_->PutObject(FullKey(key), body, Sha256Hex(bytes), options.content_type);
  }

  Status PutFile(std::string_view key, const std::filesystem::path& source,
                 const PutOptions& options) override {
    GALLERY_RETURN_IF_ERROR(CheckKey(key));
    GALLERY_RETURN_IF_ERROR(CheckContentType(options.content_type));
    std::error_code error;
    const uint64_t size = std::filesystem::file_size(source, error);
    if (error) return Status::FromErrno(error.value(), source.string());
    const std::string full_key = FullKey(key);
    if (size >= multipart_threshold_) {
      return UploadFileInParts(*client_, full_key, source, size, part_size_, options.content_type);
    }
    Result<std::string> sha256 = Sha256HexOfFileRange(source, 0, size);
    if (!sha256.ok()) return sha256.status();
    FileRangeBody body(source, 0, size);
    GALLERY_RETURN_IF_ERROR(body.status());
    return client_->PutObject(full_key, body, *sha256, options.content_type);
  }

  Result<BlobData> Get(std::string_view key, const ByteRange& range) override {
    GALLERY_RETURN_IF_ERROR(CheckKey(key));
    const std::string full_key = FullKey(key);
    if (range.length && *range.length == 0) {
      // HTTP cannot ask for zero bytes: check the offset against the size.
      Result<ObjectMetadata> metadata = client_->HeadObject(full_key);
      if (!metadata.ok()) return metadata.status();
      GALLERY_RETURN_IF_ERROR(CheckOffset(key, range.offset, metadata->size));
      return BlobData{"", metadata->size};
    }
    const bool whole = range.offset == 0 && !range.length;
    Result<GetObjectResult> got =
        client_->GetObject(full_key, whole ? std::nullopt : std::optional(RangeHeader(range)));
    if (got.code() == ErrorCode::kRangeNotSatisfiable) {
      // S3 refuses any range of an empty object; the contract does not.
      Result<ObjectMetadata> metadata = client_->HeadObject(full_key);
      if (metadata.ok() && metadata->size == 0) return BlobData{"", 0};
    }
    if (!got.ok()) return got.status();
    BlobData data{std::move(got->bytes), got->total_size};
    if (!whole && got->http_status == 200) {
      // The server ignored the Range header and sent everything: cut.
      GALLERY_RETURN_IF_ERROR(CheckOffset(key, range.offset, data.total_size));
      data.bytes = data.bytes.substr(std::min<uint64_t>(range.offset, data.bytes.size()),
                                     range.length.value_or(std::string::npos));
    }
    return data;
  }

  Result<BlobInfo> Head(std::string_view key) override {
    GALLERY_RETURN_IF_ERROR(CheckKey(key));
    Result<ObjectMetadata> metadata = client_->HeadObject(FullKey(key));
    if (!metadata.ok()) return metadata.status();
    return BlobInfo{std::string(key), metadata->size, metadata->last_modified};
  }

  Status Delete(std::string_view key) override {
    GALLERY_RETURN_IF_ERROR(CheckKey(key));
    Status status = client_->DeleteObject(FullKey(key));
    return status.code() == ErrorCode::kNotFound ? Status::Ok() : status;
  }

  Result<ListPage> List(std::string_view prefix, std::string_view start_after,
                        size_t limit) override {
    if (limit == 0) return Status::InvalidArgument("List: limit must be > 0");
    ListObjectsV2Request request;
    request.prefix = prefix_ + std::string(prefix);
    if (!start_after.empty()) request.start_after = prefix_ + std::string(start_after);
    ListPage page;
    for (;;) {
      request.max_keys = static_cast<int>(std::min<size_t>(limit - page.blobs.size(), 1000));
      Result<ListObjectsV2Result> result = client_->ListObjectsV2(request);
      if (!result.ok()) return result.status();
      for (ListedObject& object : result->objects) {
        if (!object.key.starts_with(prefix_) || page.blobs.size() == limit) continue;
        page.blobs.push_back(
            {object.key.substr(prefix_.size()), object.size, object.last_modified});
      }
      if (!result->is_truncated) return page;
      if (page.blobs.size() == limit) {
        page.next_start_after = page.blobs.back().key;
        return page;
      }
      request.continuation_token = result->next_continuation_token;
    }
  }

  std::optional<std::string> PresignGet(std::string_view key, std::chrono::seconds ttl,
                                        std::string_view content_disposition) override {
    if (!CheckKey(key).ok()) return std::nullopt;
    Result<std::string> url = client_->PresignGetObject(FullKey(key), ttl, content_disposition);
    if (!url.ok()) return std::nullopt;
    return std::move(url).value();
  }

  Status Ping() override {
    ListObjectsV2Request request;
    request.prefix = prefix_;
    request.max_keys = 1;
    return client_->ListObjectsV2(request).status();
  }

 private:
  // Any valid key fits under any valid prefix: prefix (at most
  // kMaxS3PrefixLength) + key (at most kMaxBlobKeyLength) <= kMaxS3KeyLength.
  static_assert(kMaxS3PrefixLength + kMaxBlobKeyLength <= kMaxS3KeyLength);
  static Status CheckKey(std::string_view key) { return ValidateBlobKey(key); }

  static Status CheckOffset(std::string_view key, uint64_t offset, uint64_t size) {
    if (size > 0 && offset >= size) {
      return Status(ErrorCode::kRangeNotSatisfiable, "offset " + std::to_string(offset) +
                                                         " is past the end of " + std::string(key) +
                                                         " (" + std::to_string(size) + " bytes)");
    }
    return Status::Ok();
  }

  std::string FullKey(std::string_view key) const { return prefix_ + std::string(key); }

  const std::string prefix_;
  const uint64_t multipart_threshold_;
  const uint64_t part_size_;
  const std::unique_ptr<S3Client> client_;
};

}  // namespace

Result<std::unique_ptr<BlobStore>> NewS3BlobStore(const S3Options& options) {
  Result<std::unique_ptr<S3Client>> client = NewS3ClientFromOptions(options);
  if (!client.ok()) return client.status();
  return std::unique_ptr<BlobStore>(new S3BlobStore(options, std::move(client).value()));
}

}  // namespace gallery::storage::s3
