// The UploadStaging conformance suite on a local directory, and what is
// particular to it.

#include "storage/local/local_upload_staging.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "common/crypto.hpp"
#include "storage/upload_staging_areas_testing.hpp"

namespace gallery::storage {
namespace {

namespace fs = std::filesystem;
using testing::UploadStagingArea;
using testing::UploadStagingConformanceTest;
using testing::UploadStagingFactory;

INSTANTIATE_TEST_SUITE_P(Local, UploadStagingConformanceTest,
                         ::testing::Values(UploadStagingFactory{"local",
                                                                &testing::LocalUploadStagingArea}),
                         [](const auto& info) { return info.param.name; });

class LocalUploadStagingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    area_ = testing::LocalUploadStagingArea();
    staging_ = area_.open();
    ASSERT_NE(staging_, nullptr);
  }
  void TearDown() override { area_.cleanup(); }

  UploadStagingArea area_;
  std::unique_ptr<UploadStaging> staging_;
};

TEST_F(LocalUploadStagingTest, StagedFilesAreTheOwnersOnlyAndAssembleInPlace) {
  const std::string id = NewId();
  uint64_t offset = 0;
  auto commit = [&](uint64_t o, const std::string& state) {
    EXPECT_EQ(state, "");
    offset = o;
    return Status::Ok();
  };
  ASSERT_TRUE(staging_->Append({id, 6, 0, ""}, UploadBytes::InMemory("abc"), commit).ok());
  ASSERT_TRUE(staging_->Append({id, 6, offset, ""}, UploadBytes::InMemory("def"), commit).ok());
  Result<AssembledUpload> assembled = staging_->Assemble({id, 6, 6, ""}, "/nonexistent");
  ASSERT_TRUE(assembled.ok()) << assembled.status().ToString();
  EXPECT_FALSE(assembled->temporary) << "no copy of a local file";
  struct stat st;
  ASSERT_EQ(::stat(assembled->path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 6);
}

TEST_F(LocalUploadStagingTest, AMissingOrShortFileIsAnErrorNotAHole) {
  const std::string id = NewId();
  auto commit = [](uint64_t, const std::string&) { return Status::Ok(); };
  // Committed at 3, but nothing on disk (the data directory was lost).
  EXPECT_EQ(staging_->Append({id, 6, 3, ""}, UploadBytes::InMemory("def"), commit).code(),
            ErrorCode::kInternal);
  ASSERT_TRUE(staging_->Append({id, 6, 0, ""}, UploadBytes::InMemory("a"), commit).ok());
  EXPECT_EQ(staging_->Append({id, 6, 3, ""}, UploadBytes::InMemory("def"), commit).code(),
            ErrorCode::kInternal);
  EXPECT_EQ(staging_->Assemble({id, 1, 1, ""}, "/tmp").code(), ErrorCode::kOk);
  EXPECT_EQ(staging_->Assemble({id, 6, 6, ""}, "/tmp").code(), ErrorCode::kInternal);
}

TEST(LocalUploadStagingOpenTest, RefusesAnEmptyRootOrAFile) {
  EXPECT_EQ(NewLocalUploadStaging("").code(), ErrorCode::kInvalidArgument);
  const fs::path file = fs::temp_directory_path() / ("gallery-staging-file-" + NewId());
  { std::ofstream(file) << "x"; }
  EXPECT_NE(NewLocalUploadStaging(file).code(), ErrorCode::kOk);
  fs::remove(file);
}

}  // namespace
}  // namespace gallery::storage
