#pragma once

// UploadStaging on S3, for instances that share nothing but the bucket and
// the database: no instance holds an upload's bytes between requests.
//
// Upload <id> becomes an S3 multipart upload of "<prefix>uploads/<id>/data"
// in parts of EffectivePartSize(length, part_size) bytes (at least 5 MiB,
// S3's minimum for every part but the last). An append whose bytes do not
// fill a part leaves them in a tail object "<prefix>uploads/<id>/tail-<random>",
// which the next append (on any instance) reads back and sends in front of
// its own bytes, as tusd's s3store does. So at most one part's worth of bytes
// is ever in memory. The state (JSON, recorded by the caller) names the
// multipart upload, its parts (number, ETag, size) and the current tail;
// each step commits it: the creation of the multipart upload, each part,
// the new tail. A tail gets a fresh name at every write, so a step that
// failed or was abandoned never alters bytes a committed state points to.
//
// Assemble completes the multipart upload (unless an earlier call did) and
// downloads the object in ranges to a temporary file in the scratch
// directory. Remove aborts the multipart upload and deletes every object
// under "uploads/<id>/". A multipart upload whose id cannot be committed is
// aborted at once; one left by a crash between its creation and that
// commit is named by no state: the bucket's lifecycle rule
// (AbortIncompleteMultipartUpload, deploy/aws) removes it.
//
// Permissions: s3:PutObject (which covers the multipart calls),
// s3:GetObject, s3:DeleteObject, s3:AbortMultipartUpload on the prefix and
// s3:ListBucket on it (Remove lists the upload's objects).

#include <memory>

#include "common/status.hpp"
#include "storage/s3/s3_options.hpp"
#include "storage/upload_staging.hpp"

namespace gallery::storage::s3 {

// Validates `options` (kInvalidArgument naming the setting) and returns the
// staging, with options.part_size as the part size. No I/O.
Result<std::unique_ptr<UploadStaging>> NewS3UploadStaging(const S3Options& options);

}  // namespace gallery::storage::s3
