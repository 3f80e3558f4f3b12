#include "storage/upload_staging_conformance_testing.hpp"

#include <gmock/gmock.h>

#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "common/crypto.hpp"

namespace gallery::storage::testing {
namespace {

namespace fs = std::filesystem;
constexpr uint64_t kMiB = 1 << 20;

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(UploadStagingConformanceTest);

std::string RandomData(size_t size, unsigned seed) {
  std::mt19937 gen(seed);
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>(gen());
  return out;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// What the caller (the service, through the database) keeps between calls:
// the last committed offset and state. Checks that commits never go back.
class Committed {
 public:
  explicit Committed(std::string id, uint64_t length) : id_(std::move(id)), length_(length) {}

  // Makes the `n`-th commit from now fail (as when the claim was lost).
  void FailCommitNumber(int n) { fail_at_ = calls_ + n; }

  CommitStaged Fn() {
    return [this](uint64_t offset, const std::string& state) -> Status {
      ++calls_;
      if (calls_ == fail_at_) return Status(ErrorCode::kConflict, "the claim was lost");
      if (offset < offset_ || offset > length_) {
        return Status::Internal("commit at " + std::to_string(offset) + " after " +
                                std::to_string(offset_));
      }
      offset_ = offset;
      state_ = state;
      return Status::Ok();
    };
  }

  StagedUpload Upload() const { return StagedUpload{id_, length_, offset_, state_}; }
  uint64_t offset() const { return offset_; }
  const std::string& state() const { return state_; }
  int calls() const { return calls_; }

 private:
  std::string id_;
  uint64_t length_;
  uint64_t offset_ = 0;
  std::string state_;
  int calls_ = 0;
  int fail_at_ = -1;
};

}  // namespace

void PrintTo(const UploadStagingFactory& factory, std::ostream* os) { *os << factory.name; }

void UploadStagingConformanceTest::SetUp() {
  area_ = GetParam().make();
  ASSERT_TRUE(area_.open && area_.leftovers && area_.cleanup) << "incomplete staging area";
  staging_ = area_.open();
  ASSERT_NE(staging_, nullptr);
  scratch_dir_ = fs::temp_directory_path() / ("gallery-staging-scratch-" + NewId());
  fs::create_directories(scratch_dir_);
}

void UploadStagingConformanceTest::TearDown() {
  staging_.reset();
  if (area_.cleanup) area_.cleanup();
  std::error_code ignored;
  fs::remove_all(scratch_dir_, ignored);
}

fs::path UploadStagingConformanceTest::ScratchFile(std::string_view bytes) {
  fs::path path = scratch_dir_ / ("chunk-" + NewId());
  std::ofstream(path, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path;
}

namespace {

// Appends data[from, to) in one call, from memory or from a file.
Status AppendRange(UploadStaging& staging, Committed& committed, const std::string& data,
                   uint64_t from, uint64_t to, bool from_file,
                   const std::function<fs::path(std::string_view)>& scratch) {
  const std::string_view piece = std::string_view(data).substr(from, to - from);
  if (from_file) {
    return staging.Append(committed.Upload(), UploadBytes::InFile(scratch(piece), piece.size()),
                          committed.Fn());
  }
  return staging.Append(committed.Upload(), UploadBytes::InMemory(piece), committed.Fn());
}

std::string AssembledBytes(UploadStaging& staging, const StagedUpload& upload,
                           const fs::path& scratch) {
  Result<AssembledUpload> assembled = staging.Assemble(upload, scratch);
  EXPECT_TRUE(assembled.ok()) << assembled.status().ToString();
  if (!assembled.ok()) return {};
  std::string bytes = ReadFile(assembled->path);
  if (assembled->temporary) fs::remove(assembled->path);
  return bytes;
}

#define SCRATCH [this](std::string_view b) { return ScratchFile(b); }

TEST_P(UploadStagingConformanceTest, AppendsPiecesFromMemoryAndFilesAndAssemblesTheFile) {
  const std::string data = RandomData(13 * kMiB + 12345, 1);
  Committed committed(NewId(), data.size());
  // Pieces smaller and larger than an S3 part, from memory and from files.
  const uint64_t cuts[] = {0,
                           100 * 1024,
                           100 * 1024 + 6 * kMiB,
                           100 * 1024 + 6 * kMiB + 1,
                           100 * 1024 + 9 * kMiB + 1,
                           data.size()};
  for (size_t i = 0; i + 1 < std::size(cuts); ++i) {
    Status s = AppendRange(staging(), committed, data, cuts[i], cuts[i + 1], i % 2 == 1, SCRATCH);
    ASSERT_TRUE(s.ok()) << "piece " << i << ": " << s.ToString();
    EXPECT_EQ(committed.offset(), cuts[i + 1]) << "the last commit reaches the append's end";
  }
  EXPECT_EQ(AssembledBytes(staging(), committed.Upload(), scratch_dir()), data);
  ASSERT_TRUE(staging().Remove(committed.Upload().id, committed.state()).ok());
  EXPECT_THAT(area_.leftovers(committed.Upload().id), ::testing::IsEmpty());
}

TEST_P(UploadStagingConformanceTest, AnotherInstanceContinuesFromTheCommittedState) {
  const std::string data = RandomData(12 * kMiB, 2);
  Committed committed(NewId(), data.size());
  ASSERT_TRUE(AppendRange(staging(), committed, data, 0, 3 * kMiB, false, SCRATCH).ok());
  std::unique_ptr<UploadStaging> second = area_.open();
  ASSERT_TRUE(AppendRange(*second, committed, data, 3 * kMiB, 7 * kMiB + 5, true, SCRATCH).ok());
  std::unique_ptr<UploadStaging> third = area_.open();
  ASSERT_TRUE(AppendRange(*third, committed, data, 7 * kMiB + 5, data.size(), false, SCRATCH).ok());
  std::unique_ptr<UploadStaging> fourth = area_.open();
  EXPECT_EQ(AssembledBytes(*fourth, committed.Upload(), scratch_dir()), data);
  ASSERT_TRUE(fourth->Remove(committed.Upload().id, committed.state()).ok());
}

TEST_P(UploadStagingConformanceTest, BytesOfAnUncommittedAppendAreReplacedByTheNext) {
  const std::string first_try = RandomData(11 * kMiB, 3);
  const std::string data = RandomData(11 * kMiB, 4);
  Committed committed(NewId(), data.size());
  ASSERT_TRUE(AppendRange(staging(), committed, data, 0, kMiB, false, SCRATCH).ok());
  // The writer loses its claim at its first commit: nothing more counts.
  committed.FailCommitNumber(1);
  EXPECT_EQ(AppendRange(staging(), committed, first_try, kMiB, data.size(), true, SCRATCH).code(),
            ErrorCode::kConflict);
  EXPECT_EQ(committed.offset(), kMiB);
  // The next writer appends other bytes at the same offset.
  ASSERT_TRUE(AppendRange(staging(), committed, data, kMiB, data.size(), true, SCRATCH).ok());
  EXPECT_EQ(AssembledBytes(staging(), committed.Upload(), scratch_dir()), data);
  ASSERT_TRUE(staging().Remove(committed.Upload().id, committed.state()).ok());
  EXPECT_THAT(area_.leftovers(committed.Upload().id), ::testing::IsEmpty());
}

TEST_P(UploadStagingConformanceTest, AnAppendStoppedMidWayResumesFromItsLastCommit) {
  const std::string data = RandomData(16 * kMiB + 7, 5);
  Committed committed(NewId(), data.size());
  committed.FailCommitNumber(2);
  Status s = AppendRange(staging(), committed, data, 0, data.size(), true, SCRATCH);
  if (committed.calls() >= 2) {
    EXPECT_EQ(s.code(), ErrorCode::kConflict) << "the commit's error is the append's";
  } else {
    EXPECT_TRUE(s.ok()) << s.ToString();  // one step only: nothing to stop
  }
  if (committed.offset() < data.size()) {
    ASSERT_TRUE(
        AppendRange(staging(), committed, data, committed.offset(), data.size(), false, SCRATCH)
            .ok());
  }
  EXPECT_EQ(AssembledBytes(staging(), committed.Upload(), scratch_dir()), data);
  ASSERT_TRUE(staging().Remove(committed.Upload().id, committed.state()).ok());
}

TEST_P(UploadStagingConformanceTest, RefusesEmptyAppendsAppendsPastTheEndAndBadIds) {
  Committed committed(NewId(), 10);
  EXPECT_EQ(staging().Append(committed.Upload(), UploadBytes::InMemory(""), committed.Fn()).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(staging()
                .Append(committed.Upload(), UploadBytes::InMemory("01234567890"), committed.Fn())
                .code(),
            ErrorCode::kInvalidArgument);
  StagedUpload bad = committed.Upload();
  for (const std::string& id : {std::string(), std::string("../x"), std::string("a/b"),
                                std::string("a.b"), std::string(65, 'a')}) {
    bad.id = id;
    EXPECT_EQ(staging().Append(bad, UploadBytes::InMemory("0"), committed.Fn()).code(),
              ErrorCode::kInvalidArgument)
        << id;
    EXPECT_EQ(staging().Remove(id, "").code(), ErrorCode::kInvalidArgument) << id;
    EXPECT_EQ(staging().Assemble(bad, scratch_dir()).code(), ErrorCode::kInvalidArgument) << id;
  }
  EXPECT_EQ(committed.calls(), 0);
  EXPECT_THAT(area_.leftovers(committed.Upload().id), ::testing::IsEmpty());
}

TEST_P(UploadStagingConformanceTest, AssembleNeedsEveryByteAndMayBeRepeated) {
  const std::string data = RandomData(6 * kMiB + 3, 6);
  Committed committed(NewId(), data.size());
  ASSERT_TRUE(AppendRange(staging(), committed, data, 0, 2 * kMiB, false, SCRATCH).ok());
  EXPECT_EQ(staging().Assemble(committed.Upload(), scratch_dir()).code(),
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(AppendRange(staging(), committed, data, 2 * kMiB, data.size(), true, SCRATCH).ok());
  EXPECT_EQ(AssembledBytes(staging(), committed.Upload(), scratch_dir()), data);
  EXPECT_EQ(AssembledBytes(*area_.open(), committed.Upload(), scratch_dir()), data) << "again";
  ASSERT_TRUE(staging().Remove(committed.Upload().id, committed.state()).ok());
}

TEST_P(UploadStagingConformanceTest, RemoveLeavesNothingAndMayBeRepeated) {
  const std::string data = RandomData(8 * kMiB, 7);
  Committed committed(NewId(), data.size() + 100);
  // Parts and a tail, or a partial file: whatever the staging keeps.
  ASSERT_TRUE(AppendRange(staging(), committed, data, 0, 6 * kMiB, false, SCRATCH).ok());
  ASSERT_TRUE(AppendRange(staging(), committed, data, 6 * kMiB, data.size(), false, SCRATCH).ok());
  EXPECT_THAT(area_.leftovers(committed.Upload().id), ::testing::Not(::testing::IsEmpty()));
  ASSERT_TRUE(area_.open()->Remove(committed.Upload().id, committed.state()).ok());
  EXPECT_THAT(area_.leftovers(committed.Upload().id), ::testing::IsEmpty());
  EXPECT_TRUE(staging().Remove(committed.Upload().id, committed.state()).ok()) << "twice";
  EXPECT_TRUE(staging().Remove(NewId(), "").ok()) << "never staged";
}

TEST_P(UploadStagingConformanceTest, UploadsAreIndependentAndMayRunAtOnce) {
  constexpr int kUploads = 3;
  std::vector<std::string> data;
  std::vector<std::unique_ptr<Committed>> committed;
  for (int i = 0; i < kUploads; ++i) {
    data.push_back(RandomData(6 * kMiB + i, 10 + i));
    committed.push_back(std::make_unique<Committed>(NewId(), data.back().size()));
  }
  std::vector<Status> results(kUploads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kUploads; ++i) {
    threads.emplace_back([&, i] {
      for (uint64_t from = 0; from < data[i].size() && results[i].ok(); from += 2 * kMiB) {
        const uint64_t to = std::min<uint64_t>(from + 2 * kMiB, data[i].size());
        results[i] = staging().Append(
            committed[i]->Upload(),
            UploadBytes::InMemory(std::string_view(data[i]).substr(from, to - from)),
            committed[i]->Fn());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < kUploads; ++i) {
    ASSERT_TRUE(results[i].ok()) << results[i].ToString();
    EXPECT_EQ(AssembledBytes(staging(), committed[i]->Upload(), scratch_dir()), data[i]);
    ASSERT_TRUE(staging().Remove(committed[i]->Upload().id, committed[i]->state()).ok());
  }
}

#undef SCRATCH

}  // namespace
}  // namespace gallery::storage::testing
