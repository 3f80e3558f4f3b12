#pragma once

// Staging areas for tests of UploadStaging and of what is built on it: a
// fresh temporary directory, or a fresh prefix in the shared IAM-enforcing
// moto bucket (the staging signing with the restricted "store" key). Each
// area's `leftovers` describes what is staged for an upload (files; S3
// objects and unfinished multipart uploads with their part sizes, seen as
// the admin user through boto3), and `cleanup` removes the area.

#include "storage/upload_staging_conformance_testing.hpp"

namespace gallery::storage::testing {

UploadStagingArea LocalUploadStagingArea();

// Parts of `part_size` bytes (S3's minimum of 5 MiB by default). On failure
// to reach moto: a test failure and an area without functions.
UploadStagingArea S3UploadStagingArea(uint64_t part_size = 5 << 20);

}  // namespace gallery::storage::testing
