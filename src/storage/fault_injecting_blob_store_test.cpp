#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>
#include <vector>

#include "common/crypto.hpp"
#include "storage/blob_store_conformance_testing.hpp"
#include "storage/fault_injecting_blob_store_testing.hpp"
#include "storage/memory_blob_store.hpp"

namespace gallery::storage {
namespace {

using testing::BlobStoreConformanceTest;
using testing::BlobStoreFactory;
using testing::BlobStoreMethod;
using testing::FaultInjectingBlobStore;
using testing::FaultTiming;

// Without faults the wrapper is transparent: it passes the suite too.
INSTANTIATE_TEST_SUITE_P(FaultInjectingWithoutFaults, BlobStoreConformanceTest,
                         ::testing::Values(BlobStoreFactory{
                             "fault_injecting_memory",
                             [] {
                               return std::make_unique<FaultInjectingBlobStore>(
                                   std::make_unique<MemoryBlobStore>());
                             }}),
                         [](const auto& info) { return info.param.name; });

class FaultInjectingBlobStoreTest : public ::testing::Test {
 protected:
  FaultInjectingBlobStore store_{std::make_unique<MemoryBlobStore>()};
};

TEST_F(FaultInjectingBlobStoreTest, FailsOnlyTheNthCallFromNow) {
  ASSERT_TRUE(store_.Put("before", "x", {}).ok());  // not counted towards n
  store_.FailNthCall(BlobStoreMethod::kPut, 2, Status::IoError("disk full"));
  EXPECT_TRUE(store_.Put("a", "1", {}).ok());
  Status failed = store_.Put("b", "2", {});
  EXPECT_EQ(failed.code(), ErrorCode::kIoError);
  EXPECT_EQ(failed.message(), "disk full");
  EXPECT_TRUE(store_.Put("c", "3", {}).ok());

  // The failed call never reached the inner store.
  EXPECT_EQ(store_.inner().Head("b").code(), ErrorCode::kNotFound);
  EXPECT_TRUE(store_.inner().Head("c").ok());
  EXPECT_EQ(store_.CallCount(BlobStoreMethod::kPut), 4u);
  EXPECT_EQ(store_.InjectedFaultCount(BlobStoreMethod::kPut), 1u);
  EXPECT_EQ(store_.CallCount(BlobStoreMethod::kGet), 0u);
}

TEST_F(FaultInjectingBlobStoreTest, SeveralPendingFaultsForOneMethod) {
  store_.FailNthCall(BlobStoreMethod::kDelete, 1, Status::Unavailable("first"));
  store_.FailNthCall(BlobStoreMethod::kDelete, 3, Status::Unavailable("third"));
  EXPECT_EQ(store_.Delete("k").message(), "first");
  EXPECT_TRUE(store_.Delete("k").ok());
  EXPECT_EQ(store_.Delete("k").message(), "third");
  EXPECT_TRUE(store_.Delete("k").ok());
}

TEST_F(FaultInjectingBlobStoreTest, FailsEveryCallUntilCleared) {
  ASSERT_TRUE(store_.Put("k", "v", {}).ok());
  store_.FailEveryCall(BlobStoreMethod::kGet, Status::Unavailable("s3 unreachable"));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(store_.Get("k").code(), ErrorCode::kUnavailable);
  EXPECT_TRUE(store_.Head("k").ok());  // other methods unaffected
  store_.ClearFaults();
  Result<BlobData> data = store_.Get("k");
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(data->bytes, "v");
  EXPECT_EQ(store_.InjectedFaultCount(BlobStoreMethod::kGet), 3u);
  EXPECT_EQ(store_.CallCount(BlobStoreMethod::kGet), 4u);
}

TEST_F(FaultInjectingBlobStoreTest, AfterCallFaultsKeepTheEffect) {
  store_.FailNthCall(BlobStoreMethod::kPut, 1, Status(ErrorCode::kTimeout, "reply lost"),
                     FaultTiming::kAfterCall);
  EXPECT_EQ(store_.Put("k", "stored anyway", {}).code(), ErrorCode::kTimeout);
  Result<BlobData> data = store_.Get("k");
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(data->bytes, "stored anyway");

  store_.FailEveryCall(BlobStoreMethod::kDelete, Status::IoError("lost"), FaultTiming::kAfterCall);
  EXPECT_EQ(store_.Delete("k").code(), ErrorCode::kIoError);
  EXPECT_EQ(store_.inner().Head("k").code(), ErrorCode::kNotFound);
}

TEST_F(FaultInjectingBlobStoreTest, EveryMethodCanFail) {
  std::filesystem::path source =
      std::filesystem::path(::testing::TempDir()) / ("fault-source-" + NewId());
  std::ofstream(source) << "bytes";
  ASSERT_TRUE(store_.Put("k", "v", {}).ok());
  for (BlobStoreMethod method :
       {BlobStoreMethod::kPut, BlobStoreMethod::kPutFile, BlobStoreMethod::kGet,
        BlobStoreMethod::kHead, BlobStoreMethod::kDelete, BlobStoreMethod::kList,
        BlobStoreMethod::kPing}) {
    SCOPED_TRACE(std::string(testing::BlobStoreMethodName(method)));
    store_.FailNthCall(method, 1, Status::IoError("injected"));
    Status status;
    switch (method) {
      case BlobStoreMethod::kPut:
        status = store_.Put("k", "new", {});
        break;
      case BlobStoreMethod::kPutFile:
        status = store_.PutFile("k", source, {});
        break;
      case BlobStoreMethod::kGet:
        status = store_.Get("k").status();
        break;
      case BlobStoreMethod::kHead:
        status = store_.Head("k").status();
        break;
      case BlobStoreMethod::kDelete:
        status = store_.Delete("k");
        break;
      case BlobStoreMethod::kList:
        status = store_.List("", "", 10).status();
        break;
      case BlobStoreMethod::kPing:
        status = store_.Ping();
        break;
    }
    EXPECT_EQ(status.message(), "injected");
    EXPECT_EQ(store_.InjectedFaultCount(method), 1u);
  }
  // None of the failed calls changed the object.
  EXPECT_EQ(store_.inner().Get("k")->bytes, "v");
  std::filesystem::remove(source);
}

TEST_F(FaultInjectingBlobStoreTest, TheNthCallFailsExactlyOnceUnderConcurrency) {
  ASSERT_TRUE(store_.Put("k", "v", {}).ok());
  store_.FailNthCall(BlobStoreMethod::kHead, 150, Status::IoError("once"));
  std::atomic<int> failures = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        if (!store_.Head("k").ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 1);
  EXPECT_EQ(store_.CallCount(BlobStoreMethod::kHead), 400u);
}

}  // namespace
}  // namespace gallery::storage
