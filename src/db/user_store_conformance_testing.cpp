// The UserStore conformance suite (see account_stores_conformance_testing.hpp).

#include <gmock/gmock.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "common/crypto.hpp"
#include "common/time.hpp"
#include "db/account_stores_conformance_testing.hpp"

namespace gallery::db::testing {
namespace {

using std::chrono::milliseconds;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

Clock::time_point At(int64_t unix_millis) { return FromUnixMillis(unix_millis); }

constexpr int64_t kBase = 1795262400000;  // 2026-11-21T12:00:00Z
constexpr int64_t kMinute = 60'000;
constexpr milliseconds kIdle{30 * kMinute};

SessionRecord MakeSession(const std::string& user_id, int64_t created, int64_t lifetime) {
  SessionRecord s;
  s.token_hash = HexEncode(RandomBytes(32));
  s.user_id = user_id;
  s.csrf_token_hash = HexEncode(RandomBytes(32));
  s.created_at = At(created);
  s.last_seen_at = At(created);
  s.expires_at = At(created + lifetime);
  return s;
}

ApiTokenRecord MakeToken(const std::string& user_id, int64_t created) {
  ApiTokenRecord t;
  t.id = NewId();
  t.user_id = user_id;
  t.name = "laptop " + t.id.substr(0, 4);
  t.token_hash = HexEncode(RandomBytes(32));
  t.created_at = At(created);
  return t;
}

TEST_P(UserStoreConformanceTest, CreatesAndReadsUsersWithEveryField) {
  UserRecord u = MakeTestUser(At(kBase + 123));
  u.role = UserRole::kAdmin;
  u.quota_bytes = 5'000'000'000;
  u.disabled = true;
  ASSERT_TRUE(users().CreateUser(u).ok());
  Result<UserRecord> got = users().GetUser(u.id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, u);
  Result<UserRecord> by_email = users().FindUserByEmail(u.email);
  ASSERT_TRUE(by_email.ok()) << by_email.status().ToString();
  EXPECT_EQ(*by_email, u);
  EXPECT_EQ(*users().CountUsers(), 1);
}

TEST_P(UserStoreConformanceTest, EmailsAreNormalisedAndUniqueWhateverTheirCase) {
  UserRecord u = MakeTestUser(At(kBase));
  u.email = "  Alice.Smith@Example.COM ";
  ASSERT_TRUE(users().CreateUser(u).ok());
  EXPECT_EQ(users().GetUser(u.id)->email, "alice.smith@example.com");
  for (const char* variant : {"alice.smith@example.com", "ALICE.SMITH@EXAMPLE.COM",
                              "Alice.Smith@example.com", " alice.smith@example.com\t"}) {
    Result<UserRecord> found = users().FindUserByEmail(variant);
    ASSERT_TRUE(found.ok()) << variant;
    EXPECT_EQ(found->id, u.id);
  }
  UserRecord twin = MakeTestUser(At(kBase));
  twin.email = "ALICE.smith@example.com";
  EXPECT_EQ(users().CreateUser(twin).code(), ErrorCode::kAlreadyExists);
  UserRecord same_id = MakeTestUser(At(kBase));
  same_id.id = u.id;
  EXPECT_EQ(users().CreateUser(same_id).code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(*users().CountUsers(), 1);
  EXPECT_EQ(users().FindUserByEmail("bob@example.com").code(), ErrorCode::kNotFound);
  EXPECT_EQ(users().GetUser("nobody").code(), ErrorCode::kNotFound);
}

TEST_P(UserStoreConformanceTest, RejectsInvalidUsersAndStaysUnchanged) {
  struct Case {
    const char* what;
    std::function<void(UserRecord&)> spoil;
  };
  const Case cases[] = {
      {"empty id", [](UserRecord& u) { u.id.clear(); }},
      {"empty email", [](UserRecord& u) { u.email = "   "; }},
      {"no @", [](UserRecord& u) { u.email = "alice.example.com"; }},
      {"email too long", [](UserRecord& u) { u.email = std::string(320, 'a') + "@x"; }},
      {"empty password hash", [](UserRecord& u) { u.password_hash.clear(); }},
      {"negative quota", [](UserRecord& u) { u.quota_bytes = -1; }},
  };
  for (const Case& c : cases) {
    UserRecord u = MakeTestUser(At(kBase));
    c.spoil(u);
    EXPECT_EQ(users().CreateUser(u).code(), ErrorCode::kInvalidArgument) << c.what;
  }
  EXPECT_EQ(*users().CountUsers(), 0);
}

TEST_P(UserStoreConformanceTest, CreatesTheFirstUserOnlyIntoAnEmptyStore) {
  UserRecord first = MakeTestUser(At(kBase));
  first.email = " First@Example.COM";
  first.role = UserRole::kAdmin;
  ASSERT_TRUE(users().CreateFirstUser(first).ok());
  first.email = "first@example.com";
  EXPECT_EQ(*users().GetUser(first.id), first) << "stored like CreateUser, email normalised";

  UserRecord second = MakeTestUser(At(kBase + 1));
  second.role = UserRole::kAdmin;
  EXPECT_EQ(users().CreateFirstUser(second).code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(users().GetUser(second.id).code(), ErrorCode::kNotFound);
  EXPECT_EQ(*users().CountUsers(), 1);
  EXPECT_TRUE(users().CreateUser(second).ok()) << "CreateUser is not limited";
  EXPECT_EQ(*users().CountUsers(), 2);
}

TEST_P(UserStoreConformanceTest, CreateFirstUserRefusesWhenAnyUserExists) {
  UserRecord existing = AddUser();
  ASSERT_TRUE(users().SetDisabled(existing.id, true).ok());
  UserRecord u = MakeTestUser(At(kBase));
  EXPECT_EQ(users().CreateFirstUser(u).code(), ErrorCode::kAlreadyExists)
      << "a disabled user counts too";
  EXPECT_EQ(users().FindUserByEmail(u.email).code(), ErrorCode::kNotFound);
  EXPECT_EQ(*users().CountUsers(), 1);
}

TEST_P(UserStoreConformanceTest, CreateFirstUserChecksItsInputLikeCreateUser) {
  UserRecord no_at = MakeTestUser(At(kBase));
  no_at.email = "admin.example.com";
  EXPECT_EQ(users().CreateFirstUser(no_at).code(), ErrorCode::kInvalidArgument);
  UserRecord no_hash = MakeTestUser(At(kBase));
  no_hash.password_hash.clear();
  EXPECT_EQ(users().CreateFirstUser(no_hash).code(), ErrorCode::kInvalidArgument);
  UserRecord negative = MakeTestUser(At(kBase));
  negative.quota_bytes = -1;
  EXPECT_EQ(users().CreateFirstUser(negative).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(*users().CountUsers(), 0);
  AddUser();
  EXPECT_EQ(users().CreateFirstUser(no_at).code(), ErrorCode::kInvalidArgument)
      << "the input is checked before the store";
}

TEST_P(UserStoreConformanceTest, ConcurrentFirstUsersLetExactlyOneWin) {
  std::vector<std::thread> threads;
  std::atomic<int> won{0};
  std::atomic<int> other{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      // Different ids and emails: only the emptiness rule can stop them.
      Status s = users().CreateFirstUser(MakeTestUser(At(kBase)));
      if (s.ok()) {
        ++won;
      } else if (s.code() != ErrorCode::kAlreadyExists) {
        ++other;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(*users().CountUsers(), 1);
}

TEST_P(UserStoreConformanceTest, ListsUsersByEmailWithoutGapsOrDuplicates) {
  std::vector<std::string> emails;
  for (int i = 0; i < 23; ++i) {
    UserRecord u = MakeTestUser(At(kBase + i));
    // Punctuation and digits mixed in: the order is byte order, not a
    // locale's ('-' < '.' < '9' < '_' < 'a').
    u.email = std::string(1, "a_.9zb-"[i % 7]) + std::to_string(i) + "@example.com";
    ASSERT_TRUE(users().CreateUser(u).ok()) << u.email;
    emails.push_back(u.email);
  }
  std::sort(emails.begin(), emails.end());
  for (int limit : {1, 5, 22, 23, 1000}) {
    std::vector<std::string> seen;
    std::optional<std::string> cursor;
    for (int pages = 0; pages < 30; ++pages) {
      Result<UserPage> page = users().ListUsers(cursor, limit);
      ASSERT_TRUE(page.ok()) << page.status().ToString();
      for (const UserRecord& u : page->users) seen.push_back(u.email);
      if (!page->next) break;
      EXPECT_EQ(page->users.size(), static_cast<size_t>(limit));
      EXPECT_EQ(*page->next, page->users.back().email);
      cursor = page->next;
    }
    EXPECT_THAT(seen, ElementsAreArray(emails)) << "limit " << limit;
  }
  EXPECT_EQ(users().ListUsers(std::nullopt, 0).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(users().ListUsers(std::nullopt, 1001).code(), ErrorCode::kInvalidArgument);
}

TEST_P(UserStoreConformanceTest, UpdatesOneFieldAtATime) {
  UserRecord u = AddUser();
  ASSERT_TRUE(users().UpdatePasswordHash(u.id, "$argon2id$new").ok());
  ASSERT_TRUE(users().UpdateRole(u.id, UserRole::kAdmin).ok());
  ASSERT_TRUE(users().UpdateQuota(u.id, 1 << 30).ok());
  ASSERT_TRUE(users().SetDisabled(u.id, true).ok());
  u.password_hash = "$argon2id$new";
  u.role = UserRole::kAdmin;
  u.quota_bytes = 1 << 30;
  u.disabled = true;
  EXPECT_EQ(*users().GetUser(u.id), u);
  ASSERT_TRUE(users().SetDisabled(u.id, false).ok());
  ASSERT_TRUE(users().UpdateRole(u.id, UserRole::kUser).ok());
  EXPECT_FALSE(users().GetUser(u.id)->disabled);
  EXPECT_EQ(users().GetUser(u.id)->role, UserRole::kUser);

  EXPECT_EQ(users().UpdatePasswordHash(u.id, "").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(users().UpdateQuota(u.id, -5).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(users().GetUser(u.id)->password_hash, "$argon2id$new");
  EXPECT_EQ(users().UpdatePasswordHash("nobody", "x").code(), ErrorCode::kNotFound);
  EXPECT_EQ(users().UpdateRole("nobody", UserRole::kAdmin).code(), ErrorCode::kNotFound);
  EXPECT_EQ(users().UpdateQuota("nobody", 1).code(), ErrorCode::kNotFound);
  EXPECT_EQ(users().SetDisabled("nobody", true).code(), ErrorCode::kNotFound);
}

TEST_P(UserStoreConformanceTest, SessionsRoundTripAndExpireAbsolutelyAndWhenIdle) {
  UserRecord u = AddUser();
  SessionRecord s = MakeSession(u.id, kBase, 24 * 60 * kMinute);
  ASSERT_TRUE(users().CreateSession(s).ok());
  Result<SessionRecord> got = users().GetSessionByTokenHash(s.token_hash, At(kBase + 1), kIdle);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, s);
  EXPECT_EQ(users().CreateSession(s).code(), ErrorCode::kAlreadyExists);

  // Idle: valid until last_seen + idle, exclusive.
  EXPECT_TRUE(
      users().GetSessionByTokenHash(s.token_hash, At(kBase + kIdle.count() - 1), kIdle).ok());
  EXPECT_EQ(users().GetSessionByTokenHash(s.token_hash, At(kBase + kIdle.count()), kIdle).code(),
            ErrorCode::kNotFound);
  // Kept alive by touches, until the absolute expiry.
  for (int64_t t = kBase + 20 * kMinute; t + 20 * kMinute < kBase + 24 * 60 * kMinute;
       t += 20 * kMinute) {
    ASSERT_TRUE(users().TouchSession(s.token_hash, At(t)).ok());
    ASSERT_TRUE(users().GetSessionByTokenHash(s.token_hash, At(t + 20 * kMinute), kIdle).ok()) << t;
  }
  EXPECT_EQ(
      users().GetSessionByTokenHash(s.token_hash, At(kBase + 24 * 60 * kMinute), kIdle).code(),
      ErrorCode::kNotFound)
      << "the absolute expiry wins over activity";
  EXPECT_EQ(users().GetSessionByTokenHash("unknown", At(kBase), kIdle).code(),
            ErrorCode::kNotFound);
}

TEST_P(UserStoreConformanceTest, RejectsInvalidSessions) {
  UserRecord u = AddUser();
  SessionRecord s = MakeSession("nobody", kBase, kMinute);
  EXPECT_EQ(users().CreateSession(s).code(), ErrorCode::kNotFound) << "unknown user";
  s = MakeSession(u.id, kBase, 0);
  EXPECT_EQ(users().CreateSession(s).code(), ErrorCode::kInvalidArgument) << "expires at creation";
  s = MakeSession(u.id, kBase, kMinute);
  s.csrf_token_hash.clear();
  EXPECT_EQ(users().CreateSession(s).code(), ErrorCode::kInvalidArgument);
  s = MakeSession(u.id, kBase, kMinute);
  s.token_hash.clear();
  EXPECT_EQ(users().CreateSession(s).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(*users().DeleteExpiredSessions(At(kBase + 1000 * kMinute), kIdle), 0);
}

TEST_P(UserStoreConformanceTest, TouchWritesAtMostOnceAMinuteAndNeverGoesBack) {
  UserRecord u = AddUser();
  SessionRecord s = MakeSession(u.id, kBase, 1000 * kMinute);
  ASSERT_TRUE(users().CreateSession(s).ok());
  auto last_seen = [&] {
    return ToUnixMillis(
        users()
            .GetSessionByTokenHash(s.token_hash, At(kBase), milliseconds(1000 * kMinute))
            ->last_seen_at);
  };
  ASSERT_TRUE(users().TouchSession(s.token_hash, At(kBase + kMinute)).ok());
  EXPECT_EQ(last_seen(), kBase) << "exactly a minute later: not older than a minute yet";
  ASSERT_TRUE(users().TouchSession(s.token_hash, At(kBase + kMinute + 1)).ok());
  EXPECT_EQ(last_seen(), kBase + kMinute + 1);
  ASSERT_TRUE(users().TouchSession(s.token_hash, At(kBase + kMinute + 30'000)).ok());
  EXPECT_EQ(last_seen(), kBase + kMinute + 1) << "within the minute: no write";
  ASSERT_TRUE(users().TouchSession(s.token_hash, At(kBase - 10 * kMinute)).ok());
  EXPECT_EQ(last_seen(), kBase + kMinute + 1) << "an older touch never moves it back";
  EXPECT_EQ(users().TouchSession("unknown", At(kBase)).code(), ErrorCode::kNotFound);
}

TEST_P(UserStoreConformanceTest, ConcurrentTouchesLeaveTheLatestTime) {
  UserRecord u = AddUser();
  SessionRecord s = MakeSession(u.id, kBase, 10'000 * kMinute);
  ASSERT_TRUE(users().CreateSession(s).ok());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  int64_t latest = kBase;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        // Times interleave between threads and arrive out of order.
        int64_t at = kBase + (static_cast<int64_t>(i) * 8 + (7 - t)) * 2 * kMinute;
        if (!users().TouchSession(s.token_hash, At(at)).ok()) ++failures;
      }
    });
    latest = std::max(latest, kBase + (int64_t{24} * 8 + 7) * 2 * kMinute);
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  Result<SessionRecord> got =
      users().GetSessionByTokenHash(s.token_hash, At(kBase), milliseconds(20'000 * kMinute));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(ToUnixMillis(got->last_seen_at), latest);
}

TEST_P(UserStoreConformanceTest, DeletesSessionsOneByUserAndExpired) {
  UserRecord a = AddUser();
  UserRecord b = AddUser();
  SessionRecord a1 = MakeSession(a.id, kBase, 100 * kMinute);
  SessionRecord a2 = MakeSession(a.id, kBase, 100 * kMinute);
  SessionRecord b1 = MakeSession(b.id, kBase, 100 * kMinute);
  SessionRecord b_short = MakeSession(b.id, kBase, 10 * kMinute);
  SessionRecord b_idle = MakeSession(b.id, kBase - 40 * kMinute, 1000 * kMinute);
  for (const SessionRecord* s : {&a1, &a2, &b1, &b_short, &b_idle}) {
    ASSERT_TRUE(users().CreateSession(*s).ok());
  }
  ASSERT_TRUE(users().DeleteSession(a1.token_hash).ok());
  EXPECT_EQ(users().DeleteSession(a1.token_hash).code(), ErrorCode::kNotFound);
  EXPECT_EQ(users().GetSessionByTokenHash(a1.token_hash, At(kBase), kIdle).code(),
            ErrorCode::kNotFound);
  EXPECT_TRUE(users().GetSessionByTokenHash(a2.token_hash, At(kBase), kIdle).ok());

  // At kBase + 10 min: b_short reached its expiry, b_idle was idle 50 min.
  Result<int64_t> expired = users().DeleteExpiredSessions(At(kBase + 10 * kMinute), kIdle);
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(*expired, 2);
  EXPECT_TRUE(users().GetSessionByTokenHash(b1.token_hash, At(kBase), kIdle).ok());
  EXPECT_TRUE(users().TouchSession(b_short.token_hash, At(kBase)).code() == ErrorCode::kNotFound);
  EXPECT_TRUE(users().TouchSession(b_idle.token_hash, At(kBase)).code() == ErrorCode::kNotFound);

  EXPECT_EQ(*users().DeleteUserSessions(a.id), 1);
  EXPECT_EQ(*users().DeleteUserSessions(a.id), 0);
  EXPECT_EQ(*users().DeleteUserSessions("nobody"), 0);
  EXPECT_TRUE(users().GetSessionByTokenHash(b1.token_hash, At(kBase), kIdle).ok());
}

TEST_P(UserStoreConformanceTest, ApiTokensAreFoundUntilRevoked) {
  UserRecord u = AddUser();
  ApiTokenRecord t = MakeToken(u.id, kBase);
  ASSERT_TRUE(users().CreateApiToken(t).ok());
  Result<ApiTokenRecord> found = users().FindApiTokenByHash(t.token_hash);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(*found, t);

  ApiTokenRecord same_hash = MakeToken(u.id, kBase);
  same_hash.token_hash = t.token_hash;
  EXPECT_EQ(users().CreateApiToken(same_hash).code(), ErrorCode::kAlreadyExists);
  ApiTokenRecord same_id = MakeToken(u.id, kBase);
  same_id.id = t.id;
  EXPECT_EQ(users().CreateApiToken(same_id).code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(users().CreateApiToken(MakeToken("nobody", kBase)).code(), ErrorCode::kNotFound);
  ApiTokenRecord unnamed = MakeToken(u.id, kBase);
  unnamed.name.clear();
  EXPECT_EQ(users().CreateApiToken(unnamed).code(), ErrorCode::kInvalidArgument);
  ApiTokenRecord long_name = MakeToken(u.id, kBase);
  long_name.name = std::string(201, 'n');
  EXPECT_EQ(users().CreateApiToken(long_name).code(), ErrorCode::kInvalidArgument);

  // Another user cannot revoke it, and learns nothing from trying.
  UserRecord other = AddUser();
  EXPECT_EQ(users().RevokeApiToken(other.id, t.id, At(kBase + 5)).code(), ErrorCode::kNotFound);
  EXPECT_EQ(users().RevokeApiToken(u.id, "no-such-id", At(kBase + 5)).code(), ErrorCode::kNotFound);
  EXPECT_TRUE(users().FindApiTokenByHash(t.token_hash).ok());

  ASSERT_TRUE(users().RevokeApiToken(u.id, t.id, At(kBase + 10)).ok());
  EXPECT_EQ(users().FindApiTokenByHash(t.token_hash).code(), ErrorCode::kNotFound);
  ASSERT_TRUE(users().RevokeApiToken(u.id, t.id, At(kBase + 20)).ok()) << "idempotent";
  Result<std::vector<ApiTokenRecord>> listed = users().ListApiTokens(u.id);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().revoked_at, At(kBase + 10)) << "the first revocation time stays";
  EXPECT_TRUE(listed->front().revoked());
}

TEST_P(UserStoreConformanceTest, ListsAUsersTokensNewestFirst) {
  UserRecord u = AddUser();
  UserRecord other = AddUser();
  std::vector<ApiTokenRecord> tokens;
  for (int i = 0; i < 5; ++i) tokens.push_back(MakeToken(u.id, kBase + (i / 2) * kMinute));
  for (const ApiTokenRecord& t : tokens) ASSERT_TRUE(users().CreateApiToken(t).ok());
  ASSERT_TRUE(users().CreateApiToken(MakeToken(other.id, kBase)).ok());
  std::sort(tokens.begin(), tokens.end(), [](const ApiTokenRecord& a, const ApiTokenRecord& b) {
    return a.created_at != b.created_at ? a.created_at > b.created_at : a.id > b.id;
  });
  Result<std::vector<ApiTokenRecord>> listed = users().ListApiTokens(u.id);
  ASSERT_TRUE(listed.ok());
  EXPECT_THAT(*listed, ElementsAreArray(tokens));
  EXPECT_TRUE(users().ListApiTokens("nobody")->empty());
}

TEST_P(UserStoreConformanceTest, TouchingATokenRecordsItsLastUse) {
  UserRecord u = AddUser();
  ApiTokenRecord t = MakeToken(u.id, kBase);
  ASSERT_TRUE(users().CreateApiToken(t).ok());
  ASSERT_TRUE(users().TouchApiToken(t.id, At(kBase + 5)).ok());
  EXPECT_EQ(users().FindApiTokenByHash(t.token_hash)->last_used_at, At(kBase + 5))
      << "the first use is always written";
  ASSERT_TRUE(users().TouchApiToken(t.id, At(kBase + 30'000)).ok());
  EXPECT_EQ(users().FindApiTokenByHash(t.token_hash)->last_used_at, At(kBase + 5));
  ASSERT_TRUE(users().TouchApiToken(t.id, At(kBase + 5 + kMinute + 1)).ok());
  EXPECT_EQ(users().FindApiTokenByHash(t.token_hash)->last_used_at, At(kBase + 6 + kMinute));
  EXPECT_EQ(users().TouchApiToken("nobody", At(kBase)).code(), ErrorCode::kNotFound);
}

TEST_P(UserStoreConformanceTest, CountsFailedSignInsPerKeyInAWindow) {
  const std::string email_key = "email:alice@example.com";
  const std::string ip_key = "ip:192.0.2.7";
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(users().RecordFailedSignIn(email_key, At(kBase + i * kMinute)).ok());
  }
  ASSERT_TRUE(users().RecordFailedSignIn(ip_key, At(kBase)).ok());
  ASSERT_TRUE(users().RecordFailedSignIn(ip_key, At(kBase)).ok()) << "same time twice counts twice";
  EXPECT_EQ(*users().CountFailedSignIns(email_key, At(kBase)), 5);
  EXPECT_EQ(*users().CountFailedSignIns(email_key, At(kBase + 3 * kMinute)), 2) << "inclusive";
  EXPECT_EQ(*users().CountFailedSignIns(email_key, At(kBase + 5 * kMinute)), 0);
  EXPECT_EQ(*users().CountFailedSignIns(ip_key, At(kBase - kMinute)), 2);
  EXPECT_EQ(*users().CountFailedSignIns("email:bob@example.com", At(0)), 0);
  EXPECT_EQ(users().RecordFailedSignIn("", At(kBase)).code(), ErrorCode::kInvalidArgument);

  ASSERT_TRUE(users().ClearFailedSignIns(email_key).ok());
  EXPECT_EQ(*users().CountFailedSignIns(email_key, At(0)), 0);
  EXPECT_EQ(*users().CountFailedSignIns(ip_key, At(0)), 2) << "other keys stay";
  ASSERT_TRUE(users().ClearFailedSignIns("email:nobody").ok());

  ASSERT_TRUE(users().RecordFailedSignIn(ip_key, At(kBase + 10 * kMinute)).ok());
  Result<int64_t> pruned = users().DeleteFailedSignInsBefore(At(kBase + kMinute));
  ASSERT_TRUE(pruned.ok());
  EXPECT_EQ(*pruned, 2);
  EXPECT_EQ(*users().CountFailedSignIns(ip_key, At(0)), 1);
}

TEST_P(UserStoreConformanceTest, ConcurrentFailedSignInsAreAllCounted) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        if (!users().RecordFailedSignIn("ip:198.51.100.1", At(kBase + i)).ok()) ++failures;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(*users().CountFailedSignIns("ip:198.51.100.1", At(kBase)), 120);
}

TEST_P(UserStoreConformanceTest, ConcurrentSignUpsWithOneEmailLetExactlyOneWin) {
  std::vector<std::thread> threads;
  std::atomic<int> won{0};
  std::atomic<int> other{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      UserRecord u = MakeTestUser(At(kBase));
      u.email = t % 2 ? "Race@Example.com" : "race@example.COM";
      Status s = users().CreateUser(u);
      if (s.ok()) {
        ++won;
      } else if (s.code() != ErrorCode::kAlreadyExists) {
        ++other;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(*users().CountUsers(), 1);
}

}  // namespace
}  // namespace gallery::db::testing
