#include "db/metadata_store_conformance_testing.hpp"

#include <gmock/gmock.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "common/crypto.hpp"
#include "common/time.hpp"

namespace gallery::db {

void PrintTo(const PhotoRecord& p, std::ostream* os) {
  *os << "{id=" << p.id << " filename=" << p.filename << " content_type=" << p.content_type
      << " bytes=" << p.bytes << " " << p.width << "x" << p.height << "x" << p.frames
      << " taken_at=" << (p.taken_at ? FormatRfc3339(*p.taken_at, true) : std::string("none"))
      << " uploaded_at=" << FormatRfc3339(p.uploaded_at, true) << " sha256=" << p.sha256
      << " owner=" << p.owner_id
      << " deleted_at=" << (p.deleted_at ? FormatRfc3339(*p.deleted_at, true) : std::string("none"))
      << " exif=" << p.exif_json << " keys=" << p.original_key << "," << p.thumb_key << ","
      << p.preview_key << "}";
}

void PrintTo(const PhotoCursor& c, std::ostream* os) {
  *os << "{" << FormatRfc3339(c.sort_time, true) << ", " << c.id << "}";
}

}  // namespace gallery::db

namespace gallery::db::testing {

PhotoRecord MakeTestPhoto(const std::string& owner_id, Clock::time_point uploaded_at) {
  PhotoRecord p;
  p.id = NewId();
  p.owner_id = owner_id;
  p.filename = "IMG_" + p.id.substr(0, 6) + ".jpg";
  p.content_type = "image/jpeg";
  p.bytes = 123456;
  p.width = 4032;
  p.height = 3024;
  p.frames = 1;
  p.uploaded_at = FromUnixMillis(ToUnixMillis(uploaded_at));
  p.sha256 = HexEncode(RandomBytes(32));
  p.exif_json = R"({"Make":"Canon","ISO":200})";
  p.original_key = "originals/" + p.id;
  p.thumb_key = "thumbs/" + p.id + ".webp";
  p.preview_key = "previews/" + p.id + ".webp";
  return p;
}

void MetadataStoreConformanceTest::SetUp() {
  AccountStoresTest::SetUp();
  if (HasFatalFailure()) return;
  owner_ = AddUser();
}

namespace {

using ::testing::ElementsAreArray;

Clock::time_point At(int64_t unix_millis) { return FromUnixMillis(unix_millis); }

// 2026-11-21T12:00:00Z, a base for readable offsets.
constexpr int64_t kBase = 1795262400000;
constexpr int64_t kMinute = 60'000;

// The order the contract promises, computed independently of any store:
// SortTime() descending, then id descending in byte order.
std::vector<PhotoRecord> NewestFirst(std::vector<PhotoRecord> photos) {
  std::sort(photos.begin(), photos.end(), [](const PhotoRecord& a, const PhotoRecord& b) {
    if (a.SortTime() != b.SortTime()) return a.SortTime() > b.SortTime();
    return a.id > b.id;
  });
  return photos;
}

std::vector<std::string> Ids(const std::vector<PhotoRecord>& photos) {
  std::vector<std::string> ids;
  for (const PhotoRecord& p : photos) ids.push_back(p.id);
  return ids;
}

void InsertAll(MetadataStore& store, const std::vector<PhotoRecord>& photos) {
  for (const PhotoRecord& p : photos) {
    Status s = store.InsertPhoto(p);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
}

// Walks the whole listing with pages of `limit`, checking each page's shape.
std::vector<PhotoRecord> ListAll(MetadataStore& store, const std::string& owner, int limit,
                                 size_t expected_total) {
  std::vector<PhotoRecord> all;
  std::optional<PhotoCursor> cursor;
  for (size_t pages = 0; pages <= expected_total + 1; ++pages) {
    Result<PhotoPage> page = store.ListPhotos(owner, cursor, limit);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (!page.ok()) return all;
    all.insert(all.end(), page->photos.begin(), page->photos.end());
    if (!page->next) {
      EXPECT_LE(page->photos.size(), static_cast<size_t>(limit));
      return all;
    }
    EXPECT_EQ(page->photos.size(), static_cast<size_t>(limit)) << "a page before the last is full";
    EXPECT_EQ(*page->next, (PhotoCursor{page->photos.back().SortTime(), page->photos.back().id}))
        << "the cursor is the last row of the page";
    cursor = page->next;
  }
  ADD_FAILURE() << "the listing did not end";
  return all;
}

TEST_P(MetadataStoreConformanceTest, RoundTripsEveryField) {
  PhotoRecord p = MakeTestPhoto(owner(), At(kBase));
  p.filename = "Été à Zürich – 東京 🌸 \"quoted\" 'x'.jpg";
  p.content_type = "image/avif";
  p.bytes = 5'000'000'000;  // above 32 bits
  p.width = 8192;
  p.height = 5464;
  p.frames = 24;
  p.taken_at = At(kBase - 3 * 86'400'000 + 123);
  p.exif_json = R"({"Make":"Fujifilm","Model":"X-T5 “Ω”","FNumber":2.8,"ISO":125,)"
                R"("GPS":{"Lat":35.6586,"Lon":139.7454},"Note":"a\"b\\c\n"})";
  p.original_key = "originals/2026/11/" + p.id;
  ASSERT_TRUE(store().InsertPhoto(p).ok());

