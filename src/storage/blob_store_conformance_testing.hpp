#pragma once

// The behaviour suite every BlobStore implementation passes: the contracts
// of storage/blob_store.hpp as tests. An implementation's test file
// instantiates it with a factory that makes a fresh, empty store per test:
//
//   INSTANTIATE_TEST_SUITE_P(
//       Local, BlobStoreConformanceTest,
//       ::testing::Values(BlobStoreFactory{"local", [] { return ...; }}),
//       [](const auto& info) { return info.param.name; });
//
// The store must clean up after itself when destroyed (e.g. wrap it in a
// BlobStoreWrapper whose destructor removes its temporary root). The suite
// writes source files for PutFile in its own scratch directory, puts at most
// ~25 MiB per test and runs a few threads; it needs no other environment.

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "storage/blob_store.hpp"

namespace gallery::storage::testing {

struct BlobStoreFactory {
  std::string name;                                  // for test names, [A-Za-z0-9_] only
  std::function<std::unique_ptr<BlobStore>()> make;  // a fresh, empty store per test
};

// So that gtest prints the factory's name, not its bytes.
void PrintTo(const BlobStoreFactory& factory, std::ostream* os);

class BlobStoreConformanceTest : public ::testing::TestWithParam<BlobStoreFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;

  BlobStore& store() { return *store_; }

  // Writes `bytes` to a new file in the test's scratch directory (removed
  // after the test) and returns its path.
  std::filesystem::path WriteScratchFile(std::string_view name, std::string_view bytes);
  // A path in the scratch directory where no file exists.
  std::filesystem::path MissingScratchFile() const;

 private:
  std::unique_ptr<BlobStore> store_;
  std::filesystem::path scratch_dir_;
};

}  // namespace gallery::storage::testing
