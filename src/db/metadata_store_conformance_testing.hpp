#pragma once

// The behaviour every MetadataStore implementation must have, as one
// value-parameterized GoogleTest suite. A backend's test instantiates it:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, MetadataStoreConformanceTest,
//                            ::testing::Values(StoreSetFactory{"Sqlite", ...}),
//                            StoreSetFactoryName);
//
// Any test executable that links gallery_db_testing gets the suite; without
// an instantiation it is allowed to stay empty. Instantiate it with the
// StoreSetFactory of the account suites (account_stores_conformance_testing.hpp).

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "db/account_stores_conformance_testing.hpp"
#include "db/metadata_store.hpp"

namespace gallery::db {

// Readable GoogleTest output for the interface's types (found by ADL).
void PrintTo(const PhotoRecord& photo, std::ostream* os);
void PrintTo(const PhotoCursor& cursor, std::ostream* os);

}  // namespace gallery::db

namespace gallery::db::testing {

// A valid photo of `owner_id` (every field set, no taken_at, not trashed)
// with a fresh random id and a fresh random sha256, uploaded at `uploaded_at`
// (millisecond precision). Also for other layers' tests that need rows.
PhotoRecord MakeTestPhoto(const std::string& owner_id, Clock::time_point uploaded_at);

// The MetadataStore suite runs over the same store sets as the account
// suites (photos belong to users). SetUp creates one owner, `owner()`.
class MetadataStoreConformanceTest : public AccountStoresTest {
 protected:
  void SetUp() override;

  MetadataStore& store() { return photos(); }
  const std::string& owner() const { return owner_.id; }

  UserRecord owner_;
};

}  // namespace gallery::db::testing
