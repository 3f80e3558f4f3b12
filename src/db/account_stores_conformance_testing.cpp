#include "db/account_stores_conformance_testing.hpp"

#include "common/crypto.hpp"
#include "common/time.hpp"
#include "db/metadata_store_conformance_testing.hpp"

namespace gallery::db {
namespace {

std::string Time(Clock::time_point t) { return FormatRfc3339(t, true); }
std::string Time(const std::optional<Clock::time_point>& t) {
  return t ? Time(*t) : std::string("none");
}

}  // namespace

void PrintTo(const UserRecord& u, std::ostream* os) {
  *os << "{id=" << u.id << " email=" << u.email << " role=" << UserRoleName(u.role)
      << " quota=" << u.quota_bytes << " created_at=" << Time(u.created_at)
      << " disabled=" << u.disabled << "}";
}

void PrintTo(const SessionRecord& s, std::ostream* os) {
  *os << "{token_hash=" << s.token_hash << " user=" << s.user_id << " csrf=" << s.csrf_token_hash
      << " created_at=" << Time(s.created_at) << " last_seen_at=" << Time(s.last_seen_at)
      << " expires_at=" << Time(s.expires_at) << "}";
}

void PrintTo(const ApiTokenRecord& t, std::ostream* os) {
  *os << "{id=" << t.id << " user=" << t.user_id << " name=" << t.name << " hash=" << t.token_hash
      << " created_at=" << Time(t.created_at) << " last_used_at=" << Time(t.last_used_at)
      << " revoked_at=" << Time(t.revoked_at) << "}";
}

void PrintTo(const AlbumRecord& a, std::ostream* os) {
  *os << "{id=" << a.id << " owner=" << a.owner_id << " title=" << a.title
      << " description=" << a.description << " cover=" << a.cover_photo_id.value_or("none")
      << " created_at=" << Time(a.created_at) << " updated_at=" << Time(a.updated_at)
      << " photos=" << a.photo_count << "}";
}

void PrintTo(const ShareRecord& s, std::ostream* os) {
  *os << "{id=" << s.id << " owner=" << s.owner_id << " hash=" << s.token_hash
      << " album=" << s.album_id.value_or("none") << " photo=" << s.photo_id.value_or("none")
      << " expires_at=" << Time(s.expires_at) << " password=" << s.password_hash.has_value()
      << " download=" << s.allow_download << " created_at=" << Time(s.created_at)
      << " revoked_at=" << Time(s.revoked_at) << "}";
}

}  // namespace gallery::db

namespace gallery::db::testing {

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(UserStoreConformanceTest);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(AlbumStoreConformanceTest);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ShareStoreConformanceTest);

void PrintTo(const StoreSetFactory& factory, std::ostream* os) { *os << factory.name; }

std::string StoreSetFactoryName(const ::testing::TestParamInfo<StoreSetFactory>& info) {
  return info.param.name;
}

UserRecord MakeTestUser(Clock::time_point created_at) {
  UserRecord u;
  u.id = NewId();
  u.email = "user-" + HexEncode(RandomBytes(6)) + "@example.com";
  u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  u.role = UserRole::kUser;
  u.quota_bytes = 0;
  u.created_at = FromUnixMillis(ToUnixMillis(created_at));
  return u;
}

void AccountStoresTest::SetUp() {
  stores_ = GetParam().make();
  ASSERT_TRUE(stores_.photos && stores_.users && stores_.albums && stores_.shares)
      << "the " << GetParam().name << " factory made no stores";
}

UserRecord AccountStoresTest::AddUser() {
  UserRecord u = MakeTestUser(Clock::now());
  Status s = users().CreateUser(u);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return u;
}

PhotoRecord AccountStoresTest::AddPhoto() {
  if (!photo_owner_) photo_owner_ = AddUser().id;
  PhotoRecord p = MakeTestPhoto(*photo_owner_, Clock::now());
  Status s = photos().InsertPhoto(p);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return p;
}

}  // namespace gallery::db::testing
