#include "storage/s3/multipart_upload.hpp"

#include <algorithm>
#include <vector>

#include "storage/s3/http_body.hpp"
#include "storage/s3/s3_options.hpp"

namespace gallery::storage::s3 {
namespace {

Status UploadParts(S3Client& client, std::string_view key, std::string_view upload_id,
                   const std::filesystem::path& source, uint64_t file_size, uint64_t part_size) {
  std::vector<CompletedPart> parts;
  int part_number = 1;
  for (uint64_t offset = 0; offset < file_size; offset += part_size, ++part_number) {
    const uint64_t length = std::min(part_size, file_size - offset);
    // Two reads of the part: one to hash it (the hash is signed), one to send.
    Result<std::string> sha256 = Sha256HexOfFileRange(source, offset, length);
    if (!sha256.ok()) return sha256.status();
    FileRangeBody body(source, offset, length);
    GALLERY_RETURN_IF_ERROR(body.status());
    Result<std::string> etag = client.UploadPart(key, upload_id, part_number, body, *sha256);
    if (!etag.ok()) return etag.status();
    parts.push_back({part_number, std::move(etag).value()});
  }
  return client.CompleteMultipartUpload(key, upload_id, parts);
}

}  // namespace

uint64_t EffectivePartSize(uint64_t file_size, uint64_t part_size) {
  if (file_size <= part_size * kMaxParts) return part_size;
  const uint64_t needed = (file_size + kMaxParts - 1) / kMaxParts;
  return (needed + kMiB - 1) / kMiB * kMiB;
}

Status UploadFileInParts(S3Client& client, std::string_view key,
                         const std::filesystem::path& source, uint64_t file_size,
                         uint64_t part_size, std::string_view content_type) {
  Result<std::string> upload_id = client.CreateMultipartUpload(key, content_type);
  if (!upload_id.ok()) return upload_id.status();
  Status status = UploadParts(client, key, *upload_id, source, file_size,
                              EffectivePartSize(file_size, part_size));
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

}  // namespace gallery::storage::s3
