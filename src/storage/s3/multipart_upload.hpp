#pragma once

// Uploading a large object as an S3 multipart upload, part by part, from a
// local file or from bytes in memory (a memory-mapped file, say). Either way
// at most one part's worth of buffer is in flight, never a copy of the
// whole object.

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "common/status.hpp"
#include "storage/s3/s3_client.hpp"

namespace gallery::storage::s3 {

// The part size to use for an object of `size` bytes: `part_size`, raised
// (to a whole MiB) when the object would otherwise need more than 10000
// parts.
uint64_t EffectivePartSize(uint64_t size, uint64_t part_size);

// Creates a multipart upload for `key`, uploads `source` (`file_size`
// bytes) in parts of EffectivePartSize, and completes it. On any failure
// the upload is aborted (so no parts are left behind to be billed) and the
// first error is returned, with the abort's own failure appended if it
// failed too.
Status UploadFileInParts(S3Client& client, std::string_view key,
                         const std::filesystem::path& source, uint64_t file_size,
                         uint64_t part_size, std::string_view content_type);

// Like UploadFileInParts, with the object's bytes in memory: each part is
// sent straight from its slice of `bytes`. `bytes` must not be empty (an
// upload needs at least one part); it must stay valid until the call
// returns.
Status UploadBytesInParts(S3Client& client, std::string_view key, std::string_view bytes,
                          uint64_t part_size, std::string_view content_type);

}  // namespace gallery::storage::s3
