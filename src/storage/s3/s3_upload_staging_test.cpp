// The UploadStaging conformance suite on S3 (moto with IAM enforced, the
// staging signing with the restricted "store" key, parts of S3's minimum
// 5 MiB), and what is particular to S3: parts, tails and cleanup, checked
// from outside with boto3 as the admin user.

#include "storage/s3/s3_upload_staging.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include "common/crypto.hpp"
#include "storage/s3/moto_world_testing.hpp"
#include "storage/upload_staging_areas_testing.hpp"

namespace gallery::storage::s3 {
namespace {

using storage::testing::UploadStagingArea;
using storage::testing::UploadStagingConformanceTest;
using storage::testing::UploadStagingFactory;

UploadStagingArea MakeArea() { return storage::testing::S3UploadStagingArea(kMinPartSize); }

INSTANTIATE_TEST_SUITE_P(S3, UploadStagingConformanceTest,
                         ::testing::Values(UploadStagingFactory{"s3", &MakeArea}),
                         [](const auto& info) { return info.param.name; });

class S3UploadStagingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    area_ = MakeArea();
    ASSERT_TRUE(area_.open);
    staging_ = area_.open();
    ASSERT_NE(staging_, nullptr);
  }
  void TearDown() override {
    if (area_.cleanup) area_.cleanup();
  }

  // Appends `bytes` at the committed offset, keeping offset and state.
  Status Append(const std::string& id, uint64_t length, std::string_view bytes) {
    return staging_->Append({id, length, offset_, state_}, UploadBytes::InMemory(bytes),
                            [this](uint64_t offset, const std::string& state) {
                              offset_ = offset;
                              state_ = state;
                              return Status::Ok();
                            });
  }

  UploadStagingArea area_;
  std::unique_ptr<UploadStaging> staging_;
  uint64_t offset_ = 0;
  std::string state_;
};

TEST_F(S3UploadStagingTest, SmallAppendsWaitInATailUntilAFullPartCanGo) {
  const std::string id = NewId();
  const uint64_t length = 12 * kMiB;
  std::string data;
  for (int i = 0; i < 12; ++i) data += std::string(kMiB, static_cast<char>('a' + i));
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(Append(id, length, std::string_view(data).substr(i * kMiB, kMiB)).ok());
    std::vector<std::string> seen = area_.leftovers(id);
    // One tail object holding everything so far (earlier tails deleted);
    // no multipart upload yet.
    ASSERT_EQ(seen.size(), 1u) << ::testing::PrintToString(seen);
    EXPECT_THAT(seen[0], ::testing::MatchesRegex("object tail-[A-Za-z0-9_-]+ " +
                                                 std::to_string((i + 1) * kMiB)));
  }
  // The fifth MiB fills a part: the tail goes into part 1, nothing is left
  // over.
  ASSERT_TRUE(Append(id, length, std::string_view(data).substr(4 * kMiB, kMiB)).ok());
  EXPECT_THAT(area_.leftovers(id),
              ::testing::ElementsAre("multipart data " + std::to_string(5 * kMiB)));
  // 1 MiB more waits as a tail; the last 6 MiB go with it as one full part
  // and a short last part.
  ASSERT_TRUE(Append(id, length, std::string_view(data).substr(5 * kMiB, kMiB)).ok());
  ASSERT_TRUE(Append(id, length, std::string_view(data).substr(6 * kMiB)).ok());
  EXPECT_THAT(area_.leftovers(id),
              ::testing::ElementsAre("multipart data " + std::to_string(5 * kMiB) + " " +
                                     std::to_string(5 * kMiB) + " " + std::to_string(2 * kMiB)));
  EXPECT_EQ(offset_, length);

  Result<AssembledUpload> assembled = staging_->Assemble({id, length, offset_, state_}, "/tmp");
  ASSERT_TRUE(assembled.ok()) << assembled.status().ToString();
  EXPECT_TRUE(assembled->temporary);
  std::ifstream in(assembled->path, std::ios::binary);
  std::string back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_TRUE(back == data) << "assembled bytes differ";
  std::filesystem::remove(assembled->path);
  // The completed object stays until Remove.
  EXPECT_THAT(area_.leftovers(id), ::testing::ElementsAre("object data " + std::to_string(length)));
  ASSERT_TRUE(staging_->Remove(id, state_).ok());
  EXPECT_THAT(area_.leftovers(id), ::testing::IsEmpty());
}

TEST_F(S3UploadStagingTest, AStateThatDisagreesWithTheOffsetIsRefused) {
  const std::string id = NewId();
  ASSERT_TRUE(Append(id, 10, "abc").ok());
  EXPECT_EQ(staging_
                ->Append({id, 10, 4, state_}, UploadBytes::InMemory("d"),
                         [](uint64_t, const std::string&) { return Status::Ok(); })
                .code(),
            ErrorCode::kInternal);
  EXPECT_EQ(staging_
                ->Append({id, 10, 3, "not json"}, UploadBytes::InMemory("d"),
                         [](uint64_t, const std::string&) { return Status::Ok(); })
                .code(),
            ErrorCode::kInternal);
}

}  // namespace
}  // namespace gallery::storage::s3
