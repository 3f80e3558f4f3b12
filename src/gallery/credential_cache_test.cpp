#include "gallery/credential_cache.hpp"

#include <gtest/gtest.h>

namespace gallery::service {
namespace {

using db::Clock;
using std::chrono::seconds;

std::shared_ptr<const Identity> MakeIdentity(std::string user, bool session, std::string token_id) {
  auto id = std::make_shared<Identity>();
  id->user_id = std::move(user);
  id->via_session = session;
  id->api_token_id = std::move(token_id);
  return id;
}

TEST(CredentialCacheTest, AnswersUntilTheEntrysDeadline) {
  CredentialCache cache;
  const Clock::time_point t = Clock::now();
  cache.Put("h1", MakeIdentity("u1", true, ""), t + seconds(5), t, cache.generation());
  ASSERT_NE(cache.Find("h1", t + seconds(4)), nullptr);
  EXPECT_EQ(cache.Find("h1", t + seconds(4))->user_id, "u1");
  EXPECT_EQ(cache.Find("h1", t + seconds(5)), nullptr);
  EXPECT_EQ(cache.Find("h2", t), nullptr);
}

TEST(CredentialCacheTest, EvictsByTokenHashTokenIdAndUser) {
  CredentialCache cache;
  const Clock::time_point t = Clock::now();
  const Clock::time_point later = t + seconds(60);
  cache.Put("s1", MakeIdentity("u1", true, ""), later, t, cache.generation());
  cache.Put("s2", MakeIdentity("u1", true, ""), later, t, cache.generation());
  cache.Put("t1", MakeIdentity("u1", false, "tok1"), later, t, cache.generation());
  cache.Put("t2", MakeIdentity("u2", false, "tok2"), later, t, cache.generation());
  cache.Evict("s1");
  EXPECT_EQ(cache.Find("s1", t), nullptr);
  EXPECT_NE(cache.Find("s2", t), nullptr);
  cache.EvictApiToken("tok2");
  EXPECT_EQ(cache.Find("t2", t), nullptr);
  EXPECT_NE(cache.Find("t1", t), nullptr);
  cache.EvictUser("u1");
  EXPECT_EQ(cache.size(), 0u);
}

TEST(CredentialCacheTest, AValidationThatRacedAnEvictionIsNotCached) {
  CredentialCache cache;
  const Clock::time_point t = Clock::now();
  const uint64_t before = cache.generation();  // a validation starts
  cache.EvictUser("u1");                       // a sign-out lands meanwhile
  cache.Put("s1", MakeIdentity("u1", true, ""), t + seconds(5), t, before);
  EXPECT_EQ(cache.Find("s1", t), nullptr);
  cache.Put("s1", MakeIdentity("u1", true, ""), t + seconds(5), t, cache.generation());
  EXPECT_NE(cache.Find("s1", t), nullptr);
}

TEST(CredentialCacheTest, StaysWithinItsBound) {
  CredentialCache cache(/*max_entries=*/64);
  const Clock::time_point t = Clock::now();
  for (int i = 0; i < 10'000; ++i) {
    std::string key = std::to_string(i);  // not "h" + ...: a GCC 12 -Wrestrict false alarm
    cache.Put(key, MakeIdentity("u", true, ""), t + seconds(60), t, cache.generation());
  }
  EXPECT_LE(cache.size(), 64u);
}

}  // namespace
}  // namespace gallery::service
