#pragma once

// Uploading a large local file as an S3 multipart upload, streamed part by
// part from the file (one part's worth of buffer at most, never the file).

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "common/status.hpp"
#include "storage/s3/s3_client.hpp"

namespace gallery::storage::s3 {

// The part size to use for a file of `file_size` bytes: `part_size`, raised
// (to a whole MiB) when the file would otherwise need more than 10000 parts.
uint64_t EffectivePartSize(uint64_t file_size, uint64_t part_size);

// Creates a multipart upload for `key`, uploads `source` (`file_size`
// bytes) in parts of EffectivePartSize, and completes it. On any failure
// the upload is aborted (so no parts are left behind to be billed) and the
// first error is returned, with the abort's own failure appended if it
// failed too.
Status UploadFileInParts(S3Client& client, std::string_view key,
                         const std::filesystem::path& source, uint64_t file_size,
                         uint64_t part_size, std::string_view content_type);

}  // namespace gallery::storage::s3