  Result<PhotoRecord> got = store().GetPhoto(p.id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, p);
  Result<PhotoRecord> by_hash = store().FindPhotoBySha256(owner(), p.sha256);
  ASSERT_TRUE(by_hash.ok()) << by_hash.status().ToString();
  EXPECT_EQ(*by_hash, p);
}

TEST_P(MetadataStoreConformanceTest, RoundTripsAnAbsentTakenTimeAndEmptyExif) {
  PhotoRecord p = MakeTestPhoto(owner(), At(kBase));
  p.taken_at.reset();
  p.exif_json = "{}";
  p.bytes = 0;
  ASSERT_TRUE(store().InsertPhoto(p).ok());
  Result<PhotoRecord> got = store().GetPhoto(p.id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_FALSE(got->taken_at.has_value());
  EXPECT_EQ(*got, p);
}

TEST_P(MetadataStoreConformanceTest, KeepsTimesToTheMillisecondIncludingBefore1970) {
  PhotoRecord p = MakeTestPhoto(owner(), At(kBase));
  p.taken_at = At(-14'182'940'000);  // 1969-07-20T20:17:40Z
  p.uploaded_at = At(kBase) + std::chrono::microseconds(456'789);
  ASSERT_TRUE(store().InsertPhoto(p).ok());
  Result<PhotoRecord> got = store().GetPhoto(p.id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->taken_at, At(-14'182'940'000));
  EXPECT_EQ(got->uploaded_at, At(kBase + 456)) << "finer than a millisecond is truncated";
}

TEST_P(MetadataStoreConformanceTest, DuplicateSha256IsAlreadyExistsAndLeavesTheStoreUnchanged) {
  PhotoRecord first = MakeTestPhoto(owner(), At(kBase));
  ASSERT_TRUE(store().InsertPhoto(first).ok());
  PhotoRecord again = MakeTestPhoto(owner(), At(kBase + kMinute));
  again.sha256 = first.sha256;
  again.filename = "other-name.jpg";

  EXPECT_EQ(store().InsertPhoto(again).code(), ErrorCode::kAlreadyExists);

  EXPECT_EQ(store().GetPhoto(again.id).code(), ErrorCode::kNotFound);
  Result<int64_t> count = store().CountPhotos();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 1);
  Result<PhotoRecord> kept = store().FindPhotoBySha256(owner(), first.sha256);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(*kept, first);
}

TEST_P(MetadataStoreConformanceTest, DuplicateIdIsAlreadyExists) {
  PhotoRecord first = MakeTestPhoto(owner(), At(kBase));
  ASSERT_TRUE(store().InsertPhoto(first).ok());
  PhotoRecord same_id = MakeTestPhoto(owner(), At(kBase));
  same_id.id = first.id;
  EXPECT_EQ(store().InsertPhoto(same_id).code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(store().FindPhotoBySha256(owner(), same_id.sha256).code(), ErrorCode::kNotFound);
  Result<PhotoRecord> kept = store().GetPhoto(first.id);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(*kept, first);
}

TEST_P(MetadataStoreConformanceTest, MissingRowsAreNotFound) {
  ASSERT_TRUE(store().InsertPhoto(MakeTestPhoto(owner(), At(kBase))).ok());
  EXPECT_EQ(store().GetPhoto(NewId()).code(), ErrorCode::kNotFound);
  EXPECT_EQ(store().GetPhoto("").code(), ErrorCode::kNotFound);
  EXPECT_EQ(store().FindPhotoBySha256(owner(), HexEncode(RandomBytes(32))).code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(store().DeletePhoto(NewId()).code(), ErrorCode::kNotFound);
}

TEST_P(MetadataStoreConformanceTest, FindsPhotosBySha256) {
  std::vector<PhotoRecord> photos;
  for (int i = 0; i < 5; ++i) photos.push_back(MakeTestPhoto(owner(), At(kBase + i)));
  InsertAll(store(), photos);
  for (const PhotoRecord& p : photos) {
    Result<PhotoRecord> got = store().FindPhotoBySha256(owner(), p.sha256);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(*got, p);
  }
  // Exact match only: a prefix or another case is another hash.
  EXPECT_EQ(store().FindPhotoBySha256(owner(), photos[0].sha256.substr(0, 63)).code(),
            ErrorCode::kNotFound);
}

TEST_P(MetadataStoreConformanceTest, DeleteRemovesTheRowAndFreesItsHash) {
  PhotoRecord p = MakeTestPhoto(owner(), At(kBase));
  PhotoRecord other = MakeTestPhoto(owner(), At(kBase));
  InsertAll(store(), {p, other});

  ASSERT_TRUE(store().DeletePhoto(p.id).ok());

  EXPECT_EQ(store().GetPhoto(p.id).code(), ErrorCode::kNotFound);
  EXPECT_EQ(store().FindPhotoBySha256(owner(), p.sha256).code(), ErrorCode::kNotFound);
  EXPECT_EQ(store().DeletePhoto(p.id).code(), ErrorCode::kNotFound);
  EXPECT_EQ(*store().CountPhotos(), 1);
  EXPECT_TRUE(store().GetPhoto(other.id).ok()) << "only the named row goes";
  Result<PhotoPage> page = store().ListPhotos(owner(), std::nullopt, 10);
  ASSERT_TRUE(page.ok());
  EXPECT_THAT(Ids(page->photos), ElementsAreArray({other.id}));

  PhotoRecord reupload = MakeTestPhoto(owner(), At(kBase + kMinute));
  reupload.sha256 = p.sha256;
  EXPECT_TRUE(store().InsertPhoto(reupload).ok()) << "the same bytes may be uploaded again";
}

TEST_P(MetadataStoreConformanceTest, RejectsInvalidPhotosAndStaysUnchanged) {
  struct Case {
    const char* what;
    std::function<void(PhotoRecord&)> spoil;
  };
  const Case cases[] = {
      {"empty id", [](PhotoRecord& p) { p.id.clear(); }},
      {"no owner", [](PhotoRecord& p) { p.owner_id.clear(); }},
      {"already trashed", [](PhotoRecord& p) { p.deleted_at = FromUnixMillis(kBase); }},
      {"empty sha256", [](PhotoRecord& p) { p.sha256.clear(); }},
      {"bytes above INT64_MAX", [](PhotoRecord& p) { p.bytes = uint64_t{1} << 63; }},
      {"negative width", [](PhotoRecord& p) { p.width = -1; }},
      {"negative height", [](PhotoRecord& p) { p.height = -5; }},
      {"no frames", [](PhotoRecord& p) { p.frames = 0; }},
      {"empty exif", [](PhotoRecord& p) { p.exif_json.clear(); }},
      {"exif not JSON", [](PhotoRecord& p) { p.exif_json = "{\"Make\": "; }},
      {"exif not an object", [](PhotoRecord& p) { p.exif_json = "[1, 2]"; }},
  };
  for (const Case& c : cases) {
    PhotoRecord p = MakeTestPhoto(owner(), At(kBase));
    c.spoil(p);
    EXPECT_EQ(store().InsertPhoto(p).code(), ErrorCode::kInvalidArgument) << c.what;
  }
  EXPECT_EQ(*store().CountPhotos(), 0);
  PhotoRecord largest = MakeTestPhoto(owner(), At(kBase));
  largest.bytes = static_cast<uint64_t>(INT64_MAX);
  largest.width = 0;
  largest.height = 0;
  ASSERT_TRUE(store().InsertPhoto(largest).ok()) << "the limits themselves are valid";
  EXPECT_EQ(store().GetPhoto(largest.id)->bytes, static_cast<uint64_t>(INT64_MAX));
}

TEST_P(MetadataStoreConformanceTest, ListsByTakenTimeElseUploadTimeThenIdDescending) {
  auto photo = [this](std::string id, int64_t uploaded, std::optional<int64_t> taken) {
    PhotoRecord p = MakeTestPhoto(owner(), At(uploaded));
    p.id = std::move(id);
    if (taken) p.taken_at = At(*taken);
    return p;
  };
  std::vector<PhotoRecord> photos = {
      // Taken long before its upload: sorts by the taken time.
      photo("old-scan", kBase + 100 * kMinute, kBase - 500 * kMinute),
      // No taken time: sorts by the upload time.
      photo("no-exif", kBase, std::nullopt),
      // Taken after some uploads happened.
      photo("newest", kBase - 10 * kMinute, kBase + 200 * kMinute),
      // Four rows with one sort time (one taken, three uploaded): ids decide,
      // in byte order ('-' < 'Z' < '_' < 'a'), not in any locale's order.
      photo("ax", kBase + 50 * kMinute, kBase + 5 * kMinute),
      photo("Zx", kBase + 5 * kMinute, std::nullopt),
      photo("_x", kBase + 5 * kMinute, std::nullopt),
      photo("-x", kBase + 5 * kMinute, std::nullopt),
  };
  InsertAll(store(), photos);

  Result<PhotoPage> page = store().ListPhotos(owner(), std::nullopt, 100);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_THAT(Ids(page->photos),
              ElementsAreArray({"newest", "ax", "_x", "Zx", "-x", "no-exif", "old-scan"}));
  EXPECT_FALSE(page->next.has_value());
  ASSERT_EQ(page->photos.size(), photos.size());
  EXPECT_EQ(page->photos[0], photos[2]) << "listed rows carry every field";
}

TEST_P(MetadataStoreConformanceTest, PaginatesWithoutGapsOrDuplicates) {
  // 203 rows; sort times repeat in runs of 5, so equal times straddle the
  // page boundaries; a third have a taken time.
  std::vector<PhotoRecord> photos;
  for (int i = 0; i < 203; ++i) {
    PhotoRecord p = MakeTestPhoto(owner(), At(kBase + (i / 5) * kMinute));
    if (i % 3 == 0) {
      p.taken_at = p.uploaded_at;
      p.uploaded_at = At(kBase + 999 * kMinute - i);
    }
    photos.push_back(p);
  }
  InsertAll(store(), photos);
  const std::vector<std::string> expected = Ids(NewestFirst(photos));

  for (int limit : {1, 4, 7, 10, 50, 202, 203, 1000}) {
    SCOPED_TRACE("limit " + std::to_string(limit));
    std::vector<PhotoRecord> all = ListAll(store(), owner(), limit, photos.size());
    EXPECT_THAT(Ids(all), ElementsAreArray(expected));
  }
}

TEST_P(MetadataStoreConformanceTest, NextIsSetOnlyWhenMoreRowsFollow) {
  std::vector<PhotoRecord> photos;
  for (int i = 0; i < 10; ++i) photos.push_back(MakeTestPhoto(owner(), At(kBase + i * kMinute)));
  InsertAll(store(), photos);

  Result<PhotoPage> first = store().ListPhotos(owner(), std::nullopt, 5);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->next.has_value());
  Result<PhotoPage> second = store().ListPhotos(owner(), first->next, 5);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->photos.size(), 5u);
  EXPECT_FALSE(second->next.has_value()) << "a full last page has no next";

  Result<PhotoPage> whole = store().ListPhotos(owner(), std::nullopt, 10);
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->photos.size(), 10u);
  EXPECT_FALSE(whole->next.has_value());

  const PhotoRecord& last = second->photos.back();
  Result<PhotoPage> past_end =
      store().ListPhotos(owner(), PhotoCursor{last.SortTime(), last.id}, 5);
  ASSERT_TRUE(past_end.ok());
  EXPECT_TRUE(past_end->photos.empty());
  EXPECT_FALSE(past_end->next.has_value());
}

TEST_P(MetadataStoreConformanceTest, ListingAnEmptyStoreGivesAnEmptyLastPage) {
  Result<PhotoPage> page = store().ListPhotos(owner(), std::nullopt, 20);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_TRUE(page->photos.empty());
  EXPECT_FALSE(page->next.has_value());
}

TEST_P(MetadataStoreConformanceTest, ACursorWorksAfterItsRowIsDeleted) {
  std::vector<PhotoRecord> photos;
  for (int i = 0; i < 9; ++i)
    photos.push_back(MakeTestPhoto(owner(), At(kBase + (i / 2) * kMinute)));
  InsertAll(store(), photos);
  const std::vector<PhotoRecord> expected = NewestFirst(photos);

  Result<PhotoPage> first = store().ListPhotos(owner(), std::nullopt, 3);
  ASSERT_TRUE(first.ok() && first->next.has_value());
  ASSERT_TRUE(store().DeletePhoto(first->next->id).ok());
  Result<PhotoPage> second = store().ListPhotos(owner(), first->next, 3);
  ASSERT_TRUE(second.ok());
  EXPECT_THAT(Ids(second->photos),
              ElementsAreArray({expected[3].id, expected[4].id, expected[5].id}));
}

TEST_P(MetadataStoreConformanceTest, ListLimitMustBeWithinOneToAThousand) {
  std::vector<PhotoRecord> photos;
  for (int i = 0; i < 3; ++i) photos.push_back(MakeTestPhoto(owner(), At(kBase + i)));
  InsertAll(store(), photos);
  for (int bad : {0, -1, 1001, INT32_MIN, INT32_MAX}) {
    EXPECT_EQ(store().ListPhotos(owner(), std::nullopt, bad).code(), ErrorCode::kInvalidArgument)
        << bad;
  }
  Result<PhotoPage> one = store().ListPhotos(owner(), std::nullopt, 1);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->photos.size(), 1u);
  EXPECT_TRUE(one->next.has_value());
  Result<PhotoPage> most = store().ListPhotos(owner(), std::nullopt, 1000);
  ASSERT_TRUE(most.ok());
  EXPECT_EQ(most->photos.size(), 3u);
}

TEST_P(MetadataStoreConformanceTest, CountsRows) {
  EXPECT_EQ(*store().CountPhotos(), 0);
  std::vector<PhotoRecord> photos;
  for (int i = 0; i < 12; ++i) photos.push_back(MakeTestPhoto(owner(), At(kBase + i)));
  InsertAll(store(), photos);
  EXPECT_EQ(*store().CountPhotos(), 12);
  ASSERT_TRUE(store().DeletePhoto(photos[3].id).ok());
  EXPECT_EQ(*store().CountPhotos(), 11);
}

TEST_P(MetadataStoreConformanceTest, ConcurrentInsertsAndReadsAllSucceed) {
  constexpr int kWriters = 8;
  constexpr int kPerWriter = 25;
  std::vector<std::vector<PhotoRecord>> batches(kWriters);
  std::vector<PhotoRecord> all;
  for (int w = 0; w < kWriters; ++w) {
    for (int i = 0; i < kPerWriter; ++i) {
      batches[w].push_back(MakeTestPhoto(owner(), At(kBase + (i % 4) * kMinute)));
      all.push_back(batches[w].back());
    }
  }
  std::mutex mu;
  std::vector<std::string> failures;  // GUARDED_BY(mu)
  auto fail = [&](const std::string& what) {
    std::lock_guard<std::mutex> lock(mu);
    failures.push_back(what);
  };
  std::atomic<bool> writing{true};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (const PhotoRecord& p : batches[w]) {
        Status s = store().InsertPhoto(p);
        if (!s.ok()) fail("insert: " + s.ToString());
      }
    });
  }
  std::vector<std::thread> readers;
  std::atomic<int> reads{0};
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      do {  // at least once, even if the writers finish first
        Result<PhotoPage> page = store().ListPhotos(owner(), std::nullopt, 20);
        if (!page.ok()) fail("list: " + page.status().ToString());
        Result<int64_t> count = store().CountPhotos();
        if (!count.ok()) {
          fail("count: " + count.status().ToString());
        } else if (*count < 0 || *count > kWriters * kPerWriter) {
          fail("count out of range: " + std::to_string(*count));
        }
        ++reads;
      } while (writing.load());
    });
  }
  for (std::thread& t : threads) t.join();
  writing = false;
  for (std::thread& t : readers) t.join();

  EXPECT_THAT(failures, ::testing::IsEmpty());
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(*store().CountPhotos(), kWriters * kPerWriter);
  EXPECT_THAT(Ids(ListAll(store(), owner(), 37, all.size())),
              ElementsAreArray(Ids(NewestFirst(all))));
}

