#include "storage/blob_store_conformance_testing.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "common/crypto.hpp"

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(BlobStoreConformanceTest);

namespace gallery::storage::testing {

void PrintTo(const BlobStoreFactory& factory, std::ostream* os) {
  *os << "BlobStoreFactory{" << factory.name << "}";
}

void BlobStoreConformanceTest::SetUp() {
  scratch_dir_ = std::filesystem::path(::testing::TempDir()) / ("blob-conformance-" + NewId());
  std::filesystem::create_directories(scratch_dir_);
  store_ = GetParam().make();
  ASSERT_NE(store_, nullptr) << "factory " << GetParam().name << " made no store";
}

void BlobStoreConformanceTest::TearDown() {
  store_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(scratch_dir_, ignored);
}

std::filesystem::path BlobStoreConformanceTest::WriteScratchFile(std::string_view name,
                                                                 std::string_view bytes) {
  std::filesystem::path path = scratch_dir_ / name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  EXPECT_TRUE(out) << "cannot write " << path;
  return path;
}

std::filesystem::path BlobStoreConformanceTest::MissingScratchFile() const {
  return scratch_dir_ / "does-not-exist";
}

namespace {

using ::testing::AssertionFailure;
using ::testing::AssertionResult;
using ::testing::AssertionSuccess;
using namespace std::chrono_literals;

AssertionResult IsOk(const Status& status) {
  if (status.ok()) return AssertionSuccess();
  return AssertionFailure() << status.ToString();
}

template <typename T>
AssertionResult IsOk(const Result<T>& result) {
  return IsOk(result.status());
}

AssertionResult HasCode(const Status& status, ErrorCode code) {
  if (status.code() == code) return AssertionSuccess();
  return AssertionFailure() << "expected " << ErrorCodeSlug(code) << ", got "
                            << (status.ok() ? "OK" : status.ToString());
}

template <typename T>
AssertionResult HasCode(const Result<T>& result, ErrorCode code) {
  return HasCode(result.status(), code);
}

// Deterministic bytes of every value (NULs included) that do not repeat with
// a short period, so that a misplaced range or chunk shows.
std::string Pattern(size_t size, uint32_t seed) {
  std::string bytes(size, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (char& c : bytes) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x >> 24);
  }
  return bytes;
}

// Compares without printing megabytes on failure.
AssertionResult SameBytes(std::string_view actual, std::string_view expected) {
  if (actual == expected) return AssertionSuccess();
  if (actual.size() != expected.size()) {
    return AssertionFailure() << "size " << actual.size() << ", expected " << expected.size();
  }
  size_t at = std::mismatch(actual.begin(), actual.end(), expected.begin()).first - actual.begin();
  return AssertionFailure() << "bytes differ from offset " << at << " of " << actual.size();
}

// Joins parts. (Also avoids GCC 12's false -Wrestrict on "literal" + string&&.)
template <typename... Parts>
std::string Cat(const Parts&... parts) {
  std::string out;
  (out.append(std::string_view(parts)), ...);
  return out;
}

// The whole object's bytes, or "<error>" text that no test expects.
std::string ReadAll(BlobStore& store, std::string_view key) {
  Result<BlobData> data = store.Get(key);
  if (!data.ok()) return Cat("<", data.status().ToString(), ">");
  return std::move(data).value().bytes;
}

std::vector<std::string> KeysOf(const ListPage& page) {
  std::vector<std::string> keys;
  for (const BlobInfo& info : page.blobs) keys.push_back(info.key);
  return keys;
}

// Lists everything with `prefix`, page by page.
std::vector<std::string> ListAll(BlobStore& store, std::string_view prefix, size_t page_size) {
  std::vector<std::string> keys;
  std::string start_after;
  for (int pages = 0; pages < 10000; ++pages) {
    Result<ListPage> page = store.List(prefix, start_after, page_size);
    EXPECT_TRUE(IsOk(page));
    if (!page.ok()) break;
    EXPECT_LE(page->blobs.size(), page_size);
    for (const BlobInfo& info : page->blobs) keys.push_back(info.key);
    if (!page->next_start_after) break;
    EXPECT_FALSE(page->blobs.empty()) << "a page that promises more must not be empty";
    EXPECT_EQ(*page->next_start_after, page->blobs.back().key);
    start_after = *page->next_start_after;
  }
  return keys;
}

// Collects failures from worker threads; reported on the test thread.
class ThreadErrors {
 public:
  void Add(std::string error) {
    std::lock_guard lock(mutex_);
    if (errors_.size() < 20) errors_.push_back(std::move(error));
    ++count_;
  }
  AssertionResult None() const {
    std::lock_guard lock(mutex_);
    if (count_ == 0) return AssertionSuccess();
    AssertionResult result = AssertionFailure() << count_ << " failures, first ones:";
    for (const std::string& e : errors_) result << "\n  " << e;
    return result;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> errors_;
  size_t count_ = 0;
};

// Where the clock of a store (a file system, a remote S3) may differ from
// this process's clock, and how coarse its timestamps may be.
constexpr auto kClockSlack = 30s;

// ---- Put and Get ----

TEST_P(BlobStoreConformanceTest, PutThenGetReturnsTheBytes) {
  ASSERT_TRUE(IsOk(store().Put("photos/abc/original", "hello world", {})));
  Result<BlobData> data = store().Get("photos/abc/original");
  ASSERT_TRUE(IsOk(data));
  EXPECT_EQ(data->bytes, "hello world");
  EXPECT_EQ(data->total_size, 11u);
}

TEST_P(BlobStoreConformanceTest, EmptyObjectRoundTrips) {
  ASSERT_TRUE(IsOk(store().Put("empty", "", {})));
  for (ByteRange range : {ByteRange{}, ByteRange{0, 10}, ByteRange{5, std::nullopt}}) {
    // An offset past the end of an empty object is not an error (size > 0
    // is what makes a range unsatisfiable).
    Result<BlobData> data = store().Get("empty", range);
    ASSERT_TRUE(IsOk(data)) << "offset " << range.offset;
    EXPECT_EQ(data->bytes, "");
    EXPECT_EQ(data->total_size, 0u);
  }
  Result<BlobInfo> info = store().Head("empty");
  ASSERT_TRUE(IsOk(info));
  EXPECT_EQ(info->size, 0u);
}

TEST_P(BlobStoreConformanceTest, BinaryBytesWithNulsRoundTrip) {
  std::string bytes;
  for (int i = 0; i < 1024; ++i) bytes += static_cast<char>(i % 256);
  bytes += std::string(100, '\0');
  ASSERT_TRUE(IsOk(store().Put("bin", bytes, {})));
  EXPECT_TRUE(SameBytes(ReadAll(store(), "bin"), bytes));
  Result<BlobData> part = store().Get("bin", {250, 12});  // across a NUL
  ASSERT_TRUE(IsOk(part));
  EXPECT_EQ(part->bytes, bytes.substr(250, 12));
}

TEST_P(BlobStoreConformanceTest, PutFileStreamsALargeFile) {
  constexpr size_t kSize = 20 << 20;
  const std::string bytes = Pattern(kSize, 1);
  std::filesystem::path source = WriteScratchFile("large", bytes);
  ASSERT_TRUE(IsOk(store().PutFile("photos/large/original", source, {})));

  Result<BlobInfo> info = store().Head("photos/large/original");
  ASSERT_TRUE(IsOk(info));
  EXPECT_EQ(info->size, kSize);
  EXPECT_TRUE(SameBytes(ReadAll(store(), "photos/large/original"), bytes));
  Result<BlobData> middle = store().Get("photos/large/original", {(10 << 20) - 3, 4096});
  ASSERT_TRUE(IsOk(middle));
  EXPECT_TRUE(SameBytes(middle->bytes, std::string_view(bytes).substr((10 << 20) - 3, 4096)));
  EXPECT_EQ(middle->total_size, kSize);

  // The source is left as it was.
  std::ifstream in(source, std::ios::binary);
  std::string after((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_TRUE(SameBytes(after, bytes));
}

TEST_P(BlobStoreConformanceTest, PutFileOfSmallAndEmptyFiles) {
  ASSERT_TRUE(IsOk(store().PutFile("small", WriteScratchFile("small", "abc"), {})));
  EXPECT_EQ(ReadAll(store(), "small"), "abc");
  ASSERT_TRUE(IsOk(store().PutFile("nothing", WriteScratchFile("nothing", ""), {})));
  EXPECT_EQ(ReadAll(store(), "nothing"), "");
}

TEST_P(BlobStoreConformanceTest, PutFileOfMissingSourceIsNotFoundAndKeepsTheObject) {
  ASSERT_TRUE(IsOk(store().Put("kept", "previous", {})));
  EXPECT_TRUE(HasCode(store().PutFile("kept", MissingScratchFile(), {}), ErrorCode::kNotFound));
  EXPECT_EQ(ReadAll(store(), "kept"), "previous");

  EXPECT_TRUE(HasCode(store().PutFile("new", MissingScratchFile(), {}), ErrorCode::kNotFound));
  EXPECT_TRUE(HasCode(store().Head("new"), ErrorCode::kNotFound));
}

TEST_P(BlobStoreConformanceTest, PutReplacesTheObject) {
  ASSERT_TRUE(IsOk(store().Put("k", "a longer first version", {})));
  ASSERT_TRUE(IsOk(store().Put("k", "short", {})));
  EXPECT_EQ(ReadAll(store(), "k"), "short");
  Result<BlobInfo> info = store().Head("k");
  ASSERT_TRUE(IsOk(info));
  EXPECT_EQ(info->size, 5u);

  ASSERT_TRUE(IsOk(store().PutFile("k", WriteScratchFile("v3", "third"), {})));
  EXPECT_EQ(ReadAll(store(), "k"), "third");
  ASSERT_TRUE(IsOk(store().Put("k", "fourth!", {})));
  EXPECT_EQ(ReadAll(store(), "k"), "fourth!");
}

// ---- Ranges ----

TEST_P(BlobStoreConformanceTest, GetReadsRanges) {
  ASSERT_TRUE(IsOk(store().Put("digits", "0123456789", {})));
  struct Case {
    ByteRange range;
    std::string expected;
  };
  for (const Case& c : std::vector<Case>{
           {{0, std::nullopt}, "0123456789"},
           {{3, 4}, "3456"},            // middle
           {{7, std::nullopt}, "789"},  // to the end
           {{8, 100}, "89"},            // length past the end: clipped
           {{9, 1}, "9"},               // last byte
           {{0, 1}, "0"},               // first byte
           {{4, 0}, ""},                // nothing, inside the object
       }) {
    Result<BlobData> data = store().Get("digits", c.range);
    ASSERT_TRUE(IsOk(data)) << "offset " << c.range.offset;
    EXPECT_EQ(data->bytes, c.expected) << "offset " << c.range.offset;
    EXPECT_EQ(data->total_size, 10u);
  }
}

TEST_P(BlobStoreConformanceTest, GetFromOffsetAtOrAfterTheEndIsRangeNotSatisfiable) {
  ASSERT_TRUE(IsOk(store().Put("digits", "0123456789", {})));
  for (ByteRange range : {ByteRange{10, std::nullopt}, ByteRange{10, 1}, ByteRange{11, 5},
                          ByteRange{uint64_t{1} << 40, std::nullopt}}) {
    EXPECT_TRUE(HasCode(store().Get("digits", range), ErrorCode::kRangeNotSatisfiable))
        << "offset " << range.offset;
  }
}

// ---- Head, Delete ----

TEST_P(BlobStoreConformanceTest, GetAndHeadOfAMissingKeyAreNotFound) {
  EXPECT_TRUE(HasCode(store().Get("missing"), ErrorCode::kNotFound));
  EXPECT_TRUE(HasCode(store().Head("missing"), ErrorCode::kNotFound));
  EXPECT_TRUE(HasCode(store().Get("no/such/dir/key"), ErrorCode::kNotFound));
  EXPECT_TRUE(HasCode(store().Head("no/such/dir/key"), ErrorCode::kNotFound));
  // A key that is only a prefix of other keys is no object either.
  ASSERT_TRUE(IsOk(store().Put("dir/child", "x", {})));
  EXPECT_TRUE(HasCode(store().Get("dir"), ErrorCode::kNotFound));
  EXPECT_TRUE(HasCode(store().Head("dir"), ErrorCode::kNotFound));
  EXPECT_TRUE(IsOk(store().Delete("dir")));
  EXPECT_EQ(ReadAll(store(), "dir/child"), "x");
}

TEST_P(BlobStoreConformanceTest, HeadReportsSizeAndModificationTime) {
  Clock::time_point before = Clock::now();
  ASSERT_TRUE(IsOk(store().Put("photos/h/original", "12345", {})));
  Clock::time_point after = Clock::now();
  Result<BlobInfo> info = store().Head("photos/h/original");
  ASSERT_TRUE(IsOk(info));
  EXPECT_EQ(info->key, "photos/h/original");
  EXPECT_EQ(info->size, 5u);
  EXPECT_GE(info->last_modified, before - kClockSlack);
  EXPECT_LE(info->last_modified, after + kClockSlack);

  ASSERT_TRUE(IsOk(store().Put("photos/h/original", "1234567", {})));
  Result<BlobInfo> again = store().Head("photos/h/original");
  ASSERT_TRUE(IsOk(again));
  EXPECT_EQ(again->size, 7u);
  EXPECT_GE(again->last_modified, info->last_modified);
}

TEST_P(BlobStoreConformanceTest, DeleteRemovesAndIsIdempotent) {
  ASSERT_TRUE(IsOk(store().Put("photos/d/original", "x", {})));
  ASSERT_TRUE(IsOk(store().Delete("photos/d/original")));
  EXPECT_TRUE(HasCode(store().Get("photos/d/original"), ErrorCode::kNotFound));
  EXPECT_TRUE(HasCode(store().Head("photos/d/original"), ErrorCode::kNotFound));
  EXPECT_TRUE(IsOk(store().Delete("photos/d/original")));
  EXPECT_TRUE(IsOk(store().Delete("never/there")));
  Result<ListPage> page = store().List("", "", 10);
  ASSERT_TRUE(IsOk(page));
  EXPECT_TRUE(page->blobs.empty());
}

TEST_P(BlobStoreConformanceTest, DeleteKeepsSiblingsAndTheKeyCanBeReused) {
  ASSERT_TRUE(IsOk(store().Put("a/b/1", "one", {})));
  ASSERT_TRUE(IsOk(store().Put("a/b/2", "two", {})));
  ASSERT_TRUE(IsOk(store().Delete("a/b/1")));
  EXPECT_EQ(ReadAll(store(), "a/b/2"), "two");
  ASSERT_TRUE(IsOk(store().Delete("a/b/2")));
  // Everything below "a" is gone; puts there work again.
  ASSERT_TRUE(IsOk(store().Put("a/b/1", "again", {})));
  ASSERT_TRUE(IsOk(store().Put("a/c/d/e", "deeper", {})));
  EXPECT_EQ(ReadAll(store(), "a/b/1"), "again");
  EXPECT_EQ(ReadAll(store(), "a/c/d/e"), "deeper");
}

// ---- List ----

// Keys whose bytewise order differs from a naive directory walk's: "-" and
// "." sort before "/", and "0", "B", "_" around letters.
const std::vector<std::string>& ListKeys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k = {"p/a-b", "p/a.b",  "p/a/b", "p/a/c/d", "p/a0", "p/a_",
                                  "p/B",   "p/a/c-", "q/x",   ".dot",    "z",    "Z"};
    std::sort(k.begin(), k.end());
    return k;
  }();
  return keys;
}

void PutListKeys(BlobStore& store) {
  for (size_t i = 0; i < ListKeys().size(); ++i) {
    ASSERT_TRUE(IsOk(store.Put(ListKeys()[i], std::string(i + 1, 'x'), {}))) << ListKeys()[i];
  }
}

std::vector<std::string> ListKeysWith(std::string_view prefix) {
  std::vector<std::string> out;
  for (const std::string& k : ListKeys()) {
    if (k.starts_with(prefix)) out.push_back(k);
  }
  return out;
}

TEST_P(BlobStoreConformanceTest, ListReturnsEveryKeyInOrderWithSizes) {
  ASSERT_NO_FATAL_FAILURE(PutListKeys(store()));
  Clock::time_point now = Clock::now();
  Result<ListPage> page = store().List("", "", 1000);
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(KeysOf(*page), ListKeys());
  EXPECT_FALSE(page->next_start_after);
  for (const BlobInfo& info : page->blobs) {
    size_t index = std::find(ListKeys().begin(), ListKeys().end(), info.key) - ListKeys().begin();
    EXPECT_EQ(info.size, index + 1) << info.key;
    EXPECT_GE(info.last_modified, now - kClockSlack - 60s) << info.key;
    EXPECT_LE(info.last_modified, now + kClockSlack) << info.key;
  }
}

TEST_P(BlobStoreConformanceTest, ListFiltersByPrefix) {
  ASSERT_NO_FATAL_FAILURE(PutListKeys(store()));
  for (std::string prefix : {"p/", "p/a", "p/a/", "p/a/c", "p/a/c/", "q", "z", ".", "p/a/c/d", "",
                             "nothing", "p/ax", "p/a/b/"}) {
    Result<ListPage> page = store().List(prefix, "", 1000);
    ASSERT_TRUE(IsOk(page)) << prefix;
    EXPECT_EQ(KeysOf(*page), ListKeysWith(prefix)) << "prefix \"" << prefix << "\"";
    EXPECT_FALSE(page->next_start_after) << prefix;
  }
}

TEST_P(BlobStoreConformanceTest, ListStartsAfterTheGivenKey) {
  ASSERT_NO_FATAL_FAILURE(PutListKeys(store()));
  // start_after need not be a key; it may sort anywhere.
  for (std::string start_after :
       {"p/a.b", "p/a/", "p/a/b", "p/a/bb", "p/a/c", "p/a/c/d", "p", "A", "zz", ".", "p/a/c-"}) {
    for (std::string prefix : {"", "p/", "p/a/"}) {
      std::vector<std::string> expected;
      for (const std::string& k : ListKeysWith(prefix)) {
        if (k > start_after) expected.push_back(k);
      }
      Result<ListPage> page = store().List(prefix, start_after, 1000);
      ASSERT_TRUE(IsOk(page));
      EXPECT_EQ(KeysOf(*page), expected)
          << "prefix \"" << prefix << "\", start_after \"" << start_after << "\"";
    }
  }
}

TEST_P(BlobStoreConformanceTest, ListPaginatesWithoutGapsOrRepeats) {
  ASSERT_NO_FATAL_FAILURE(PutListKeys(store()));
  for (size_t limit = 1; limit <= ListKeys().size() + 1; ++limit) {
    EXPECT_EQ(ListAll(store(), "", limit), ListKeys()) << "limit " << limit;
    EXPECT_EQ(ListAll(store(), "p/", limit), ListKeysWith("p/")) << "limit " << limit;
  }
  // A page that ends exactly at the last key says no more follow.
  Result<ListPage> all = store().List("", "", ListKeys().size());
  ASSERT_TRUE(IsOk(all));
  EXPECT_EQ(all->blobs.size(), ListKeys().size());
  EXPECT_FALSE(all->next_start_after);
  Result<ListPage> first = store().List("", "", 3);
  ASSERT_TRUE(IsOk(first));
  ASSERT_EQ(first->blobs.size(), 3u);
  ASSERT_TRUE(first->next_start_after);
  EXPECT_EQ(*first->next_start_after, ListKeys()[2]);
}

TEST_P(BlobStoreConformanceTest, ListOfAnEmptyStoreOrImpossiblePrefixIsEmpty) {
  Result<ListPage> empty = store().List("", "", 10);
  ASSERT_TRUE(IsOk(empty));
  EXPECT_TRUE(empty->blobs.empty());
  EXPECT_FALSE(empty->next_start_after);

  ASSERT_TRUE(IsOk(store().Put("a/b", "x", {})));
  // Prefixes only filter: ones that no key can have find nothing, and never
  // reach outside the store.
  for (std::string prefix : {"../", "/", "a//", "a/../", "~", "a\\", "../../etc/"}) {
    Result<ListPage> page = store().List(prefix, "", 10);
    ASSERT_TRUE(IsOk(page)) << prefix;
    EXPECT_TRUE(page->blobs.empty()) << prefix;
  }
}

TEST_P(BlobStoreConformanceTest, ListRejectsZeroLimit) {
  EXPECT_TRUE(HasCode(store().List("", "", 0), ErrorCode::kInvalidArgument));
}

// ---- Keys ----

TEST_P(BlobStoreConformanceTest, UnusualButValidKeysRoundTrip) {
  // 255 + 1 + 255 + 1 + 254 + 2 = 768 bytes, segments up to the longest.
  std::string longest =
      std::string(255, 'a') + "/" + std::string(255, 'b') + "/" + std::string(254, 'c') + "/d";
  ASSERT_EQ(longest.size(), kMaxBlobKeyLength);
  std::vector<std::string> keys = {".hidden", "a/.b",    "a..b",       "-",    "_",
                                   "...",     "x/.../y", "A-Z.a_z0-9", longest};
  for (const std::string& key : keys) {
    ASSERT_TRUE(IsOk(store().Put(key, "v:" + key, {}))) << key;
  }
  for (const std::string& key : keys) EXPECT_EQ(ReadAll(store(), key), "v:" + key) << key;
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(ListAll(store(), "", 4), keys);
}

TEST_P(BlobStoreConformanceTest, InvalidKeysAreRefusedByEveryMethod) {
  std::filesystem::path source = WriteScratchFile("source", "bytes");
  std::vector<std::string> bad = {
      "",
      "../x",
      "/abs",
      "a//b",
      "a/./b",
      "a/../b",
      ".",
      "..",
      "a/",
      "a\\b",
      "a b",
      "é",
      "a?b",
      "a:b",
      "~tmp",
      "a/~",
      "a\nb",
      "..\\x",
      "./a",
      "a/..",
      "a/.",
      "//",
      "/",
      std::string("a\0b", 3),
      std::string(kMaxBlobKeyLength + 1, 'a'),
      "a/" + std::string(kMaxBlobKeySegmentLength + 1, 'b'),
  };
  for (const std::string& key : bad) {
    SCOPED_TRACE("key \"" + key.substr(0, 40) + "\" (" + std::to_string(key.size()) + " bytes)");
    EXPECT_TRUE(HasCode(ValidateBlobKey(key), ErrorCode::kInvalidArgument));
    EXPECT_TRUE(HasCode(store().Put(key, "x", {}), ErrorCode::kInvalidArgument));
    EXPECT_TRUE(HasCode(store().PutFile(key, source, {}), ErrorCode::kInvalidArgument));
    EXPECT_TRUE(HasCode(store().Get(key), ErrorCode::kInvalidArgument));
    EXPECT_TRUE(HasCode(store().Head(key), ErrorCode::kInvalidArgument));
    EXPECT_TRUE(HasCode(store().Delete(key), ErrorCode::kInvalidArgument));
  }
  // Nothing was stored.
  Result<ListPage> page = store().List("", "", 10);
  ASSERT_TRUE(IsOk(page));
  EXPECT_TRUE(page->blobs.empty());
}

TEST_P(BlobStoreConformanceTest, AKeyAndKeysBelowItNeverClobberEachOther) {
  // Object stores hold both "c" and "c/d"; file system stores refuse the
  // second with kConflict. Either way the first object stays intact.
  ASSERT_TRUE(IsOk(store().Put("c", "file", {})));
  Status below = store().Put("c/d", "below", {});
  EXPECT_TRUE(below.ok() || below.code() == ErrorCode::kConflict) << below.ToString();
  EXPECT_EQ(ReadAll(store(), "c"), "file");
  if (below.ok()) {
    EXPECT_EQ(ReadAll(store(), "c/d"), "below");
  } else {
    EXPECT_TRUE(HasCode(store().Head("c/d"), ErrorCode::kNotFound));
  }

  ASSERT_TRUE(IsOk(store().Put("e/f", "below", {})));
  Status above = store().PutFile("e", WriteScratchFile("above", "above"), {});
  EXPECT_TRUE(above.ok() || above.code() == ErrorCode::kConflict) << above.ToString();
  EXPECT_EQ(ReadAll(store(), "e/f"), "below");
  if (above.ok()) {
    EXPECT_EQ(ReadAll(store(), "e"), "above");
  } else {
    EXPECT_TRUE(HasCode(store().Head("e"), ErrorCode::kNotFound));
  }

  std::vector<std::string> expected = {"c", "e/f"};
  if (below.ok()) expected.push_back("c/d");
  if (above.ok()) expected.push_back("e");
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(ListAll(store(), "", 10), expected);
}

// ---- Concurrency ----

TEST_P(BlobStoreConformanceTest, ConcurrentPutsAndGetsOfDifferentKeys) {
  constexpr int kThreads = 4;
  constexpr int kObjectsPerThread = 15;
  ThreadErrors errors;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kObjectsPerThread; ++i) {
        std::string key = Cat("t", std::to_string(t), "/o", std::to_string(i));
        std::string bytes = Pattern(1000 + 37 * i, t * 100 + i);
        if (Status s = store().Put(key, bytes, {}); !s.ok()) {
          errors.Add("Put " + key + ": " + s.ToString());
          continue;
        }
        if (ReadAll(store(), key) != bytes) errors.Add("Get " + key + ": wrong bytes");
        Result<BlobInfo> info = store().Head(key);
        if (!info.ok() || info->size != bytes.size()) errors.Add("Head " + key + ": wrong");
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_TRUE(errors.None());
  EXPECT_EQ(ListAll(store(), "", 100).size(), size_t{kThreads * kObjectsPerThread});
}

// Version v of the shared object: every byte is v, and its size follows
// from v, so a torn read (parts of two versions) cannot pass the check.
std::string Version(uint8_t v) { return std::string(4096 + size_t{v} * 256, static_cast<char>(v)); }

bool IsWholeVersion(const BlobData& data) {
  if (data.bytes.empty() || data.total_size != data.bytes.size()) return false;
  uint8_t v = static_cast<uint8_t>(data.bytes[0]);
  return data.bytes == Version(v);
}

TEST_P(BlobStoreConformanceTest, ConcurrentReadersOnlyEverSeeWholeVersions) {
  constexpr int kVersionsPerWriter = 20;
  const std::string key = "shared/object";
  ASSERT_TRUE(IsOk(store().Put(key, Version(1), {})));
  // Writer 1 uses PutFile: write its sources first, off the clock.
  std::vector<std::filesystem::path> sources;
  for (int i = 0; i < kVersionsPerWriter; ++i) {
    sources.push_back(WriteScratchFile(Cat("v", std::to_string(i)), Version(100 + i)));
  }

  ThreadErrors errors;
  std::atomic<int> writers_left = 2;
  std::atomic<int> reads = 0;
  std::vector<std::thread> threads;
  threads.emplace_back([&] {
    for (int i = 0; i < kVersionsPerWriter; ++i) {
      if (Status s = store().Put(key, Version(2 + i), {}); !s.ok()) {
        errors.Add("Put: " + s.ToString());
      }
    }
    --writers_left;
  });
  threads.emplace_back([&] {
    for (int i = 0; i < kVersionsPerWriter; ++i) {
      if (Status s = store().PutFile(key, sources[i], {}); !s.ok()) {
        errors.Add("PutFile: " + s.ToString());
      }
    }
    --writers_left;
  });
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&] {
      // At least a few reads even if the writers are done first.
      for (int i = 0; writers_left > 0 || i < 5; ++i) {
        Result<BlobData> data = store().Get(key);
        ++reads;
        if (!data.ok()) {
          errors.Add("Get: " + data.status().ToString());
        } else if (!IsWholeVersion(*data)) {
          errors.Add("Get saw a torn object of " + std::to_string(data->bytes.size()) + " bytes");
        }
        Result<BlobInfo> info = store().Head(key);
        if (!info.ok()) errors.Add("Head: " + info.status().ToString());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_TRUE(errors.None());
  EXPECT_GE(reads.load(), 10);
  Result<BlobData> last = store().Get(key);
  ASSERT_TRUE(IsOk(last));
  EXPECT_TRUE(IsWholeVersion(*last));
  uint8_t v = static_cast<uint8_t>(last->bytes[0]);
  EXPECT_TRUE(v == 1 + kVersionsPerWriter || v == 100 + kVersionsPerWriter - 1)
      << "the last object is version " << int{v} << ", not the last of a writer";
}

TEST_P(BlobStoreConformanceTest, ConcurrentPutsAndDeletesOfNeighboursNeverFail) {
  // Deleting the last object of a "directory" while another thread puts into
  // it must not make that Put fail (file system stores remove empty
  // directories on Delete).
  constexpr int kRounds = 25;
  const std::vector<std::string> keys = {"s/d/a", "s/d/e/b", "s/c", "s/d/e/f/g"};
  ThreadErrors errors;
  std::vector<std::thread> threads;
  for (const std::string& key : keys) {
    threads.emplace_back([&, key] {
      for (int i = 0; i < kRounds; ++i) {
        std::string bytes = key + "#" + std::to_string(i);
        if (Status s = store().Put(key, bytes, {}); !s.ok()) {
          errors.Add("Put " + key + ": " + s.ToString());
          continue;
        }
        if (std::string got = ReadAll(store(), key); got != bytes) {
          errors.Add("Get " + key + ": " + got);
        }
        if (Status s = store().Delete(key); !s.ok()) {
          errors.Add("Delete " + key + ": " + s.ToString());
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_TRUE(errors.None());
  EXPECT_EQ(ListAll(store(), "", 10), std::vector<std::string>{});
}

// ---- Ping ----

TEST_P(BlobStoreConformanceTest, PingSucceeds) {
  EXPECT_TRUE(IsOk(store().Ping()));
  ASSERT_TRUE(IsOk(store().Put("k", "v", {})));
  EXPECT_TRUE(IsOk(store().Ping()));
  // Ping leaves nothing visible behind.
  EXPECT_EQ(ListAll(store(), "", 10), std::vector<std::string>{"k"});
}

}  // namespace
}  // namespace gallery::storage::testing
