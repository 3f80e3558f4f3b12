// The UploadStore conformance suite (see upload_store_conformance_testing.hpp).

#include "db/upload_store_conformance_testing.hpp"

#include <gmock/gmock.h>

#include <atomic>
#include <limits>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "common/crypto.hpp"
#include "common/time.hpp"

namespace gallery::db {

void PrintTo(const UploadRecord& u, std::ostream* os) {
  auto time = [](const std::optional<Clock::time_point>& t) {
    return t ? FormatRfc3339(*t, true) : std::string("none");
  };
  *os << "{id=" << u.id << " owner=" << u.owner_id << " length=" << u.length
      << " offset=" << u.offset << " filename=" << u.filename << " state=" << u.staging_state
      << " photo=" << u.photo_id.value_or("none") << " created_at=" << time(u.created_at)
      << " expires_at=" << time(u.expires_at) << " claim=" << u.claim_token.value_or("none")
      << " claimed_until=" << time(u.claimed_until) << "}";
}

}  // namespace gallery::db

namespace gallery::db::testing {

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(UploadStoreConformanceTest);

void PrintTo(const UploadStoreFactory& factory, std::ostream* os) { *os << factory.name; }

std::string UploadStoreFactoryName(const ::testing::TestParamInfo<UploadStoreFactory>& info) {
  return info.param.name;
}

UploadRecord MakeTestUpload(const std::string& owner_id, uint64_t length,
                            Clock::time_point created_at) {
  UploadRecord u;
  u.id = NewId();
  u.owner_id = owner_id;
  u.length = length;
  u.filename = "IMG_" + u.id.substr(0, 4) + ".jpg";
  u.created_at = FromUnixMillis(ToUnixMillis(created_at));
  u.expires_at = u.created_at + std::chrono::hours(1);
  return u;
}

void UploadStoreConformanceTest::SetUp() {
  fixture_ = GetParam().make();
  ASSERT_TRUE(fixture_.uploads && fixture_.add_user && fixture_.delete_user)
      << "the " << GetParam().name << " factory made no store";
  now_ = FromUnixMillis(1795262400000);  // 2026-11-21T12:00:00Z
}

std::string UploadStoreConformanceTest::AddUser() {
  std::string id = "user-" + NewId();
  fixture_.add_user(id);
  return id;
}

UploadRecord UploadStoreConformanceTest::AddUpload(uint64_t length) {
  UploadRecord u = MakeTestUpload(AddUser(), length, now_);
  Status s = store().CreateUpload(u);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return u;
}

namespace {

using std::chrono::seconds;

UploadProgress Progress(const UploadRecord& u, const std::string& token, uint64_t from, uint64_t to,
                        Clock::time_point expires, Clock::time_point until) {
  return UploadProgress{u.id, token, from, to, "state@" + std::to_string(to), expires, until};
}

TEST_P(UploadStoreConformanceTest, CreatesAndReadsAnUploadWithEveryField) {
  UploadRecord u = MakeTestUpload(AddUser(), 5'000'000'000, now_);
  u.filename = "Ünïcødé name.heic";
  u.staging_state = R"({"x":1})";
  ASSERT_TRUE(store().CreateUpload(u).ok());
  Result<UploadRecord> got = store().GetUpload(u.id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, u);
  EXPECT_FALSE(got->finished());
  EXPECT_EQ(store().GetUpload("no-such-upload").code(), ErrorCode::kNotFound);
}

TEST_P(UploadStoreConformanceTest, CreateRefusesBadUploadsAndChangesNothing) {
  const std::string owner = AddUser();
  std::vector<std::function<void(UploadRecord&)>> breakers = {
      [](UploadRecord& u) { u.id.clear(); },
      [](UploadRecord& u) { u.owner_id.clear(); },
      [](UploadRecord& u) { u.length = 0; },
      [](UploadRecord& u) { u.length = uint64_t{std::numeric_limits<int64_t>::max()} + 1; },
      [](UploadRecord& u) { u.offset = 1; },
      [](UploadRecord& u) { u.photo_id = "p"; },
      [](UploadRecord& u) { u.claim_token = "t"; },
      [](UploadRecord& u) { u.claimed_until = u.expires_at; },
      [](UploadRecord& u) { u.expires_at = u.created_at; },
  };
  for (size_t i = 0; i < breakers.size(); ++i) {
    UploadRecord u = MakeTestUpload(owner, 10, now_);
    breakers[i](u);
    EXPECT_EQ(store().CreateUpload(u).code(), ErrorCode::kInvalidArgument) << "case " << i;
    if (!u.id.empty()) {
      EXPECT_EQ(store().GetUpload(u.id).code(), ErrorCode::kNotFound);
    }
  }
  EXPECT_EQ(*store().CountUnfinishedUploads(owner), 0);
}

TEST_P(UploadStoreConformanceTest, CreateNeedsAnExistingOwnerAndAFreeId) {
  UploadRecord orphan = MakeTestUpload("no-such-user", 10, now_);
  EXPECT_EQ(store().CreateUpload(orphan).code(), ErrorCode::kNotFound);
  EXPECT_EQ(store().GetUpload(orphan.id).code(), ErrorCode::kNotFound);

  UploadRecord u = AddUpload();
  UploadRecord again = MakeTestUpload(AddUser(), 20, now_);
  again.id = u.id;
  EXPECT_EQ(store().CreateUpload(again).code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(*store().GetUpload(u.id), u);
}

TEST_P(UploadStoreConformanceTest, LargestLengthAndOffsetSurvive) {
  const uint64_t max = std::numeric_limits<int64_t>::max();
  UploadRecord u = MakeTestUpload(AddUser(), max, now_);
  ASSERT_TRUE(store().CreateUpload(u).ok());
  ASSERT_TRUE(store().Claim(u.id, "t", 0, now_, now_ + seconds(10)).ok());
  ASSERT_TRUE(
      store().Advance(Progress(u, "t", 0, max, now_ + seconds(60), now_ + seconds(10))).ok());
  EXPECT_EQ(store().GetUpload(u.id)->offset, max);
  EXPECT_EQ(store().GetUpload(u.id)->length, max);
}

TEST_P(UploadStoreConformanceTest, ClaimTakesAFreeUploadAndReturnsIt) {
  UploadRecord u = AddUpload();
  Result<UploadRecord> claimed = store().Claim(u.id, "token-a", 0, now_, now_ + seconds(30));
  ASSERT_TRUE(claimed.ok()) << claimed.status().ToString();
  UploadRecord expected = u;
  expected.claim_token = "token-a";
  expected.claimed_until = now_ + seconds(30);
  EXPECT_EQ(*claimed, expected);
  EXPECT_EQ(*store().GetUpload(u.id), expected);
  // Without an expected offset (termination, the sweeper), once released.
  ASSERT_TRUE(store().Release(u.id, "token-a").ok());
  EXPECT_TRUE(store().Claim(u.id, "token-b", std::nullopt, now_, now_ + seconds(1)).ok());
}

TEST_P(UploadStoreConformanceTest, ALiveClaimLocksOthersOutUntilItEnds) {
  UploadRecord u = AddUpload();
  ASSERT_TRUE(store().Claim(u.id, "a", 0, now_, now_ + seconds(10)).ok());
  EXPECT_EQ(store().Claim(u.id, "b", 0, now_ + seconds(5), now_ + seconds(15)).code(),
            ErrorCode::kLocked);
  EXPECT_EQ(store().Claim(u.id, "b", std::nullopt, now_ + seconds(9), now_ + seconds(15)).code(),
            ErrorCode::kLocked);
  // Not even the holder claims twice: a claim is one writer.
  EXPECT_EQ(store().Claim(u.id, "a", 0, now_ + seconds(1), now_ + seconds(15)).code(),
            ErrorCode::kLocked);
  EXPECT_EQ(store().GetUpload(u.id)->claim_token, "a");
  // At claimed_until the lease is over.
  Result<UploadRecord> taken = store().Claim(u.id, "b", 0, now_ + seconds(10), now_ + seconds(20));
  ASSERT_TRUE(taken.ok()) << taken.status().ToString();
  EXPECT_EQ(taken->claim_token, "b");
}

TEST_P(UploadStoreConformanceTest, ClaimAtAnotherOffsetIsAConflictAndChangesNothing) {
  UploadRecord u = AddUpload();
  EXPECT_EQ(store().Claim(u.id, "a", 5, now_, now_ + seconds(10)).code(), ErrorCode::kConflict);
  EXPECT_EQ(*store().GetUpload(u.id), u);
  EXPECT_EQ(store().Claim("no-such-upload", "a", 0, now_, now_ + seconds(10)).code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(store().Claim(u.id, "", 0, now_, now_ + seconds(10)).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(store().Claim(u.id, "a", 0, now_, now_).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(*store().GetUpload(u.id), u);
}

TEST_P(UploadStoreConformanceTest, AdvanceMovesTheOffsetAndRenewsTheClaim) {
  UploadRecord u = AddUpload(1000);
  ASSERT_TRUE(store().Claim(u.id, "a", 0, now_, now_ + seconds(10)).ok());
  ASSERT_TRUE(
      store().Advance(Progress(u, "a", 0, 400, now_ + seconds(3600), now_ + seconds(20))).ok());
  UploadRecord got = *store().GetUpload(u.id);
  EXPECT_EQ(got.offset, 400u);
  EXPECT_EQ(got.staging_state, "state@400");
  EXPECT_EQ(got.expires_at, now_ + seconds(3600));
  EXPECT_EQ(got.claim_token, "a");
  EXPECT_EQ(got.claimed_until, now_ + seconds(20));
  // The same offset records a new staging state only.
  UploadProgress same = Progress(u, "a", 400, 400, now_ + seconds(3600), now_ + seconds(20));
  same.staging_state = "parts: 1";
  ASSERT_TRUE(store().Advance(same).ok());
  EXPECT_EQ(store().GetUpload(u.id)->staging_state, "parts: 1");
  ASSERT_TRUE(
      store().Advance(Progress(u, "a", 400, 1000, now_ + seconds(60), now_ + seconds(20))).ok());
  EXPECT_EQ(store().GetUpload(u.id)->offset, 1000u);
}

TEST_P(UploadStoreConformanceTest, AdvanceIsACompareAndSetOnTheClaimAndTheOffset) {
  UploadRecord u = AddUpload(1000);
  const Clock::time_point later = now_ + seconds(100);
  // Unclaimed: nobody may write.
  EXPECT_EQ(store().Advance(Progress(u, "a", 0, 10, later, later)).code(), ErrorCode::kConflict);
  ASSERT_TRUE(store().Claim(u.id, "a", 0, now_, now_ + seconds(10)).ok());
  UploadRecord claimed = *store().GetUpload(u.id);
  EXPECT_EQ(store().Advance(Progress(u, "b", 0, 10, later, later)).code(), ErrorCode::kConflict);
  EXPECT_EQ(store().Advance(Progress(u, "a", 5, 10, later, later)).code(), ErrorCode::kConflict);
  EXPECT_EQ(store().Advance(Progress(u, "a", 0, 1001, later, later)).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(store().Advance(Progress(u, "a", 10, 5, later, later)).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(*store().GetUpload(u.id), claimed) << "nothing changed";
  UploadProgress gone = Progress(u, "a", 0, 1, later, later);
  gone.id = "no-such-upload";
  EXPECT_EQ(store().Advance(gone).code(), ErrorCode::kNotFound);
}

TEST_P(UploadStoreConformanceTest, AWriterWhoseClaimWasTakenOverCannotWrite) {
  UploadRecord u = AddUpload(1000);
  ASSERT_TRUE(store().Claim(u.id, "slow", 0, now_, now_ + seconds(10)).ok());
  // The slow writer stalls past its lease; another request takes over.
  ASSERT_TRUE(store().Claim(u.id, "fast", 0, now_ + seconds(11), now_ + seconds(21)).ok());
  const Clock::time_point later = now_ + seconds(100);
  ASSERT_TRUE(store().Advance(Progress(u, "fast", 0, 300, later, now_ + seconds(30))).ok());
  EXPECT_EQ(store().Advance(Progress(u, "slow", 0, 200, later, later)).code(),
            ErrorCode::kConflict);
  EXPECT_EQ(store().Finish(u.id, "slow", "photo", later).code(), ErrorCode::kConflict);
  EXPECT_EQ(store().DeleteUpload(u.id, "slow").code(), ErrorCode::kConflict);
  ASSERT_TRUE(store().Release(u.id, "slow").ok()) << "releasing a lost claim is a no-op";
  UploadRecord got = *store().GetUpload(u.id);
  EXPECT_EQ(got.offset, 300u);
  EXPECT_EQ(got.claim_token, "fast");
}

TEST_P(UploadStoreConformanceTest, ConcurrentWritersNeverBothAppendAtOneOffset) {
  constexpr int kThreads = 6;
  constexpr int kRounds = 15;
  UploadRecord u = AddUpload(kThreads * kRounds);
  std::mutex mu;
  std::set<uint64_t> appended_at;   // GUARDED_BY(mu)
  std::vector<std::string> errors;  // GUARDED_BY(mu)
  std::atomic<int> appends{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string token = "writer-" + std::to_string(t);
      for (int round = 0; round < kRounds; ++round) {
        Result<UploadRecord> row = store().GetUpload(u.id);
        if (!row.ok()) continue;
        // Every writer tries to append at the offset it read; all but one
        // must be turned away.
        const Clock::time_point now = Clock::now();
        Result<UploadRecord> claim =
            store().Claim(u.id, token, row->offset, now, now + seconds(30));
        if (!claim.ok()) {
          if (claim.code() != ErrorCode::kLocked && claim.code() != ErrorCode::kConflict &&
              claim.code() != ErrorCode::kUnavailable) {
            std::lock_guard lock(mu);
            errors.push_back(claim.status().ToString());
          }
          continue;
        }
        Status s = store().Advance(
            Progress(u, token, row->offset, row->offset + 1, now + seconds(60), now + seconds(30)));
        {
          std::lock_guard lock(mu);
          if (!s.ok()) {
            errors.push_back(s.ToString());
          } else if (!appended_at.insert(row->offset).second) {
            errors.push_back("two writers appended at " + std::to_string(row->offset));
          }
        }
        if (s.ok()) ++appends;
        Status released = store().Release(u.id, token);
        if (!released.ok()) {
          std::lock_guard lock(mu);
          errors.push_back(released.ToString());
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_THAT(errors, ::testing::IsEmpty());
  EXPECT_GT(appends.load(), 0);
  EXPECT_EQ(store().GetUpload(u.id)->offset, static_cast<uint64_t>(appends.load()));
}

TEST_P(UploadStoreConformanceTest, FinishRecordsThePhotoOnceEveryByteIsThere) {
  UploadRecord u = AddUpload(100);
  const Clock::time_point later = now_ + seconds(100);
  ASSERT_TRUE(store().Claim(u.id, "a", 0, now_, now_ + seconds(10)).ok());
  ASSERT_TRUE(store().Advance(Progress(u, "a", 0, 99, later, now_ + seconds(10))).ok());
  EXPECT_EQ(store().Finish(u.id, "a", "photo-1", later).code(), ErrorCode::kConflict)
      << "a byte is missing";
  ASSERT_TRUE(store().Advance(Progress(u, "a", 99, 100, later, now_ + seconds(10))).ok());
  EXPECT_EQ(*store().CountUnfinishedUploads(u.owner_id), 1);
  EXPECT_EQ(store().Finish(u.id, "a", "", later).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(store().Finish(u.id, "b", "photo-1", later).code(), ErrorCode::kConflict);
  ASSERT_TRUE(store().Finish(u.id, "a", "photo-1", now_ + seconds(7200)).ok());
  UploadRecord got = *store().GetUpload(u.id);
  EXPECT_EQ(got.photo_id, "photo-1");
  EXPECT_TRUE(got.finished());
  EXPECT_EQ(got.expires_at, now_ + seconds(7200));
  EXPECT_EQ(got.claim_token, std::nullopt);
  EXPECT_EQ(got.claimed_until, std::nullopt);
  EXPECT_EQ(*store().CountUnfinishedUploads(u.owner_id), 0);
  EXPECT_EQ(store().Finish("no-such-upload", "a", "p", later).code(), ErrorCode::kNotFound);
}

TEST_P(UploadStoreConformanceTest, ReleaseEndsOnlyTheHoldersClaim) {
  UploadRecord u = AddUpload();
  ASSERT_TRUE(store().Claim(u.id, "a", 0, now_, now_ + seconds(10)).ok());
  ASSERT_TRUE(store().Release(u.id, "b").ok());
  EXPECT_EQ(store().GetUpload(u.id)->claim_token, "a");
  ASSERT_TRUE(store().Release(u.id, "a").ok());
  EXPECT_EQ(*store().GetUpload(u.id), u);
  ASSERT_TRUE(store().Release(u.id, "a").ok()) << "twice";
  ASSERT_TRUE(store().Release("no-such-upload", "a").ok());
}

TEST_P(UploadStoreConformanceTest, DeleteNeedsTheClaim) {
  UploadRecord u = AddUpload();
  EXPECT_EQ(store().DeleteUpload(u.id, "a").code(), ErrorCode::kConflict);
  ASSERT_TRUE(store().Claim(u.id, "a", std::nullopt, now_, now_ + seconds(10)).ok());
  EXPECT_EQ(store().DeleteUpload(u.id, "b").code(), ErrorCode::kConflict);
  ASSERT_TRUE(store().DeleteUpload(u.id, "a").ok());
  EXPECT_EQ(store().GetUpload(u.id).code(), ErrorCode::kNotFound);
  EXPECT_EQ(store().DeleteUpload(u.id, "a").code(), ErrorCode::kNotFound);
}

TEST_P(UploadStoreConformanceTest, ListsExpiredUploadsEarliestFirst) {
  const std::string owner = AddUser();
  std::vector<UploadRecord> made;
  for (int minutes : {30, 10, 20, 90}) {
    UploadRecord u = MakeTestUpload(owner, 10, now_ - std::chrono::hours(2));
    u.expires_at = now_ - std::chrono::hours(2) + std::chrono::minutes(minutes);
    ASSERT_TRUE(store().CreateUpload(u).ok());
    made.push_back(u);
  }
  // One claimed (the sweeper must see it; it cannot take the claim yet).
  ASSERT_TRUE(store().Claim(made[1].id, "w", 0, now_, now_ + seconds(10)).ok());
  made[1] = *store().GetUpload(made[1].id);
  // At now_ - 1 h: the three expiring within the first hour, earliest first.
  Result<std::vector<UploadRecord>> expired =
      store().ListExpiredUploads(now_ - std::chrono::minutes(60), 10);
  ASSERT_TRUE(expired.ok()) << expired.status().ToString();
  EXPECT_THAT(*expired, ::testing::ElementsAre(made[1], made[2], made[0]));
  expired = store().ListExpiredUploads(now_, 2);
  ASSERT_TRUE(expired.ok());
  EXPECT_THAT(*expired, ::testing::ElementsAre(made[1], made[2]));
  // An expiry exactly at `now` counts.
  expired = store().ListExpiredUploads(made[3].expires_at, 10);
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(expired->size(), 4u);
  EXPECT_TRUE(store().ListExpiredUploads(now_ - std::chrono::hours(3), 10)->empty());
  EXPECT_EQ(store().ListExpiredUploads(now_, 0).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(store().ListExpiredUploads(now_, 1001).code(), ErrorCode::kInvalidArgument);
}

TEST_P(UploadStoreConformanceTest, CountsOnlyTheOwnersUnfinishedUploads) {
  const std::string owner = AddUser();
  const std::string other = AddUser();
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(store().CreateUpload(MakeTestUpload(owner, 5, now_)).ok());
  ASSERT_TRUE(store().CreateUpload(MakeTestUpload(other, 5, now_)).ok());
  EXPECT_EQ(*store().CountUnfinishedUploads(owner), 3);
  EXPECT_EQ(*store().CountUnfinishedUploads(other), 1);
  EXPECT_EQ(*store().CountUnfinishedUploads("no-such-user"), 0);
}

TEST_P(UploadStoreConformanceTest, DeletingTheOwnerDeletesTheirUploads) {
  UploadRecord mine = AddUpload();
  UploadRecord theirs = AddUpload();
  fixture_.delete_user(mine.owner_id);
  EXPECT_EQ(store().GetUpload(mine.id).code(), ErrorCode::kNotFound);
  EXPECT_EQ(*store().GetUpload(theirs.id), theirs);
}

}  // namespace
}  // namespace gallery::db::testing