TEST_P(MetadataStoreConformanceTest, ConcurrentDuplicatesLetExactlyOneWin) {
  constexpr int kThreads = 8;
  const std::string sha = HexEncode(RandomBytes(32));
  std::vector<ErrorCode> codes(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      PhotoRecord p = MakeTestPhoto(owner(), At(kBase));
      p.sha256 = sha;
      codes[t] = store().InsertPhoto(p).code();
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(std::count(codes.begin(), codes.end(), ErrorCode::kOk), 1);
  EXPECT_EQ(std::count(codes.begin(), codes.end(), ErrorCode::kAlreadyExists), kThreads - 1);
  EXPECT_EQ(*store().CountPhotos(), 1);
}

TEST_P(MetadataStoreConformanceTest, EachOwnerSeesOnlyTheirPhotosAndDedupIsPerOwner) {
  UserRecord other = AddUser();
  PhotoRecord mine = MakeTestPhoto(owner(), At(kBase));
  PhotoRecord theirs = MakeTestPhoto(other.id, At(kBase + kMinute));
  theirs.sha256 = mine.sha256;  // the same bytes, uploaded by both
  InsertAll(store(), {mine, theirs});

  EXPECT_THAT(Ids(store().ListPhotos(owner(), std::nullopt, 10)->photos),
              ElementsAreArray({mine.id}));
  EXPECT_THAT(Ids(store().ListPhotos(other.id, std::nullopt, 10)->photos),
              ElementsAreArray({theirs.id}));
  EXPECT_EQ(store().FindPhotoBySha256(owner(), mine.sha256)->id, mine.id);
  EXPECT_EQ(store().FindPhotoBySha256(other.id, mine.sha256)->id, theirs.id);
  EXPECT_EQ(store().GetPhoto(theirs.id)->owner_id, other.id);

  PhotoRecord again = MakeTestPhoto(other.id, At(kBase));
  again.sha256 = mine.sha256;
  EXPECT_EQ(store().InsertPhoto(again).code(), ErrorCode::kAlreadyExists);
}

TEST_P(MetadataStoreConformanceTest, APhotoOfAnUnknownOwnerIsNotFound) {
  PhotoRecord p = MakeTestPhoto("no-such-user", At(kBase));
  EXPECT_EQ(store().InsertPhoto(p).code(), ErrorCode::kNotFound);
  EXPECT_EQ(*store().CountPhotos(), 0);
}

TEST_P(MetadataStoreConformanceTest, TrashHidesFromTheListingAndRestoreBringsBack) {
  PhotoRecord a = MakeTestPhoto(owner(), At(kBase));
  PhotoRecord b = MakeTestPhoto(owner(), At(kBase + kMinute));
  InsertAll(store(), {a, b});
  ASSERT_TRUE(store().TrashPhoto(a.id, At(kBase + 10 * kMinute)).ok());

  EXPECT_THAT(Ids(store().ListPhotos(owner(), std::nullopt, 10)->photos), ElementsAreArray({b.id}));
  Result<PhotoRecord> trashed = store().GetPhoto(a.id);
  ASSERT_TRUE(trashed.ok());
  EXPECT_EQ(trashed->deleted_at, At(kBase + 10 * kMinute));
  EXPECT_TRUE(store().FindPhotoBySha256(owner(), a.sha256)->trashed()) << "dedup sees the trash";
  Result<TrashPage> trash = store().ListTrash(owner(), std::nullopt, 10);
  ASSERT_TRUE(trash.ok());
  EXPECT_THAT(Ids(trash->photos), ElementsAreArray({a.id}));
  EXPECT_FALSE(trash->next);

  EXPECT_EQ(store().TrashPhoto(a.id, At(kBase)).code(), ErrorCode::kNotFound) << "already there";
  EXPECT_EQ(store().RestorePhoto(b.id).code(), ErrorCode::kNotFound) << "not in the trash";
  EXPECT_EQ(store().TrashPhoto("missing", At(kBase)).code(), ErrorCode::kNotFound);

  ASSERT_TRUE(store().RestorePhoto(a.id).ok());
  EXPECT_FALSE(store().GetPhoto(a.id)->trashed());
  EXPECT_THAT(Ids(store().ListPhotos(owner(), std::nullopt, 10)->photos),
              ElementsAreArray({b.id, a.id}));
  EXPECT_TRUE(store().ListTrash(owner(), std::nullopt, 10)->photos.empty());
}

TEST_P(MetadataStoreConformanceTest, TrashIsPaginatedMostRecentlyDeletedFirst) {
  UserRecord other = AddUser();
  std::vector<PhotoRecord> photos;
  for (int i = 0; i < 7; ++i) photos.push_back(MakeTestPhoto(owner(), At(kBase + i)));
  photos.push_back(MakeTestPhoto(other.id, At(kBase)));
  InsertAll(store(), photos);
  // Deleted in this order, two at the same millisecond (ties break by id).
  const int64_t deleted[] = {5, 3, 3, 9, 1, 7, 2, 4};
  for (size_t i = 0; i < photos.size(); ++i) {
    ASSERT_TRUE(store().TrashPhoto(photos[i].id, At(kBase + deleted[i] * kMinute)).ok());
  }
  std::vector<PhotoRecord> expected(photos.begin(), photos.begin() + 7);
  for (size_t i = 0; i < expected.size(); ++i) {
    expected[i].deleted_at = At(kBase + deleted[i] * kMinute);
  }
  std::sort(expected.begin(), expected.end(), [](const PhotoRecord& a, const PhotoRecord& b) {
    if (a.deleted_at != b.deleted_at) return *a.deleted_at > *b.deleted_at;
    return a.id > b.id;
  });
  std::vector<PhotoRecord> seen;
  std::optional<TrashCursor> cursor;
  for (int pages = 0; pages < 10; ++pages) {
    Result<TrashPage> page = store().ListTrash(owner(), cursor, 3);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    seen.insert(seen.end(), page->photos.begin(), page->photos.end());
    if (!page->next) break;
    EXPECT_EQ(page->photos.size(), 3u);
    cursor = page->next;
  }
  EXPECT_THAT(Ids(seen), ElementsAreArray(Ids(expected)));
  EXPECT_EQ(store().ListTrash(owner(), std::nullopt, 0).code(), ErrorCode::kInvalidArgument);
}

TEST_P(MetadataStoreConformanceTest, ListsTrashOlderThanACutoffAcrossOwnersOldestFirst) {
  UserRecord other = AddUser();
  PhotoRecord old_mine = MakeTestPhoto(owner(), At(kBase));
  PhotoRecord old_theirs = MakeTestPhoto(other.id, At(kBase));
  PhotoRecord recent = MakeTestPhoto(owner(), At(kBase));
  PhotoRecord live = MakeTestPhoto(owner(), At(kBase));
  InsertAll(store(), {old_mine, old_theirs, recent, live});
  ASSERT_TRUE(store().TrashPhoto(old_theirs.id, At(kBase + 1 * kMinute)).ok());
  ASSERT_TRUE(store().TrashPhoto(old_mine.id, At(kBase + 2 * kMinute)).ok());
  ASSERT_TRUE(store().TrashPhoto(recent.id, At(kBase + 10 * kMinute)).ok());

  Result<std::vector<PhotoRecord>> due = store().ListTrashedBefore(At(kBase + 5 * kMinute), 10);
  ASSERT_TRUE(due.ok());
  EXPECT_THAT(Ids(*due), ElementsAreArray({old_theirs.id, old_mine.id}));
  EXPECT_THAT(Ids(*store().ListTrashedBefore(At(kBase + 5 * kMinute), 1)),
              ElementsAreArray({old_theirs.id}));
}

TEST_P(MetadataStoreConformanceTest, UsedBytesCountsTheTrashAndQuotaRefusesOverflow) {
  UserRecord other = AddUser();
  PhotoRecord a = MakeTestPhoto(owner(), At(kBase));
  a.bytes = 600;
  PhotoRecord b = MakeTestPhoto(owner(), At(kBase));
  b.bytes = 300;
  PhotoRecord theirs = MakeTestPhoto(other.id, At(kBase));
  theirs.bytes = 5000;
  ASSERT_TRUE(store().InsertPhoto(a, 1000).ok());
  ASSERT_TRUE(store().InsertPhoto(b, 1000).ok());
  ASSERT_TRUE(store().InsertPhoto(theirs).ok()) << "no quota";
  ASSERT_TRUE(store().TrashPhoto(b.id, At(kBase)).ok());
  EXPECT_EQ(*store().UsedBytes(owner()), 900) << "the trash still counts";
  EXPECT_EQ(*store().UsedBytes("nobody"), 0);

  PhotoRecord c = MakeTestPhoto(owner(), At(kBase));
  c.bytes = 101;
  Status over = store().InsertPhoto(c, 1000);
  EXPECT_EQ(over.code(), ErrorCode::kQuotaExceeded) << over.ToString();
  EXPECT_FALSE(over.public_detail().empty());
  EXPECT_EQ(store().GetPhoto(c.id).code(), ErrorCode::kNotFound);
  c.bytes = 100;
  EXPECT_TRUE(store().InsertPhoto(c, 1000).ok()) << "exactly full is allowed";
}

TEST_P(MetadataStoreConformanceTest, ConcurrentUploadsCannotPassTheQuotaTogether) {
  constexpr int kThreads = 8;
  std::vector<ErrorCode> codes(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      PhotoRecord p = MakeTestPhoto(owner(), At(kBase));
      p.bytes = 400;
      codes[t] = store().InsertPhoto(p, 1000).code();
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(std::count(codes.begin(), codes.end(), ErrorCode::kOk), 2);
  EXPECT_EQ(std::count(codes.begin(), codes.end(), ErrorCode::kQuotaExceeded), kThreads - 2);
  EXPECT_EQ(*store().UsedBytes(owner()), 800);
}

TEST_P(MetadataStoreConformanceTest, AdoptingUnownedPhotosNeedsAnExistingOwner) {
  EXPECT_EQ(store().AdoptUnownedPhotos("nobody").code(), ErrorCode::kNotFound);
  Result<int64_t> none = store().AdoptUnownedPhotos(owner());
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_EQ(*none, 0);
}

TEST_P(MetadataStoreConformanceTest, PingSucceeds) {
  Status s = store().Ping();
  EXPECT_TRUE(s.ok()) << s.ToString();
}

}  // namespace

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(MetadataStoreConformanceTest);

}  // namespace gallery::db::testing
