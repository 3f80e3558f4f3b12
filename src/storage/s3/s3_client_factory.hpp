#pragma once

// Builds the S3Client that S3Options describe, for every S3-backed piece
// (the BlobStore, the upload staging): one place that turns settings into
// an endpoint, credentials, retries and timeouts.

#include <memory>

#include "common/status.hpp"
#include "storage/s3/s3_client.hpp"
#include "storage/s3/s3_options.hpp"

namespace gallery::storage::s3 {

// Validates `options` (kInvalidArgument naming the setting) and returns a
// client with options.credentials, or the default AWS chain. No I/O.
Result<std::unique_ptr<S3Client>> NewS3ClientFromOptions(const S3Options& options);

}  // namespace gallery::storage::s3
