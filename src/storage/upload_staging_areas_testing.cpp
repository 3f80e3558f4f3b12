#include "storage/upload_staging_areas_testing.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "common/crypto.hpp"
#include "storage/local/local_upload_staging.hpp"
#include "storage/s3/moto_world_testing.hpp"
#include "storage/s3/s3_upload_staging.hpp"

namespace gallery::storage::testing {
namespace {

namespace fs = std::filesystem;
using s3::S3Options;
using s3::StaticCredentialsProvider;

// Runs boto3 as the admin user with `args` after endpoint, bucket, key id
// and secret; returns its stdout ("" and a test failure when it fails).
std::string Boto3(s3::testing::MotoWorld& world, std::string_view script,
                  std::vector<std::string> args) {
  const std::string prelude = R"py(
import sys, boto3
from botocore.config import Config
endpoint, bucket, key_id, secret = sys.argv[1:5]
args = sys.argv[5:]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                  aws_access_key_id=key_id, aws_secret_access_key=secret,
                  config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
)py";
  std::vector<std::string> argv = {world.server->endpoint(), world.bucket,
                                   world.admin_credentials.access_key_id,
                                   world.admin_credentials.secret_access_key};
  argv.insert(argv.end(), args.begin(), args.end());
  Result<s3::testing::ProcessResult> result =
      s3::testing::RunPython(prelude + std::string(script), argv);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  if (!result.ok()) return {};
  EXPECT_EQ(result->exit_code, 0) << result->err;
  return result->out;
}

// One line per object ("object <key> <size>") and per unfinished multipart
// upload ("multipart <key> <part sizes...>") under `prefix`.
constexpr std::string_view kDescribe = R"py(
prefix = args[0]
for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
    for o in page.get("Contents", []):
        print("object", o["Key"][len(prefix):], o["Size"])
for u in s3.list_multipart_uploads(Bucket=bucket, Prefix=prefix).get("Uploads", []):
    parts = s3.list_parts(Bucket=bucket, Key=u["Key"], UploadId=u["UploadId"]).get("Parts", [])
    print("multipart", u["Key"][len(prefix):], *[p["Size"] for p in parts])
)py";

constexpr std::string_view kEmpty = R"py(
prefix = args[0]
for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
    for o in page.get("Contents", []):
        s3.delete_object(Bucket=bucket, Key=o["Key"])
for u in s3.list_multipart_uploads(Bucket=bucket, Prefix=prefix).get("Uploads", []):
    s3.abort_multipart_upload(Bucket=bucket, Key=u["Key"], UploadId=u["UploadId"])
)py";

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

s3::testing::MotoWorld* World() {
  Result<s3::testing::MotoWorld*> world = s3::testing::SharedMotoWorldWithIam();
  if (!world.ok()) {
    ADD_FAILURE() << world.status().ToString();
    return nullptr;
  }
  return *world;
}

S3Options OptionsFor(s3::testing::MotoWorld& world, const std::string& prefix, uint64_t part_size) {
  S3Options options;
  options.bucket = world.bucket;
  options.prefix = prefix;
  options.region = "us-east-1";
  options.endpoint = world.server->endpoint();
  options.force_path_style = true;
  options.request_timeout = std::chrono::seconds(30);
  options.max_attempts = 2;
  options.part_size = part_size;
  options.credentials = std::make_shared<StaticCredentialsProvider>(world.store_credentials);
  return options;
}

}  // namespace

UploadStagingArea LocalUploadStagingArea() {
  const fs::path root = fs::temp_directory_path() / ("gallery-staging-" + NewId());
  UploadStagingArea area;
  area.open = [root]() -> std::unique_ptr<UploadStaging> {
    Result<std::unique_ptr<UploadStaging>> staging = NewLocalUploadStaging(root);
    EXPECT_TRUE(staging.ok()) << staging.status().ToString();
    return staging.ok() ? std::move(staging).value() : nullptr;
  };
  area.leftovers = [root](const std::string& id) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(root, ec)) {
      if (entry.path().filename().string().find(id) != std::string::npos) {
        out.push_back(entry.path().string());
      }
    }
    return out;
  };
  area.cleanup = [root] {
    std::error_code ignored;
    fs::remove_all(root, ignored);
  };
  return area;
}

UploadStagingArea S3UploadStagingArea(uint64_t part_size) {
  s3::testing::MotoWorld* world = World();
  if (world == nullptr) return {};
  // A prefix of its own per test, inside the one the store's key may use.
  const std::string prefix = world->allowed_prefix + "staging-" + NewId() + "/";
  UploadStagingArea area;
  area.open = [world, prefix, part_size]() -> std::unique_ptr<UploadStaging> {
    Result<std::unique_ptr<UploadStaging>> staging =
        s3::NewS3UploadStaging(OptionsFor(*world, prefix, part_size));
    EXPECT_TRUE(staging.ok()) << staging.status().ToString();
    return staging.ok() ? std::move(staging).value() : nullptr;
  };
  area.leftovers = [world, prefix](const std::string& id) {
    return Lines(Boto3(*world, kDescribe, {prefix + "uploads/" + id + "/"}));
  };
  area.cleanup = [world, prefix] { Boto3(*world, kEmpty, {prefix}); };
  return area;
}

}  // namespace gallery::storage::testing
