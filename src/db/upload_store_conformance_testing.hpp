#pragma once

// The behaviour every UploadStore implementation must have (upload_store.hpp
// as tests), as one value-parameterized GoogleTest suite. A backend's test
// instantiates it:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, UploadStoreConformanceTest,
//                            ::testing::Values(UploadStoreFactory{"Sqlite", ...}),
//                            UploadStoreFactoryName);
//
// Any test executable that links gallery_db_testing gets the suite; without
// an instantiation it is allowed to stay empty.

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "db/upload_store.hpp"

namespace gallery::db {

// Readable GoogleTest output (found by ADL).
void PrintTo(const UploadRecord& upload, std::ostream* os);

}  // namespace gallery::db

namespace gallery::db::testing {

// An upload store over a fresh database, and what the suite needs besides
// it: uploads belong to users, whose rows another store owns.
struct UploadStoreFixture {
  std::unique_ptr<UploadStore> uploads;
  // Inserts a user row with this id (failing the test if it cannot).
  std::function<void(const std::string& user_id)> add_user;
  // Deletes that user's row (the uploads must go with it).
  std::function<void(const std::string& user_id)> delete_user;
};

struct UploadStoreFactory {
  std::string name;  // names the instantiation: letters, digits, underscores
  // A fixture over a fresh, empty database per call. On failure: report it
  // (ADD_FAILURE) and return a fixture without a store; the test then fails.
  std::function<UploadStoreFixture()> make;
};

void PrintTo(const UploadStoreFactory& factory, std::ostream* os);
std::string UploadStoreFactoryName(const ::testing::TestParamInfo<UploadStoreFactory>& info);

// A valid new upload of `length` bytes by `owner_id` with a fresh id,
// created at `created_at` (millisecond precision), expiring an hour later.
// Not stored.
UploadRecord MakeTestUpload(const std::string& owner_id, uint64_t length,
                            Clock::time_point created_at);

class UploadStoreConformanceTest : public ::testing::TestWithParam<UploadStoreFactory> {
 protected:
  void SetUp() override;

  UploadStore& store() { return *fixture_.uploads; }
  // A new user (stored) and a new upload of theirs (stored), created at
  // now_.
  std::string AddUser();
  UploadRecord AddUpload(uint64_t length = 1000);

  UploadStoreFixture fixture_;
  // A fixed "now" at millisecond precision; tests pass times explicitly.
  Clock::time_point now_;
};

}  // namespace gallery::db::testing
