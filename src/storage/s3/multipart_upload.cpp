#include "storage/s3/multipart_upload.hpp"

#include <algorithm>
#include <functional>
#include <vector>

#include "common/crypto.hpp"
#include "storage/s3/http_body.hpp"
#include "storage/s3/s3_options.hpp"

namespace gallery::storage::s3 {
namespace {

// Sends the part `part_number` of upload `upload_id`, the object's bytes
// [offset, offset + length), and returns the ETag S3 gave it.
using PartSender = std::function<Result<std::string>(std::string_view upload_id, int part_number,
                                                     uint64_t offset, uint64_t length)>;

Status UploadParts(S3Client& client, std::string_view key, std::string_view upload_id,
                   uint64_t size, uint64_t part_size, const PartSender& send_part) {
  std::vector<CompletedPart> parts;
  int part_number = 1;
  for (uint64_t offset = 0; offset < size; offset += part_size, ++part_number) {
    const uint64_t length = std::min(part_size, size - offset);
    Result<std::string> etag = send_part(upload_id, part_number, offset, length);
    if (!etag.ok()) return etag.status();
    parts.push_back({part_number, std::move(etag).value()});
  }
  return client.CompleteMultipartUpload(key, upload_id, parts);
}

// Create, send every part, complete; abort when any step after the create
// fails.
Status UploadInParts(S3Client& client, std::string_view key, uint64_t size, uint64_t part_size,
                     std::string_view content_type, const PartSender& send_part) {
  Result<std::string> upload_id = client.CreateMultipartUpload(key, content_type);
  if (!upload_id.ok()) return upload_id.status();
  Status status =
      UploadParts(client, key, *upload_id, size, EffectivePartSize(size, part_size), send_part);
  if (status.ok()) return status;
  Status aborted = client.AbortMultipartUpload(key, *upload_id);
  if (!aborted.ok()) {
    return Status(status.code(), status.message() + "; aborting multipart upload " + *upload_id +
                                     " failed too (parts stay until a lifecycle rule removes "
                                     "them): " +
                                     aborted.message());
  }
  return status;
}

}  // namespace

uint64_t EffectivePartSize(uint64_t size, uint64_t part_size) {
  if (size <= part_size * kMaxParts) return part_size;
  const uint64_t needed = (size + kMaxParts - 1) / kMaxParts;
  return (needed + kMiB - 1) / kMiB * kMiB;
}

Status UploadFileInParts(S3Client& client, std::string_view key,
                         const std::filesystem::path& source, uint64_t file_size,
                         uint64_t part_size, std::string_view content_type) {
  return UploadInParts(client, key, file_size, part_size, content_type,
                       [&](std::string_view upload_id, int part_number, uint64_t offset,
                           uint64_t length) -> Result<std::string> {
                         // Two reads of the part: one to hash it (the hash is signed), one to
                         // send.
                         Result<std::string> sha256 = Sha256HexOfFileRange(source, offset, length);
                         if (!sha256.ok()) return sha256.status();
                         FileRangeBody body(source, offset, length);
                         GALLERY_RETURN_IF_ERROR(body.status());
                         return client.UploadPart(key, upload_id, part_number, body, *sha256);
                       });
}

Status UploadBytesInParts(S3Client& client, std::string_view key, std::string_view bytes,
                          uint64_t part_size, std::string_view content_type) {
  if (bytes.empty()) {
    return Status::InvalidArgument("a multipart upload needs at least one byte");
  }
  return UploadInParts(client, key, bytes.size(), part_size, content_type,
                       [&](std::string_view upload_id, int part_number, uint64_t offset,
                           uint64_t length) -> Result<std::string> {
                         const std::string_view part = bytes.substr(offset, length);
                         StringBody body(part);
                         return client.UploadPart(key, upload_id, part_number, body,
                                                  Sha256Hex(part));
                       });
}

}  // namespace gallery::storage::s3
