#pragma once

// The behaviour every UserStore, AlbumStore and ShareStore implementation
// must have, as three value-parameterized GoogleTest suites that share one
// parameter: a factory of all the stores over one fresh database (albums and
// shares point at users and photos, and cascades cross stores). A backend's
// test instantiates them:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, UserStoreConformanceTest,
//                            ::testing::Values(StoreSetFactory{"Sqlite", ...}),
//                            StoreSetFactoryName);
//   (the same for AlbumStoreConformanceTest and ShareStoreConformanceTest)
//
// Any test executable that links gallery_db_testing gets the suites; without
// an instantiation they are allowed to stay empty.

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "db/album_store.hpp"
#include "db/metadata_store.hpp"
#include "db/share_store.hpp"
#include "db/user_store.hpp"

namespace gallery::db {

// Readable GoogleTest output for the interfaces' types (found by ADL).
void PrintTo(const UserRecord& user, std::ostream* os);
void PrintTo(const SessionRecord& session, std::ostream* os);
void PrintTo(const ApiTokenRecord& token, std::ostream* os);
void PrintTo(const AlbumRecord& album, std::ostream* os);
void PrintTo(const ShareRecord& share, std::ostream* os);

}  // namespace gallery::db

namespace gallery::db::testing {

// Every store over one database.
struct StoreSet {
  std::unique_ptr<MetadataStore> photos;
  std::unique_ptr<UserStore> users;
  std::unique_ptr<AlbumStore> albums;
  std::unique_ptr<ShareStore> shares;
};

struct StoreSetFactory {
  std::string name;  // names the instantiation: letters, digits, underscores
  // Stores over a fresh, empty database per call. On failure: report it
  // (ADD_FAILURE) and return a set with null stores; the test then fails.
  std::function<StoreSet()> make;
};

void PrintTo(const StoreSetFactory& factory, std::ostream* os);
std::string StoreSetFactoryName(const ::testing::TestParamInfo<StoreSetFactory>& info);

// A valid user (role user, no quota) with a fresh id and email, created at
// `created_at` (millisecond precision). Not stored.
UserRecord MakeTestUser(Clock::time_point created_at);

// The fixture of the three suites.
class AccountStoresTest : public ::testing::TestWithParam<StoreSetFactory> {
 protected:
  void SetUp() override;

  // Stores a new test user / photo and returns it (failing the test if the
  // store refuses).
  UserRecord AddUser();
  PhotoRecord AddPhoto();

  MetadataStore& photos() { return *stores_.photos; }
  UserStore& users() { return *stores_.users; }
  AlbumStore& albums() { return *stores_.albums; }
  ShareStore& shares() { return *stores_.shares; }

  StoreSet stores_;
  std::optional<std::string> photo_owner_;  // the user AddPhoto's photos belong to
};

class UserStoreConformanceTest : public AccountStoresTest {};
class AlbumStoreConformanceTest : public AccountStoresTest {};
class ShareStoreConformanceTest : public AccountStoresTest {};

}  // namespace gallery::db::testing
