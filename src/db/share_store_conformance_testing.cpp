// The ShareStore conformance suite (see account_stores_conformance_testing.hpp).

#include <gmock/gmock.h>

#include <algorithm>
#include <vector>

#include "common/crypto.hpp"
#include "common/time.hpp"
#include "db/account_stores_conformance_testing.hpp"

namespace gallery::db::testing {
namespace {

using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

Clock::time_point At(int64_t unix_millis) { return FromUnixMillis(unix_millis); }

constexpr int64_t kBase = 1795262400000;  // 2026-11-21T12:00:00Z
constexpr int64_t kHour = 3'600'000;

ShareRecord MakeShare(const std::string& owner_id, int64_t created) {
  ShareRecord s;
  s.id = NewId();
  s.owner_id = owner_id;
  s.token_hash = HexEncode(RandomBytes(32));
  s.created_at = At(created);
  return s;
}

AlbumRecord MakeAlbum(const std::string& owner_id) {
  AlbumRecord a;
  a.id = NewId();
  a.owner_id = owner_id;
  a.title = "Shared";
  a.created_at = At(kBase);
  a.updated_at = At(kBase);
  return a;
}

TEST_P(ShareStoreConformanceTest, RoundTripsSharesOfAlbumsAndPhotos) {
  UserRecord owner = AddUser();
  AlbumRecord album = MakeAlbum(owner.id);
  ASSERT_TRUE(albums().CreateAlbum(album).ok());
  PhotoRecord photo = AddPhoto();

  ShareRecord of_album = MakeShare(owner.id, kBase);
  of_album.album_id = album.id;
  of_album.expires_at = At(kBase + kHour);
  of_album.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  of_album.allow_download = true;
  of_album.show_exif = true;
  ShareRecord of_photo = MakeShare(owner.id, kBase + 1);
  of_photo.photo_id = photo.id;
  for (const ShareRecord* s : {&of_album, &of_photo}) {
    ASSERT_TRUE(shares().CreateShare(*s).ok());
    Result<ShareRecord> got = shares().GetShare(s->id);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(*got, *s);
    Result<ShareRecord> found = shares().FindShareByTokenHash(s->token_hash, At(kBase + 2));
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    EXPECT_EQ(*found, *s);
    EXPECT_TRUE(found->ActiveAt(At(kBase + 2)));
  }
  EXPECT_EQ(shares().GetShare("nope").code(), ErrorCode::kNotFound);
  EXPECT_EQ(shares().FindShareByTokenHash("nope", At(kBase)).code(), ErrorCode::kNotFound);
}

TEST_P(ShareStoreConformanceTest, RejectsInvalidAndDuplicateShares) {
  UserRecord owner = AddUser();
  AlbumRecord album = MakeAlbum(owner.id);
  ASSERT_TRUE(albums().CreateAlbum(album).ok());
  PhotoRecord photo = AddPhoto();
  ShareRecord s = MakeShare(owner.id, kBase);
  EXPECT_EQ(shares().CreateShare(s).code(), ErrorCode::kInvalidArgument) << "neither target";
  s.album_id = album.id;
  s.photo_id = photo.id;
  EXPECT_EQ(shares().CreateShare(s).code(), ErrorCode::kInvalidArgument) << "both targets";
  s.photo_id.reset();
  s.expires_at = s.created_at;
  EXPECT_EQ(shares().CreateShare(s).code(), ErrorCode::kInvalidArgument) << "born expired";
  s.expires_at.reset();
  s.password_hash = "";
  EXPECT_EQ(shares().CreateShare(s).code(), ErrorCode::kInvalidArgument) << "empty password hash";
  s.password_hash.reset();
  s.token_hash.clear();
  EXPECT_EQ(shares().CreateShare(s).code(), ErrorCode::kInvalidArgument);
  s.token_hash = HexEncode(RandomBytes(32));

  ShareRecord missing_album = s;
  missing_album.album_id = "no-such-album";
  EXPECT_EQ(shares().CreateShare(missing_album).code(), ErrorCode::kNotFound);
  ShareRecord missing_photo = s;
  missing_photo.album_id.reset();
  missing_photo.photo_id = "no-such-photo";
  EXPECT_EQ(shares().CreateShare(missing_photo).code(), ErrorCode::kNotFound);
  ShareRecord missing_owner = s;
  missing_owner.owner_id = "nobody";
  EXPECT_EQ(shares().CreateShare(missing_owner).code(), ErrorCode::kNotFound);

  ASSERT_TRUE(shares().CreateShare(s).ok());
  ShareRecord same_token = MakeShare(owner.id, kBase);
  same_token.album_id = album.id;
  same_token.token_hash = s.token_hash;
  EXPECT_EQ(shares().CreateShare(same_token).code(), ErrorCode::kAlreadyExists);
  ShareRecord same_id = MakeShare(owner.id, kBase);
  same_id.album_id = album.id;
  same_id.id = s.id;
  EXPECT_EQ(shares().CreateShare(same_id).code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(shares().ListShares(owner.id, std::nullopt, 100)->shares.size(), 1u);
}

TEST_P(ShareStoreConformanceTest, ExpiredAndRevokedLinksOpenNothing) {
  UserRecord owner = AddUser();
  PhotoRecord photo = AddPhoto();
  ShareRecord s = MakeShare(owner.id, kBase);
  s.photo_id = photo.id;
  s.expires_at = At(kBase + kHour);
  ASSERT_TRUE(shares().CreateShare(s).ok());
  EXPECT_TRUE(shares().FindShareByTokenHash(s.token_hash, At(kBase + kHour - 1)).ok());
  EXPECT_EQ(shares().FindShareByTokenHash(s.token_hash, At(kBase + kHour)).code(),
            ErrorCode::kNotFound)
      << "expired at expires_at itself";
  EXPECT_TRUE(shares().GetShare(s.id).ok()) << "the owner still sees an expired share";

  ShareRecord forever = MakeShare(owner.id, kBase);
  forever.photo_id = photo.id;
  ASSERT_TRUE(shares().CreateShare(forever).ok());
  EXPECT_TRUE(shares().FindShareByTokenHash(forever.token_hash, At(kBase + 1000 * kHour)).ok());

  UserRecord other = AddUser();
  EXPECT_EQ(shares().RevokeShare(other.id, forever.id, At(kBase + 5)).code(), ErrorCode::kNotFound)
      << "another owner's share looks like none";
  EXPECT_TRUE(shares().FindShareByTokenHash(forever.token_hash, At(kBase + 6)).ok());
  ASSERT_TRUE(shares().RevokeShare(owner.id, forever.id, At(kBase + 10)).ok());
  EXPECT_EQ(shares().FindShareByTokenHash(forever.token_hash, At(kBase + 11)).code(),
            ErrorCode::kNotFound);
  ASSERT_TRUE(shares().RevokeShare(owner.id, forever.id, At(kBase + 20)).ok()) << "idempotent";
  Result<ShareRecord> revoked = shares().GetShare(forever.id);
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(revoked->revoked_at, At(kBase + 10)) << "the first revocation time stays";
  EXPECT_FALSE(revoked->ActiveAt(At(kBase + 11)));
  EXPECT_EQ(shares().RevokeShare(owner.id, "no-such-share", At(kBase)).code(),
            ErrorCode::kNotFound);
}

TEST_P(ShareStoreConformanceTest, SharesGoWithTheirAlbumOrPhoto) {
  UserRecord owner = AddUser();
  AlbumRecord album = MakeAlbum(owner.id);
  ASSERT_TRUE(albums().CreateAlbum(album).ok());
  PhotoRecord photo = AddPhoto();
  PhotoRecord kept_photo = AddPhoto();
  ASSERT_TRUE(albums().AddPhotos(album.id, {photo.id}, At(kBase)).ok());
  ShareRecord of_album = MakeShare(owner.id, kBase);
  of_album.album_id = album.id;
  ShareRecord of_photo = MakeShare(owner.id, kBase);
  of_photo.photo_id = photo.id;
  ShareRecord of_kept = MakeShare(owner.id, kBase);
  of_kept.photo_id = kept_photo.id;
  for (const ShareRecord* s : {&of_album, &of_photo, &of_kept}) {
    ASSERT_TRUE(shares().CreateShare(*s).ok());
  }

  ASSERT_TRUE(photos().DeletePhoto(photo.id).ok());
  EXPECT_EQ(shares().GetShare(of_photo.id).code(), ErrorCode::kNotFound);
  EXPECT_TRUE(shares().GetShare(of_album.id).ok()) << "the album's share outlives its photos";
  ASSERT_TRUE(albums().DeleteAlbum(album.id).ok());
  EXPECT_EQ(shares().GetShare(of_album.id).code(), ErrorCode::kNotFound);
  EXPECT_EQ(shares().FindShareByTokenHash(of_album.token_hash, At(kBase)).code(),
            ErrorCode::kNotFound);
  EXPECT_TRUE(shares().GetShare(of_kept.id).ok());
}

TEST_P(ShareStoreConformanceTest, ListsAnOwnersSharesNewestFirst) {
  UserRecord owner = AddUser();
  UserRecord other = AddUser();
  PhotoRecord photo = AddPhoto();
  std::vector<ShareRecord> mine;
  for (int i = 0; i < 13; ++i) {
    ShareRecord s = MakeShare(owner.id, kBase + (i / 4) * 1000);  // ties straddle pages
    s.photo_id = photo.id;
    if (i % 3 == 0) s.revoked_at = At(kBase + 5000);  // revoked ones are listed too
    ASSERT_TRUE(shares().CreateShare(s).ok());
    mine.push_back(s);
  }
  ShareRecord theirs = MakeShare(other.id, kBase);
  theirs.photo_id = photo.id;
  ASSERT_TRUE(shares().CreateShare(theirs).ok());
  std::sort(mine.begin(), mine.end(), [](const ShareRecord& x, const ShareRecord& y) {
    return x.created_at != y.created_at ? x.created_at > y.created_at : x.id > y.id;
  });
  for (int limit : {1, 3, 12, 13, 1000}) {
    std::vector<ShareRecord> seen;
    std::optional<ShareCursor> cursor;
    for (int pages = 0; pages < 30; ++pages) {
      Result<SharePage> page = shares().ListShares(owner.id, cursor, limit);
      ASSERT_TRUE(page.ok()) << page.status().ToString();
      seen.insert(seen.end(), page->shares.begin(), page->shares.end());
      if (!page->next) break;
      EXPECT_EQ(page->shares.size(), static_cast<size_t>(limit));
      EXPECT_EQ(*page->next, (ShareCursor{page->shares.back().created_at, page->shares.back().id}));
      cursor = page->next;
    }
    EXPECT_THAT(seen, ElementsAreArray(mine)) << "limit " << limit;
  }
  EXPECT_THAT(shares().ListShares("nobody", std::nullopt, 10)->shares, IsEmpty());
  EXPECT_EQ(shares().ListShares(owner.id, std::nullopt, 0).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(shares().ListShares(owner.id, std::nullopt, 1001).code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace gallery::db::testing
