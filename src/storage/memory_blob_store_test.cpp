#include "storage/memory_blob_store.hpp"

#include <gtest/gtest.h>

#include "storage/blob_store_conformance_testing.hpp"

namespace gallery::storage {
namespace {

using testing::BlobStoreConformanceTest;
using testing::BlobStoreFactory;

INSTANTIATE_TEST_SUITE_P(Memory, BlobStoreConformanceTest,
                         ::testing::Values(BlobStoreFactory{
                             "memory", [] { return std::make_unique<MemoryBlobStore>(); }}),
                         [](const auto& info) { return info.param.name; });

TEST(MemoryBlobStoreTest, StoresAreIndependent) {
  MemoryBlobStore a;
  MemoryBlobStore b;
  ASSERT_TRUE(a.Put("k", "v", {}).ok());
  EXPECT_EQ(b.Get("k").code(), ErrorCode::kNotFound);
}

TEST(MemoryBlobStoreTest, AGetKeepsItsVersionWhileThePutReplacesIt) {
  MemoryBlobStore store;
  ASSERT_TRUE(store.Put("k", "first", {}).ok());
  Result<BlobData> first = store.Get("k");
  ASSERT_TRUE(store.Put("k", "second", {}).ok());
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->bytes, "first");
  EXPECT_EQ(store.Get("k")->bytes, "second");
}

}  // namespace
}  // namespace gallery::storage
