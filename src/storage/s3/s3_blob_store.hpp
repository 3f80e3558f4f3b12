#pragma once

// A BlobStore on an S3 bucket (AWS or S3-compatible). Key "photos/x" is
// stored at "<prefix>photos/x"; List strips the prefix again. Put and
// PutFile of objects at or above the multipart threshold upload them in
// parts, sent from the caller's bytes or streamed from the file. PresignGet answers presigned GET
// URLs. Ping lists at most one key under the prefix (so an IAM policy that allows s3:ListBucket on
// the prefix only is enough).
//
// Thread safety: safe for concurrent use (see BlobStore).

#include <memory>

#include "common/status.hpp"
#include "storage/blob_store.hpp"
#include "storage/s3/s3_options.hpp"

namespace gallery::storage::s3 {

// Validates `options` (kInvalidArgument naming the setting), resolves the
// credentials (options.credentials, or the default AWS chain) and returns
// the store. Does no I/O: call Ping to know whether the bucket answers.
Result<std::unique_ptr<BlobStore>> NewS3BlobStore(const S3Options& options);

}  // namespace gallery::storage::s3
