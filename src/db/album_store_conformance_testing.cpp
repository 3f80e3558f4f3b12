// The AlbumStore conformance suite (see account_stores_conformance_testing.hpp).

#include <gmock/gmock.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <thread>
#include <vector>

#include "common/crypto.hpp"
#include "common/time.hpp"
#include "db/account_stores_conformance_testing.hpp"

namespace gallery::db::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

Clock::time_point At(int64_t unix_millis) { return FromUnixMillis(unix_millis); }

constexpr int64_t kBase = 1795262400000;  // 2026-11-21T12:00:00Z

AlbumRecord MakeAlbum(const std::string& owner_id, int64_t created) {
  AlbumRecord a;
  a.id = NewId();
  a.owner_id = owner_id;
  a.title = "Holidays " + a.id.substr(0, 4);
  a.description = "by the sea";
  a.created_at = At(created);
  a.updated_at = At(created);
  return a;
}

class AlbumFixture {
 public:
  // Every photo id of the album in order, walking pages of `limit`.
  static std::vector<std::string> AllIds(AlbumStore& albums, const std::string& album_id,
                                         int limit = 1000) {
    std::vector<std::string> ids;
    std::optional<AlbumPhotoCursor> cursor;
    for (int pages = 0; pages < 10000; ++pages) {
      Result<AlbumPhotoPage> page = albums.ListAlbumPhotoIds(album_id, cursor, limit);
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok()) return ids;
      ids.insert(ids.end(), page->photo_ids.begin(), page->photo_ids.end());
      if (!page->next) return ids;
      EXPECT_EQ(page->photo_ids.size(), static_cast<size_t>(limit));
      EXPECT_EQ(page->next->photo_id, page->photo_ids.back());
      cursor = page->next;
    }
    ADD_FAILURE() << "the listing did not end";
    return ids;
  }
};

std::vector<std::string> Ids(const std::vector<PhotoRecord>& photos) {
  std::vector<std::string> ids;
  for (const PhotoRecord& p : photos) ids.push_back(p.id);
  return ids;
}

