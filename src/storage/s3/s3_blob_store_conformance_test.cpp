// The BlobStore conformance suite on S3: moto with IAM enforced, the store
// signing with the restricted "store" key.
//
// The store runs without a prefix on a bucket of its own, emptied before and
// after each test. Under a prefix one case cannot pass: the suite's longest
// valid key has kMaxBlobKeyLength = 1024 bytes, which is all S3 allows for a
// whole key, prefix included (the store refuses longer ones with
// kInvalidArgument). The prefix mapping has its own tests
// (s3_blob_store_moto_test.cpp, s3_blob_store_test.cpp).

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

std::unique_ptr<BlobStore> MakeMotoStore() {
  Result<testing::MotoWorld*> world = testing::SharedMotoWorldWithIam();
  if (!world.ok()) {
    ADD_FAILURE() << world.status().ToString();
    return nullptr;
  }
  S3Options options;
  options.bucket = (*world)->conformance_bucket;
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
    ADD_FAILURE() << "cannot empty bucket " << options.bucket;
    return nullptr;
  }
  return std::make_unique<EmptiedOnDestructionStore>(std::move(store).value());
}

INSTANTIATE_TEST_SUITE_P(S3, BlobStoreConformanceTest,
                         ::testing::Values(BlobStoreFactory{"s3", &MakeMotoStore}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace gallery::storage::s3
