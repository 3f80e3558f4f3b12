// The BlobStore conformance suite on S3: moto with IAM enforced, the store
// signing with the restricted "store" key, under a prefix as the server runs
// (GALLERY_S3_PREFIX), inside the only prefix that key's policy allows.
//
// The prefix has the longest allowed length (kMaxS3PrefixLength), so the
// suite's longest key (kMaxBlobKeyLength) makes a full-length S3 key of 1024
// bytes. Each test starts and ends with nothing under the prefix.

#include <gtest/gtest.h>

#include "storage/blob_store_conformance_testing.hpp"
#include "storage/blob_store_wrapper.hpp"
#include "storage/s3/moto_world_testing.hpp"
#include "storage/s3/s3_blob_store.hpp"

namespace gallery::storage::s3 {
namespace {

using ::gallery::storage::testing::BlobStoreConformanceTest;
using ::gallery::storage::testing::BlobStoreFactory;

// Deletes every object of `store`; false if that failed.
bool Empty(BlobStore& store) {
  for (;;) {
    Result<ListPage> page = store.List("", "", 1000);
    if (!page.ok()) return false;
    if (page->blobs.empty()) return true;
    for (const BlobInfo& blob : page->blobs) {
      if (!store.Delete(blob.key).ok()) return false;
    }
  }
}

// Empties its store when destroyed.
class EmptiedOnDestructionStore final : public BlobStoreWrapper {
 public:
  using BlobStoreWrapper::BlobStoreWrapper;
  ~EmptiedOnDestructionStore() override { EXPECT_TRUE(Empty(inner())); }
};

// "gallery/conformance-xxx.../": kMaxS3PrefixLength bytes, inside the
// prefix the store's key may use.
std::string LongestPrefix(const std::string& allowed_prefix) {
  std::string prefix = allowed_prefix + "conformance-";
  prefix.append(kMaxS3PrefixLength - 1 - prefix.size(), 'x');
  return prefix + "/";
}

std::unique_ptr<BlobStore> MakeMotoStore() {
  Result<testing::MotoWorld*> world = testing::SharedMotoWorldWithIam();
  if (!world.ok()) {
    ADD_FAILURE() << world.status().ToString();
    return nullptr;
  }
  S3Options options;
  options.bucket = (*world)->bucket;
  options.prefix = LongestPrefix((*world)->allowed_prefix);
  static_assert(kMaxS3PrefixLength + kMaxBlobKeyLength == kMaxS3KeyLength);
  options.region = "us-east-1";
  options.endpoint = (*world)->server->endpoint();
  options.force_path_style = true;
  options.credentials = std::make_shared<StaticCredentialsProvider>((*world)->store_credentials);
  Result<std::unique_ptr<BlobStore>> store = NewS3BlobStore(options);
  if (!store.ok()) {
    ADD_FAILURE() << store.status().ToString();
    return nullptr;
  }
  if (!Empty(**store)) {
    ADD_FAILURE() << "cannot empty " << options.bucket << "/" << options.prefix;
    return nullptr;
  }
  return std::make_unique<EmptiedOnDestructionStore>(std::move(store).value());
}

INSTANTIATE_TEST_SUITE_P(S3, BlobStoreConformanceTest,
                         ::testing::Values(BlobStoreFactory{"s3", &MakeMotoStore}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace gallery::storage::s3
