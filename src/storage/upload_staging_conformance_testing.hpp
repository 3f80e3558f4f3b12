#pragma once

// The behaviour every UploadStaging implementation passes (the contracts of
// storage/upload_staging.hpp as tests). An implementation's test file
// instantiates it with a factory of fresh, empty staging areas:
//
//   INSTANTIATE_TEST_SUITE_P(
//       Local, UploadStagingConformanceTest,
//       ::testing::Values(UploadStagingFactory{"local", [] { return ...; }}),
//       [](const auto& info) { return info.param.name; });
//
// The suite appends up to ~16 MiB per upload, so that an S3 staging with
// 5 MiB parts sends several parts and keeps tails between appends.

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "storage/upload_staging.hpp"

namespace gallery::storage::testing {

// One empty staging area (a directory, a bucket prefix) for one test.
struct UploadStagingArea {
  // A staging over the area; each call is another "instance" over the same
  // bytes (they share nothing but the area).
  std::function<std::unique_ptr<UploadStaging>()> open;
  // What is left in the area for the upload (files, objects, unfinished
  // multipart uploads), described for messages; empty when nothing is.
  std::function<std::vector<std::string>(const std::string& upload_id)> leftovers;
  // Removes the area; called at the end of the test.
  std::function<void()> cleanup;
};

struct UploadStagingFactory {
  std::string name;  // for test names, [A-Za-z0-9_] only
  std::function<UploadStagingArea()> make;
};

void PrintTo(const UploadStagingFactory& factory, std::ostream* os);

class UploadStagingConformanceTest : public ::testing::TestWithParam<UploadStagingFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;

  UploadStaging& staging() { return *staging_; }
  const std::filesystem::path& scratch_dir() const { return scratch_dir_; }
  // Writes `bytes` to a new file in the scratch directory and returns it.
  std::filesystem::path ScratchFile(std::string_view bytes);

  UploadStagingArea area_;
  std::unique_ptr<UploadStaging> staging_;

 private:
  std::filesystem::path scratch_dir_;
};

}  // namespace gallery::storage::testing
