#pragma once

// Shared moto servers for the S3 tests, started on first use and stopped
// when the test program exits:
//  - one with IAM enforced, set up (in its first, unauthenticated requests,
//    through boto3) with a bucket, a "store" user whose policy allows only
//    the bucket's "gallery/" prefix, and an "admin" user allowed everything
//    (for checks from outside the store);
//  - one without IAM (moto then ignores signatures), for presigned URLs,
//    which moto cannot check.
// Plus python3 with boto3 for interoperability checks.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "storage/s3/child_process_testing.hpp"
#include "storage/s3/credentials.hpp"
#include "storage/s3/moto_server_testing.hpp"

namespace gallery::storage::s3::testing {

struct MotoWorld {
  std::unique_ptr<MotoServer> server;
  std::string bucket;
  std::string allowed_prefix;     // "gallery/"
  Credentials store_credentials;  // s3 on bucket/allowed_prefix* only
  Credentials admin_credentials;  // everything
};

// The IAM-enforcing server; the same error on every call if it could not
// be started.
Result<MotoWorld*> SharedMotoWorldWithIam();

// A server without IAM enforcement.
Result<MotoServer*> SharedMotoWithoutIam();

// The policy given to the store user: what the gallery needs on S3 under
// `prefix` of `bucket`, and nothing more.
std::string StorePolicyJson(std::string_view bucket, std::string_view prefix);

// Runs `script` with python3 (boto3 available), `args` as sys.argv[1:].
// Never reads the developer's AWS configuration.
Result<ProcessResult> RunPython(std::string_view script, const std::vector<std::string>& args,
                                std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace gallery::storage::s3::testing