TEST_P(AlbumStoreConformanceTest, CreatesReadsUpdatesAndDeletesAlbums) {
  UserRecord owner = AddUser();
  AlbumRecord a = MakeAlbum(owner.id, kBase);
  a.title = "Été à Zürich – 東京 🌸";
  a.description = std::string(10000, 'd');
  a.photo_count = 99;                     // ignored
  a.cover_photo_id = "not-even-a-photo";  // ignored
  ASSERT_TRUE(albums().CreateAlbum(a).ok());
  a.photo_count = 0;
  a.cover_photo_id.reset();
  Result<AlbumRecord> got = albums().GetAlbum(a.id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, a);
  EXPECT_EQ(albums().CreateAlbum(a).code(), ErrorCode::kAlreadyExists);

  AlbumUpdate rename;
  rename.title = "Renamed";
  ASSERT_TRUE(albums().UpdateAlbum(a.id, rename, At(kBase + 10)).ok());
  got = albums().GetAlbum(a.id);
  EXPECT_EQ(got->title, "Renamed");
  EXPECT_EQ(got->description, a.description) << "unset fields stay";
  EXPECT_EQ(got->updated_at, At(kBase + 10));
  EXPECT_EQ(got->created_at, At(kBase));
  AlbumUpdate describe;
  describe.description = "";
  ASSERT_TRUE(albums().UpdateAlbum(a.id, describe, At(kBase + 20)).ok());
  EXPECT_EQ(albums().GetAlbum(a.id)->description, "");
  EXPECT_EQ(albums().GetAlbum(a.id)->title, "Renamed");

  AlbumUpdate bad;
  bad.title = "";
  EXPECT_EQ(albums().UpdateAlbum(a.id, bad, At(kBase)).code(), ErrorCode::kInvalidArgument);
  bad.title = std::string(501, 't');
  EXPECT_EQ(albums().UpdateAlbum(a.id, bad, At(kBase)).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(albums().UpdateAlbum("nope", rename, At(kBase)).code(), ErrorCode::kNotFound);
  EXPECT_EQ(albums().GetAlbum(a.id)->title, "Renamed");

  ASSERT_TRUE(albums().DeleteAlbum(a.id).ok());
  EXPECT_EQ(albums().GetAlbum(a.id).code(), ErrorCode::kNotFound);
  EXPECT_EQ(albums().DeleteAlbum(a.id).code(), ErrorCode::kNotFound);
}

TEST_P(AlbumStoreConformanceTest, RejectsInvalidAlbums) {
  UserRecord owner = AddUser();
  AlbumRecord a = MakeAlbum(owner.id, kBase);
  a.title.clear();
  EXPECT_EQ(albums().CreateAlbum(a).code(), ErrorCode::kInvalidArgument);
  a = MakeAlbum(owner.id, kBase);
  a.description = std::string(10001, 'd');
  EXPECT_EQ(albums().CreateAlbum(a).code(), ErrorCode::kInvalidArgument);
  a = MakeAlbum(owner.id, kBase);
  a.id.clear();
  EXPECT_EQ(albums().CreateAlbum(a).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(albums().CreateAlbum(MakeAlbum("nobody", kBase)).code(), ErrorCode::kNotFound);
  EXPECT_THAT(albums().ListAlbums(owner.id, std::nullopt, 10)->albums, IsEmpty());
}

TEST_P(AlbumStoreConformanceTest, AddsPhotosInOrderIdempotently) {
  UserRecord owner = AddUser();
  AlbumRecord a = MakeAlbum(owner.id, kBase);
  ASSERT_TRUE(albums().CreateAlbum(a).ok());
  std::vector<PhotoRecord> p;
  for (int i = 0; i < 5; ++i) p.push_back(AddPhoto());

  Result<int64_t> added = albums().AddPhotos(a.id, {p[2].id, p[0].id, p[2].id}, At(kBase + 1));
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(*added, 2) << "a repeat in the list is added once";
  EXPECT_EQ(albums().GetAlbum(a.id)->updated_at, At(kBase + 1));
  added = albums().AddPhotos(a.id, {p[0].id, p[4].id, p[1].id}, At(kBase + 2));
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(*added, 2);
  EXPECT_THAT(AlbumFixture::AllIds(albums(), a.id), ElementsAre(p[2].id, p[0].id, p[4].id, p[1].id))
      << "appended in the order given; present ones stay where they are";
  added = albums().AddPhotos(a.id, {p[0].id}, At(kBase + 3));
  EXPECT_EQ(*added, 0);
  EXPECT_EQ(albums().GetAlbum(a.id)->updated_at, At(kBase + 2)) << "nothing added: no touch";
  EXPECT_EQ(albums().GetAlbum(a.id)->photo_count, 4);

  // A missing photo fails the whole call.
  EXPECT_EQ(albums().AddPhotos(a.id, {p[3].id, "no-such-photo"}, At(kBase + 4)).code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(albums().GetAlbum(a.id)->photo_count, 4);
  // A photo in the trash stays in the album but is not counted.
  ASSERT_TRUE(photos().TrashPhoto(p[4].id, At(kBase + 5)).ok());
  EXPECT_EQ(albums().GetAlbum(a.id)->photo_count, 3);
  ASSERT_TRUE(photos().RestorePhoto(p[4].id).ok());
  EXPECT_EQ(albums().GetAlbum(a.id)->photo_count, 4);
  EXPECT_EQ(albums().AddPhotos("no-such-album", {p[3].id}, At(kBase)).code(), ErrorCode::kNotFound);
  EXPECT_EQ(albums().AddPhotos(a.id, {""}, At(kBase)).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(albums().AddPhotos(a.id, std::vector<std::string>(1001, p[3].id), At(kBase)).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(albums().ListAlbumPhotoIds("no-such-album", std::nullopt, 10).code(),
            ErrorCode::kNotFound);
}

TEST_P(AlbumStoreConformanceTest, APhotoCanBeInManyAlbums) {
  UserRecord owner = AddUser();
  AlbumRecord a = MakeAlbum(owner.id, kBase);
  AlbumRecord b = MakeAlbum(owner.id, kBase + 1);
  ASSERT_TRUE(albums().CreateAlbum(a).ok());
  ASSERT_TRUE(albums().CreateAlbum(b).ok());
  PhotoRecord p = AddPhoto();
  ASSERT_TRUE(albums().AddPhotos(a.id, {p.id}, At(kBase)).ok());
  ASSERT_TRUE(albums().AddPhotos(b.id, {p.id}, At(kBase)).ok());
  EXPECT_THAT(*albums().ListAlbumsOfPhoto(p.id), UnorderedElementsAre(a.id, b.id));
  ASSERT_TRUE(albums().DeleteAlbum(a.id).ok());
  EXPECT_THAT(*albums().ListAlbumsOfPhoto(p.id), ElementsAre(b.id));
  EXPECT_TRUE(photos().GetPhoto(p.id).ok()) << "deleting an album keeps its photos";
  EXPECT_THAT(*albums().ListAlbumsOfPhoto("no-such-photo"), IsEmpty());
}

TEST_P(AlbumStoreConformanceTest, RemovesPhotosAndClearsARemovedCover) {
  UserRecord owner = AddUser();
  AlbumRecord a = MakeAlbum(owner.id, kBase);
  ASSERT_TRUE(albums().CreateAlbum(a).ok());
  std::vector<PhotoRecord> p;
  for (int i = 0; i < 3; ++i) p.push_back(AddPhoto());
  ASSERT_TRUE(albums().AddPhotos(a.id, Ids(p), At(kBase)).ok());

  AlbumUpdate cover;
  cover.cover_photo_id = std::optional<std::string>(p[1].id);
  ASSERT_TRUE(albums().UpdateAlbum(a.id, cover, At(kBase + 1)).ok());
  EXPECT_EQ(albums().GetAlbum(a.id)->cover_photo_id, p[1].id);
  PhotoRecord outsider = AddPhoto();
  cover.cover_photo_id = std::optional<std::string>(outsider.id);
  EXPECT_EQ(albums().UpdateAlbum(a.id, cover, At(kBase + 2)).code(), ErrorCode::kInvalidArgument)
      << "a cover must be in the album";
  EXPECT_EQ(albums().GetAlbum(a.id)->cover_photo_id, p[1].id);

  Result<int64_t> removed = albums().RemovePhotos(a.id, {p[0].id, outsider.id}, At(kBase + 3));
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 1);
  EXPECT_EQ(albums().GetAlbum(a.id)->cover_photo_id, p[1].id) << "another cover stays";
  EXPECT_EQ(albums().GetAlbum(a.id)->updated_at, At(kBase + 3));
  removed = albums().RemovePhotos(a.id, {p[1].id}, At(kBase + 4));
  EXPECT_EQ(*removed, 1);
  EXPECT_EQ(albums().GetAlbum(a.id)->cover_photo_id, std::nullopt);
  EXPECT_THAT(AlbumFixture::AllIds(albums(), a.id), ElementsAre(p[2].id));
  EXPECT_EQ(*albums().RemovePhotos(a.id, {p[1].id}, At(kBase + 5)), 0);
  EXPECT_EQ(albums().GetAlbum(a.id)->updated_at, At(kBase + 4));
  EXPECT_EQ(albums().RemovePhotos("no-such-album", {p[2].id}, At(kBase)).code(),
            ErrorCode::kNotFound);
  EXPECT_TRUE(photos().GetPhoto(p[1].id).ok()) << "removing from an album keeps the photo";

  cover.cover_photo_id = std::optional<std::string>(p[2].id);
  ASSERT_TRUE(albums().UpdateAlbum(a.id, cover, At(kBase + 6)).ok());
  cover.cover_photo_id = std::optional<std::string>();  // explicitly none
  ASSERT_TRUE(albums().UpdateAlbum(a.id, cover, At(kBase + 7)).ok());
  EXPECT_EQ(albums().GetAlbum(a.id)->cover_photo_id, std::nullopt);
}

TEST_P(AlbumStoreConformanceTest, DeletingAPhotoRowRemovesItFromAlbumsAndCovers) {
  UserRecord owner = AddUser();
  AlbumRecord a = MakeAlbum(owner.id, kBase);
  AlbumRecord b = MakeAlbum(owner.id, kBase + 1);
  ASSERT_TRUE(albums().CreateAlbum(a).ok());
  ASSERT_TRUE(albums().CreateAlbum(b).ok());
  PhotoRecord doomed = AddPhoto();
  PhotoRecord kept = AddPhoto();
  ASSERT_TRUE(albums().AddPhotos(a.id, {doomed.id, kept.id}, At(kBase)).ok());
  ASSERT_TRUE(albums().AddPhotos(b.id, {kept.id, doomed.id}, At(kBase)).ok());
  AlbumUpdate cover;
  cover.cover_photo_id = std::optional<std::string>(doomed.id);
  ASSERT_TRUE(albums().UpdateAlbum(a.id, cover, At(kBase)).ok());
  cover.cover_photo_id = std::optional<std::string>(kept.id);
  ASSERT_TRUE(albums().UpdateAlbum(b.id, cover, At(kBase)).ok());

  ASSERT_TRUE(photos().DeletePhoto(doomed.id).ok());
  EXPECT_THAT(AlbumFixture::AllIds(albums(), a.id), ElementsAre(kept.id));
  EXPECT_THAT(AlbumFixture::AllIds(albums(), b.id), ElementsAre(kept.id));
  EXPECT_EQ(albums().GetAlbum(a.id)->cover_photo_id, std::nullopt);
  EXPECT_EQ(albums().GetAlbum(b.id)->cover_photo_id, kept.id);
  EXPECT_EQ(albums().GetAlbum(a.id)->photo_count, 1);
  EXPECT_THAT(*albums().ListAlbumsOfPhoto(doomed.id), IsEmpty());
}

TEST_P(AlbumStoreConformanceTest, MovesPhotosAndKeepsTheOthersInOrder) {
  UserRecord owner = AddUser();
  AlbumRecord a = MakeAlbum(owner.id, kBase);
  ASSERT_TRUE(albums().CreateAlbum(a).ok());
  std::vector<PhotoRecord> photos_in;
  for (int i = 0; i < 6; ++i) photos_in.push_back(AddPhoto());
  std::vector<std::string> expected = Ids(photos_in);
  ASSERT_TRUE(albums().AddPhotos(a.id, expected, At(kBase)).ok());

  // A model of the order, moved the same way as the store.
  auto move = [&](std::string id, std::optional<std::string> after) {  // copies: `expected` changes
    expected.erase(std::find(expected.begin(), expected.end(), id));
    auto at = after ? std::find(expected.begin(), expected.end(), *after) + 1 : expected.begin();
    expected.insert(at, id);
    Status s = albums().MovePhoto(a.id, id, after, At(kBase + 1));
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_THAT(AlbumFixture::AllIds(albums(), a.id), ElementsAreArray(expected));
  };
  move(expected[5], std::nullopt);  // last to the front
  move(expected[0], expected[5]);   // front to the end
  move(expected[2], expected[3]);   // one step down
  move(expected[4], expected[0]);   // up to second place
  move(expected[1], expected[0]);   // already there: no change
  // Many moves into the same gap exhaust the space between two neighbours,
  // so the store has to renumber; the order must survive that.
  std::mt19937 rng(7);
  for (int i = 0; i < 60; ++i) move(expected[5], expected[0]);
  for (int i = 0; i < 60; ++i) {
    size_t from = rng() % expected.size();
    size_t after = rng() % expected.size();
    if (from == after) continue;
    move(expected[from], rng() % 5 == 0 ? std::nullopt : std::optional(expected[after]));
  }
  EXPECT_EQ(albums().GetAlbum(a.id)->updated_at, At(kBase + 1));

  EXPECT_EQ(albums().MovePhoto(a.id, expected[0], expected[0], At(kBase)).code(),
            ErrorCode::kInvalidArgument);
  PhotoRecord outsider = AddPhoto();
  EXPECT_EQ(albums().MovePhoto(a.id, outsider.id, std::nullopt, At(kBase)).code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(albums().MovePhoto(a.id, expected[0], outsider.id, At(kBase)).code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(albums().MovePhoto("no-such-album", expected[0], std::nullopt, At(kBase)).code(),
            ErrorCode::kNotFound);
  EXPECT_THAT(AlbumFixture::AllIds(albums(), a.id), ElementsAreArray(expected));
}

TEST_P(AlbumStoreConformanceTest, SetsAWholeOrder) {
  UserRecord owner = AddUser();
  AlbumRecord a = MakeAlbum(owner.id, kBase);
  ASSERT_TRUE(albums().CreateAlbum(a).ok());
  std::vector<PhotoRecord> in;
  for (int i = 0; i < 7; ++i) in.push_back(AddPhoto());
  std::vector<std::string> order = Ids(in);
  ASSERT_TRUE(albums().AddPhotos(a.id, order, At(kBase)).ok());
  std::reverse(order.begin(), order.end());
  std::swap(order[1], order[4]);
  ASSERT_TRUE(albums().SetOrder(a.id, order, At(kBase + 9)).ok());
  EXPECT_THAT(AlbumFixture::AllIds(albums(), a.id), ElementsAreArray(order));
  EXPECT_EQ(albums().GetAlbum(a.id)->updated_at, At(kBase + 9));

  std::vector<std::string> missing(order.begin(), order.end() - 1);
  EXPECT_EQ(albums().SetOrder(a.id, missing, At(kBase)).code(), ErrorCode::kInvalidArgument);
  std::vector<std::string> twice = missing;
  twice.push_back(order[0]);
  EXPECT_EQ(albums().SetOrder(a.id, twice, At(kBase)).code(), ErrorCode::kInvalidArgument);
  std::vector<std::string> stranger = missing;
  stranger.push_back(AddPhoto().id);
  EXPECT_EQ(albums().SetOrder(a.id, stranger, At(kBase)).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(albums().SetOrder("no-such-album", order, At(kBase)).code(), ErrorCode::kNotFound);
  EXPECT_THAT(AlbumFixture::AllIds(albums(), a.id), ElementsAreArray(order))
      << "a refused order changes nothing";
}

TEST_P(AlbumStoreConformanceTest, PaginatesAlbumPhotosWithoutGapsOrDuplicates) {
  UserRecord owner = AddUser();
  AlbumRecord a = MakeAlbum(owner.id, kBase);
  ASSERT_TRUE(albums().CreateAlbum(a).ok());
  std::vector<std::string> expected;
  for (int i = 0; i < 53; ++i) expected.push_back(AddPhoto().id);
  for (size_t i = 0; i < expected.size(); i += 20) {
    std::vector<std::string> batch(expected.begin() + i,
                                   expected.begin() + std::min(expected.size(), i + 20));
    ASSERT_TRUE(albums().AddPhotos(a.id, batch, At(kBase)).ok());
  }
  // Renumber-prone moves first, so positions are not just the initial ones.
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(albums().MovePhoto(a.id, expected[52 - i], expected[0], At(kBase)).ok());
    std::string id = expected[52 - i];
    expected.erase(expected.begin() + (52 - i));
    expected.insert(expected.begin() + 1, id);
  }
  for (int limit : {1, 2, 7, 52, 53, 1000}) {
    EXPECT_THAT(AlbumFixture::AllIds(albums(), a.id, limit), ElementsAreArray(expected))
        << "limit " << limit;
  }
  EXPECT_EQ(albums().ListAlbumPhotoIds(a.id, std::nullopt, 0).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(albums().ListAlbumPhotoIds(a.id, std::nullopt, 1001).code(),
            ErrorCode::kInvalidArgument);

  // A cursor still works after its photo left the album.
  Result<AlbumPhotoPage> first = albums().ListAlbumPhotoIds(a.id, std::nullopt, 10);
  ASSERT_TRUE(first.ok() && first->next);
  ASSERT_TRUE(albums().RemovePhotos(a.id, {first->photo_ids.back()}, At(kBase)).ok());
  Result<AlbumPhotoPage> second = albums().ListAlbumPhotoIds(a.id, first->next, 10);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->photo_ids.front(), expected[10]);
}

TEST_P(AlbumStoreConformanceTest, ListsAnOwnersAlbumsNewestFirst) {
  UserRecord owner = AddUser();
  UserRecord other = AddUser();
  std::vector<AlbumRecord> mine;
  for (int i = 0; i < 17; ++i) {
    AlbumRecord a = MakeAlbum(owner.id, kBase + (i / 3) * 1000);  // ties straddle pages
    ASSERT_TRUE(albums().CreateAlbum(a).ok());
    mine.push_back(a);
  }
  ASSERT_TRUE(albums().CreateAlbum(MakeAlbum(other.id, kBase)).ok());
  std::sort(mine.begin(), mine.end(), [](const AlbumRecord& x, const AlbumRecord& y) {
    return x.created_at != y.created_at ? x.created_at > y.created_at : x.id > y.id;
  });
  PhotoRecord p = AddPhoto();
  ASSERT_TRUE(albums().AddPhotos(mine[3].id, {p.id}, At(kBase)).ok());
  mine[3].photo_count = 1;
  mine[3].updated_at = At(kBase);

  for (int limit : {1, 4, 16, 17, 100}) {
    std::vector<AlbumRecord> seen;
    std::optional<AlbumCursor> cursor;
    for (int pages = 0; pages < 40; ++pages) {
      Result<AlbumPage> page = albums().ListAlbums(owner.id, cursor, limit);
      ASSERT_TRUE(page.ok()) << page.status().ToString();
      seen.insert(seen.end(), page->albums.begin(), page->albums.end());
      if (!page->next) break;
      EXPECT_EQ(page->albums.size(), static_cast<size_t>(limit));
      EXPECT_EQ(*page->next, (AlbumCursor{page->albums.back().created_at, page->albums.back().id}));
      cursor = page->next;
    }
    EXPECT_THAT(seen, ElementsAreArray(mine)) << "limit " << limit;
  }
  EXPECT_THAT(albums().ListAlbums("nobody", std::nullopt, 10)->albums, IsEmpty());
  EXPECT_EQ(albums().ListAlbums(owner.id, std::nullopt, 0).code(), ErrorCode::kInvalidArgument);
}

TEST_P(AlbumStoreConformanceTest, ConcurrentAddsToOneAlbumAppendWithoutInterleaving) {
  UserRecord owner = AddUser();
  AlbumRecord a = MakeAlbum(owner.id, kBase);
  ASSERT_TRUE(albums().CreateAlbum(a).ok());
  constexpr int kThreads = 4;
  constexpr int kPerThread = 10;
  std::vector<std::vector<std::string>> batches(kThreads);
  for (auto& batch : batches) {
    for (int i = 0; i < kPerThread; ++i) batch.push_back(AddPhoto().id);
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Halves of a batch; each call's photos stay together and in order.
      std::vector<std::string> first(batches[t].begin(), batches[t].begin() + kPerThread / 2);
      std::vector<std::string> second(batches[t].begin() + kPerThread / 2, batches[t].end());
      if (!albums().AddPhotos(a.id, first, At(kBase)).ok()) ++failures;
      if (!albums().AddPhotos(a.id, second, At(kBase)).ok()) ++failures;
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  std::vector<std::string> all = AlbumFixture::AllIds(albums(), a.id);
  ASSERT_EQ(all.size(), static_cast<size_t>(kThreads * kPerThread));
  for (const auto& batch : batches) {
    auto start = std::find(all.begin(), all.end(), batch[0]);
    ASSERT_NE(start, all.end());
    ASSERT_LE(start + kPerThread / 2, all.end());
    EXPECT_TRUE(std::equal(batch.begin(), batch.begin() + kPerThread / 2, start))
        << "one call's photos are contiguous and in order";
    auto before = std::find(all.begin(), all.end(), batch[kPerThread / 2 - 1]);
    auto after = std::find(all.begin(), all.end(), batch[kPerThread / 2]);
    EXPECT_LT(before, after) << "a thread's second call comes after its first";
  }
}

}  // namespace
}  // namespace gallery::db::testing
