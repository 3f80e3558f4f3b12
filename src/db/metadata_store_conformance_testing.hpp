#pragma once

// The behaviour every MetadataStore implementation must have, as one
// value-parameterized GoogleTest suite. A backend's test instantiates it:
//
//   INSTANTIATE_TEST_SUITE_P(
//       Sqlite, MetadataStoreConformanceTest,
//       ::testing::Values(MetadataStoreFactory{"Sqlite", [] { return ...; }}),
//       MetadataStoreFactoryName);
//
// Any test executable that links gallery_db_testing gets the suite; without
// an instantiation it is allowed to stay empty.

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "db/metadata_store.hpp"

namespace gallery::db {

// Readable GoogleTest output for the interface's types (found by ADL).
void PrintTo(const PhotoRecord& photo, std::ostream* os);
void PrintTo(const PhotoCursor& cursor, std::ostream* os);

}  // namespace gallery::db

namespace gallery::db::testing {

struct MetadataStoreFactory {
  std::string name;  // names the instantiation: letters, digits, underscores
  // A fresh, empty store per call. On failure: report it (ADD_FAILURE) and
  // return nullptr; the test then fails.
  std::function<std::unique_ptr<MetadataStore>()> make;
};

void PrintTo(const MetadataStoreFactory& factory, std::ostream* os);

// The name generator for INSTANTIATE_TEST_SUITE_P: the factory's name.
std::string MetadataStoreFactoryName(const ::testing::TestParamInfo<MetadataStoreFactory>& info);

// A valid photo (every field set, no taken_at) with a fresh random id and a
// fresh random sha256, uploaded at `uploaded_at` (millisecond precision).
// Also for other layers' tests that need rows.
PhotoRecord MakeTestPhoto(Clock::time_point uploaded_at);

class MetadataStoreConformanceTest : public ::testing::TestWithParam<MetadataStoreFactory> {
 protected:
  void SetUp() override;

  MetadataStore& store() { return *store_; }

  std::unique_ptr<MetadataStore> store_;
};

}  // namespace gallery::db::testing
