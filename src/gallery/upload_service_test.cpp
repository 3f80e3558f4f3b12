#include "gallery/upload_service.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/crypto.hpp"
#include "db/account_stores_conformance_testing.hpp"
#include "db/sqlite/sqlite_database.hpp"
#include "storage/fault_injecting_blob_store_testing.hpp"
#include "storage/memory_blob_store.hpp"
#include "storage/upload_staging_areas_testing.hpp"

namespace gallery::service {
namespace {

namespace fs = std::filesystem;
using std::chrono::hours;
using std::chrono::seconds;
using storage::UploadBytes;
using storage::testing::BlobStoreMethod;
using storage::testing::FaultInjectingBlobStore;
using storage::testing::UploadStagingArea;

std::string ReadTestImage(const std::string& relative) {
  const char* root = std::getenv("GALLERY_TESTDATA");
  if (root == nullptr) {
    ADD_FAILURE() << "GALLERY_TESTDATA is not set (CTest sets it)";
    return {};
  }
  std::ifstream in(fs::path(root) / relative, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  EXPECT_FALSE(s.str().empty()) << relative;
  return s.str();
}

std::string Sha1Of(std::string_view bytes) {
  Sha1 h;
  h.Update(bytes);
  const Sha1Digest d = h.Finish();
  return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

// Everything an instance of the service needs, over one database file, one
// blob store and one staging area, so that two instances can share them.
struct Instance {
  std::unique_ptr<db::UploadStore> uploads;
  std::unique_ptr<db::MetadataStore> photos_store;
  std::unique_ptr<storage::UploadStaging> staging;
  std::unique_ptr<PhotoService> photos;
  std::unique_ptr<UploadService> service;
};

struct AreaFactory {
  std::string name;
  std::function<UploadStagingArea()> make;
};
void PrintTo(const AreaFactory& factory, std::ostream* os) { *os << factory.name; }

class UploadServiceTest : public ::testing::TestWithParam<AreaFactory> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(image::InitImageLibrary("upload_service_test").ok());
    dir_ = fs::temp_directory_path() / ("upload-service-" + NewId());
    fs::create_directories(dir_ / "spool");
    area_ = GetParam().make();
    ASSERT_TRUE(area_.open) << "no staging area";
    blobs_ =
        std::make_unique<FaultInjectingBlobStore>(std::make_unique<storage::MemoryBlobStore>());
    pool_ = std::make_unique<image::ImagePool>(1, 4);
    now_ = Clock::now();
    first_ = Open();
    Result<std::shared_ptr<db::SqliteDatabase>> db = OpenDatabase();
    ASSERT_TRUE(db.ok());
    users_ = db::NewSqliteUserStore(*db);
    owner_ = AddUser();
    jpeg_ = ReadTestImage("exif-orientation/Landscape_6.jpg");
  }

  void TearDown() override {
    first_ = {};
    pool_.reset();
    if (area_.cleanup) area_.cleanup();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  Result<std::shared_ptr<db::SqliteDatabase>> OpenDatabase() {
    return db::OpenSqliteDatabase((dir_ / "gallery.db").string());
  }

  // A new instance over the shared database, blobs and staging area.
  Instance Open(UploadServiceOptions options = {}) {
    Instance i;
    Result<std::shared_ptr<db::SqliteDatabase>> db = OpenDatabase();
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    if (!db.ok()) return i;
    i.uploads = db::NewSqliteUploadStore(*db);
    i.photos_store = db::NewSqliteMetadataStore(*db);
    i.staging = area_.open();
    i.photos = std::make_unique<PhotoService>(*blobs_, *i.photos_store, *pool_, metrics_,
                                              PhotoServiceOptions{});
    options.scratch_dir = dir_ / "spool";
    options.now = [this] { return now_; };
    i.service = std::make_unique<UploadService>(*i.uploads, *i.staging, *i.photos, metrics_,
                                                std::move(options));
    return i;
  }

  std::string AddUser() {
    db::UserRecord user = db::testing::MakeTestUser(now_);
    Status s = users_->CreateUser(user);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return user.id;
  }

  UploadService& service() { return *first_.service; }

  std::string Create(uint64_t length, const std::string& filename = "picture.jpg") {
    Result<UploadStatus> created = service().Create({owner_, length, filename});
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? created->id : "";
  }

  Result<UploadStatus> Append(UploadService& svc, const std::string& id, uint64_t offset,
                              std::string_view bytes, bool from_file = false) {
    UploadChunk chunk;
    chunk.offset = offset;
    if (from_file) {
      const fs::path path = dir_ / ("chunk-" + NewId());
      std::ofstream(path, std::ios::binary)
          .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      chunk.bytes = UploadBytes::InFile(path, bytes.size());
    } else {
      chunk.bytes = UploadBytes::InMemory(bytes);
    }
    return svc.Append(owner_, id, chunk);
  }
  Result<UploadStatus> Append(const std::string& id, uint64_t offset, std::string_view bytes,
                              bool from_file = false) {
    return Append(service(), id, offset, bytes, from_file);
  }

  fs::path dir_;
  UploadStagingArea area_;
  Metrics metrics_;
  std::unique_ptr<FaultInjectingBlobStore> blobs_;
  std::unique_ptr<image::ImagePool> pool_;
  std::unique_ptr<db::UserStore> users_;
  Clock::time_point now_;
  Instance first_;
  std::string owner_;
  std::string jpeg_;
};

// Tests that run on both stagings.
class UploadServiceOnEveryStagingTest : public UploadServiceTest {};
// Tests of the service's own logic (the local staging is enough).
class UploadServiceLogicTest : public UploadServiceTest {};

const AreaFactory kLocal{"local", storage::testing::LocalUploadStagingArea};
const AreaFactory kS3{"s3", [] { return storage::testing::S3UploadStagingArea(); }};

INSTANTIATE_TEST_SUITE_P(Staging, UploadServiceOnEveryStagingTest, ::testing::Values(kLocal, kS3),
                         [](const auto& info) { return info.param.name; });
INSTANTIATE_TEST_SUITE_P(Staging, UploadServiceLogicTest, ::testing::Values(kLocal),
                         [](const auto& info) { return info.param.name; });

TEST_P(UploadServiceOnEveryStagingTest, PiecesFromAnyInstanceBecomeThePhotoAMultipartUploadMakes) {
  // A real picture padded past two S3 parts (bytes after a JPEG's end are
  // ignored by decoders, kept in the original).
  std::string picture = ReadTestImage("large/ianare_42_IndexError_OlympusE-P3_4032x3024.jpg");
  picture += std::string(11 * 1024 * 1024 - picture.size(), '\x5a');
  Result<UploadStatus> created = service().Create({owner_, picture.size(), "olympus.jpg"});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->offset, 0u);
  EXPECT_EQ(created->expires_at, std::chrono::time_point_cast<std::chrono::milliseconds>(now_) +
                                     UploadServiceOptions{}.expiry);
  const std::string id = created->id;

  const uint64_t cuts[] = {0, 300 * 1024, 6 * 1024 * 1024 + 1, picture.size()};
  Instance second = Open();
  UploadService* instances[] = {&service(), second.service.get(), &service()};
  Result<UploadStatus> last = Status::Internal("unset");
  for (int i = 0; i < 3; ++i) {
    last = Append(*instances[i], id, cuts[i],
                  std::string_view(picture).substr(cuts[i], cuts[i + 1] - cuts[i]), i == 1);
    ASSERT_TRUE(last.ok()) << "piece " << i << ": " << last.status().ToString();
    EXPECT_EQ(last->offset, cuts[i + 1]);
    Result<UploadStatus> seen = instances[(i + 1) % 3]->Get(owner_, id);
    ASSERT_TRUE(seen.ok()) << seen.status().ToString();
    EXPECT_EQ(seen->offset, cuts[i + 1]) << "every instance sees the committed offset";
  }
  ASSERT_TRUE(last->photo_id.has_value());
  EXPECT_FALSE(last->duplicate);
  Result<db::PhotoRecord> photo = first_.photos->Get(owner_, *last->photo_id);
  ASSERT_TRUE(photo.ok()) << photo.status().ToString();
  EXPECT_EQ(photo->sha256, Sha256Hex(picture));
  EXPECT_EQ(photo->filename, "olympus.jpg");
  EXPECT_EQ(photo->bytes, picture.size());
  EXPECT_EQ(photo->width, 4032);
  Result<storage::BlobData> original = blobs_->Get(photo->original_key);
  ASSERT_TRUE(original.ok());
  EXPECT_TRUE(original->bytes == picture);
  EXPECT_TRUE(blobs_->Head(photo->thumb_key).ok());
  // The upload remembers its photo; its staged bytes are gone; no
  // temporary copy is left in the scratch directory.
  Result<UploadStatus> done = second.service->Get(owner_, id);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->offset, picture.size());
  EXPECT_EQ(done->photo_id, last->photo_id);
  EXPECT_THAT(area_.leftovers(id), ::testing::IsEmpty());
  EXPECT_TRUE(fs::is_empty(dir_ / "spool"));
  EXPECT_EQ(metrics_.CounterTotal("resumable_upload_received_bytes_total"), picture.size());
}

TEST_P(UploadServiceOnEveryStagingTest, OffsetsSurviveARestartAndTheSameBytesAreADuplicate) {
  const std::string id = Create(jpeg_.size());
  ASSERT_TRUE(Append(id, 0, std::string_view(jpeg_).substr(0, 1000)).ok());
  first_ = {};  // the instance stops
  Instance restarted = Open();
  Result<UploadStatus> seen = restarted.service->Get(owner_, id);
  ASSERT_TRUE(seen.ok()) << seen.status().ToString();
  EXPECT_EQ(seen->offset, 1000u);
  Result<UploadStatus> done =
      Append(*restarted.service, id, 1000, std::string_view(jpeg_).substr(1000));
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  ASSERT_TRUE(done->photo_id);

  Result<UploadStatus> again = restarted.service->Create({owner_, jpeg_.size(), "again.jpg"});
  ASSERT_TRUE(again.ok());
  Result<UploadStatus> dup = Append(*restarted.service, again->id, 0, jpeg_);
  ASSERT_TRUE(dup.ok()) << dup.status().ToString();
  EXPECT_TRUE(dup->duplicate);
  EXPECT_EQ(dup->photo_id, done->photo_id);
}

TEST_P(UploadServiceLogicTest, CreateRefusesWhatCanNeverBecomeAPhoto) {
  EXPECT_EQ(service().Create({owner_, 0, "a.jpg"}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(service().Create({owner_, (256ull << 20) + 1, "a.jpg"}).code(),
            ErrorCode::kPayloadTooLarge);
  EXPECT_EQ(service().Create({owner_, 10, "../etc/passwd"}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(service().Create({"no-such-user", 10, "a.jpg"}).code(), ErrorCode::kUnauthenticated);
  EXPECT_TRUE(service().Create({owner_, 10, ""}).ok()) << "no name is fine";
}

TEST_P(UploadServiceLogicTest, AUserHasAtMostSoManyUnfinishedUploads) {
  UploadServiceOptions options;
  options.max_unfinished_per_owner = 2;
  Instance capped = Open(options);
  ASSERT_TRUE(capped.service->Create({owner_, jpeg_.size(), "a.jpg"}).ok());
  Result<UploadStatus> second = capped.service->Create({owner_, jpeg_.size(), "b.jpg"});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(capped.service->Create({owner_, 10, "c.jpg"}).code(), ErrorCode::kTooManyRequests);
  EXPECT_TRUE(capped.service->Create({AddUser(), 10, "c.jpg"}).ok()) << "others are not capped";
  // A finished upload no longer counts.
  ASSERT_TRUE(Append(*capped.service, second->id, 0, jpeg_).ok());
  EXPECT_TRUE(capped.service->Create({owner_, 10, "c.jpg"}).ok());
}

TEST_P(UploadServiceLogicTest, OnlyTheOwnerSeesAnUpload) {
  const std::string id = Create(jpeg_.size());
  const std::string other = AddUser();
  EXPECT_EQ(service().Get(other, id).code(), ErrorCode::kNotFound);
  UploadChunk chunk;
  chunk.bytes = UploadBytes::InMemory(jpeg_);
  EXPECT_EQ(service().Append(other, id, chunk).code(), ErrorCode::kNotFound);
  EXPECT_EQ(service().Terminate(other, id).code(), ErrorCode::kNotFound);
  EXPECT_EQ(service().Get(owner_, "no-such-upload").code(), ErrorCode::kNotFound);
  EXPECT_EQ(service().Get(owner_, id)->offset, 0u);
}

TEST_P(UploadServiceLogicTest, AppendsMustContinueAtTheOffsetAndStopAtTheLength) {
  const std::string id = Create(jpeg_.size());
  ASSERT_TRUE(Append(id, 0, std::string_view(jpeg_).substr(0, 100)).ok());
  Result<UploadStatus> wrong = Append(id, 0, std::string_view(jpeg_).substr(0, 100));
  EXPECT_EQ(wrong.code(), ErrorCode::kConflict);
  EXPECT_NE(wrong.status().public_detail().find("100"), std::string::npos)
      << wrong.status().public_detail();
  EXPECT_EQ(Append(id, 100, jpeg_).code(), ErrorCode::kPayloadTooLarge);
  Result<UploadStatus> empty = Append(id, 100, "");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->offset, 100u);
  EXPECT_EQ(service().Get(owner_, id)->offset, 100u);
}

TEST_P(UploadServiceLogicTest, AChunkThatFailsItsChecksumIsDiscarded) {
  const std::string id = Create(jpeg_.size());
  const std::string_view head = std::string_view(jpeg_).substr(0, 5000);
  UploadChunk chunk;
  chunk.bytes = UploadBytes::InMemory(head);
  chunk.checksum = ChunkChecksum{ChecksumAlgorithm::kSha1, Sha1Of("something else")};
  EXPECT_EQ(service().Append(owner_, id, chunk).code(), ErrorCode::kChecksumMismatch);
  EXPECT_EQ(service().Get(owner_, id)->offset, 0u);
  EXPECT_THAT(area_.leftovers(id), ::testing::IsEmpty()) << "nothing staged";
  chunk.checksum = ChunkChecksum{ChecksumAlgorithm::kSha1, "short"};
  EXPECT_EQ(service().Append(owner_, id, chunk).code(), ErrorCode::kInvalidArgument);
  // The right checksums, from memory and from a file.
  chunk.checksum = ChunkChecksum{ChecksumAlgorithm::kSha1, Sha1Of(head)};
  ASSERT_TRUE(service().Append(owner_, id, chunk).ok());
  const std::string_view rest = std::string_view(jpeg_).substr(5000);
  const fs::path file = dir_ / "rest";
  std::ofstream(file, std::ios::binary)
      .write(rest.data(), static_cast<std::streamsize>(rest.size()));
  chunk.offset = 5000;
  chunk.bytes = UploadBytes::InFile(file, rest.size());
  const Sha256Digest d = Sha256Of(rest);
  chunk.checksum = ChunkChecksum{ChecksumAlgorithm::kSha256,
                                 std::string(reinterpret_cast<const char*>(d.data()), d.size())};
  Result<UploadStatus> done = service().Append(owner_, id, chunk);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_TRUE(done->photo_id);
  EXPECT_EQ(ParseChecksumAlgorithm("sha1"), ChecksumAlgorithm::kSha1);
  EXPECT_EQ(ParseChecksumAlgorithm("sha256"), ChecksumAlgorithm::kSha256);
  EXPECT_EQ(ParseChecksumAlgorithm("md5"), std::nullopt);
}

TEST_P(UploadServiceLogicTest, BytesOfABrokenOffRequestAreKeptUnlessTheyCannotBeChecked) {
  const std::string id = Create(jpeg_.size());
  UploadChunk chunk;
  chunk.bytes = UploadBytes::InMemory(std::string_view(jpeg_).substr(0, 3000));
  chunk.complete = false;
  chunk.checksum = ChunkChecksum{ChecksumAlgorithm::kSha1, Sha1Of(jpeg_)};
  EXPECT_EQ(service().Append(owner_, id, chunk).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(service().Get(owner_, id)->offset, 0u);
  chunk.checksum.reset();
  ASSERT_TRUE(service().Append(owner_, id, chunk).ok());
  EXPECT_EQ(service().Get(owner_, id)->offset, 3000u);
  Result<UploadStatus> done = Append(id, 3000, std::string_view(jpeg_).substr(3000));
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_TRUE(done->photo_id);
}

TEST_P(UploadServiceLogicTest, WhileAnotherRequestHoldsTheUploadOthersAreToldToRetry) {
  const std::string id = Create(jpeg_.size());
  // Another request (on any instance) is writing: it holds the claim.
  ASSERT_TRUE(first_.uploads->Claim(id, "other", 0, now_, now_ + seconds(300)).ok());
  Result<UploadStatus> busy = Append(id, 0, jpeg_);
  EXPECT_EQ(busy.code(), ErrorCode::kLocked);
  EXPECT_FALSE(busy.status().public_detail().empty());
  EXPECT_EQ(service().Terminate(owner_, id).code(), ErrorCode::kLocked);
  EXPECT_EQ(service().Get(owner_, id)->offset, 0u) << "asking is always fine";
  // That request died: its lease runs out and the upload goes on.
  now_ += seconds(301);
  Result<UploadStatus> done = Append(id, 0, jpeg_);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_TRUE(done->photo_id);
}

TEST_P(UploadServiceLogicTest, AbandonedUploadsExpireAndTheSweeperRemovesThemWithTheirBytes) {
  const std::string old_id = Create(jpeg_.size());
  ASSERT_TRUE(Append(old_id, 0, std::string_view(jpeg_).substr(0, 100)).ok());
  EXPECT_THAT(area_.leftovers(old_id), ::testing::Not(::testing::IsEmpty()));
  now_ += hours(20);
  const std::string young_id = Create(jpeg_.size());
  ASSERT_TRUE(Append(young_id, 0, std::string_view(jpeg_).substr(0, 100)).ok());
  now_ += hours(4) + seconds(1);  // old_id was last written 24 h ago
  EXPECT_EQ(service().Get(owner_, old_id).code(), ErrorCode::kGone);
  EXPECT_EQ(Append(old_id, 100, "x").code(), ErrorCode::kGone);
  Result<UploadSweepReport> swept = service().SweepExpired();
  ASSERT_TRUE(swept.ok()) << swept.status().ToString();
  EXPECT_EQ(swept->expired, 1);
  EXPECT_EQ(swept->removed, 1);
  EXPECT_EQ(service().Get(owner_, old_id).code(), ErrorCode::kNotFound);
  EXPECT_THAT(area_.leftovers(old_id), ::testing::IsEmpty());
  EXPECT_EQ(service().Get(owner_, young_id)->offset, 100u);
  EXPECT_EQ(metrics_.CounterTotal("resumable_uploads_total"), 2 + 1);  // created x2, expired
}

TEST_P(UploadServiceLogicTest, WritingKeepsAnUploadAliveAndTheSweeperLeavesAClaimedOneAlone) {
  const std::string id = Create(jpeg_.size());
  now_ += hours(23);
  Result<UploadStatus> wrote = Append(id, 0, std::string_view(jpeg_).substr(0, 10));
  ASSERT_TRUE(wrote.ok());
  EXPECT_EQ(wrote->expires_at,
            std::chrono::time_point_cast<std::chrono::milliseconds>(now_) + hours(24));
  now_ += hours(23);
  EXPECT_EQ(service().Get(owner_, id)->offset, 10u);
  now_ += hours(2);
  // Expired, but a request holds it (say it is just being resumed).
  ASSERT_TRUE(first_.uploads->Claim(id, "writer", 10, now_, now_ + seconds(60)).ok());
  EXPECT_EQ(service().SweepExpired()->removed, 0);
  ASSERT_TRUE(first_.uploads->Release(id, "writer").ok());
  EXPECT_EQ(service().SweepExpired()->removed, 1);
}

TEST_P(UploadServiceLogicTest, TerminationRemovesTheUploadAndItsBytes) {
  const std::string id = Create(jpeg_.size());
  ASSERT_TRUE(Append(id, 0, std::string_view(jpeg_).substr(0, 100)).ok());
  ASSERT_TRUE(service().Terminate(owner_, id).ok());
  EXPECT_EQ(service().Get(owner_, id).code(), ErrorCode::kNotFound);
  EXPECT_EQ(service().Terminate(owner_, id).code(), ErrorCode::kNotFound);
  EXPECT_THAT(area_.leftovers(id), ::testing::IsEmpty());
  // A finished upload may be terminated too; its photo stays.
  const std::string done_id = Create(jpeg_.size());
  Result<UploadStatus> done = Append(done_id, 0, jpeg_);
  ASSERT_TRUE(done.ok() && done->photo_id);
  ASSERT_TRUE(service().Terminate(owner_, done_id).ok());
  EXPECT_TRUE(first_.photos->Get(owner_, *done->photo_id).ok());
}

TEST_P(UploadServiceLogicTest, AFileThatIsNoPictureIsRefusedAtItsLastByteAndRemoved) {
  const std::string text = "this is a text file, not a picture";
  const std::string id = Create(text.size(), "notes.jpg");
  ASSERT_TRUE(Append(id, 0, std::string_view(text).substr(0, 10)).ok());
  Result<UploadStatus> refused = Append(id, 10, std::string_view(text).substr(10));
  EXPECT_EQ(refused.code(), ErrorCode::kUnsupportedMediaType);
  EXPECT_EQ(service().Get(owner_, id).code(), ErrorCode::kNotFound) << "sending it again is futile";
  EXPECT_THAT(area_.leftovers(id), ::testing::IsEmpty());
}

TEST_P(UploadServiceLogicTest, ATransientFailureLeavesTheUploadCompleteAndAskingFinishesIt) {
  const std::string id = Create(jpeg_.size());
  blobs_->FailNthCall(BlobStoreMethod::kPut, 1, Status::Unavailable("storage down"));
  Result<UploadStatus> failed = Append(id, 0, jpeg_);
  EXPECT_EQ(failed.code(), ErrorCode::kUnavailable);
  EXPECT_THAT(area_.leftovers(id), ::testing::Not(::testing::IsEmpty())) << "bytes kept";
  // Asking later (a tus client resuming does) makes the photo.
  Result<UploadStatus> got = service().Get(owner_, id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->offset, jpeg_.size());
  ASSERT_TRUE(got->photo_id);
  EXPECT_TRUE(first_.photos->Get(owner_, *got->photo_id).ok());
  // So does an empty append at the end (other bytes: not a duplicate).
  const std::string other = jpeg_ + "trailing bytes";
  const std::string id2 = Create(other.size());
  blobs_->FailNthCall(BlobStoreMethod::kPut, 1, Status::Unavailable("storage down"));
  ASSERT_EQ(Append(id2, 0, other).code(), ErrorCode::kUnavailable);
  Result<UploadStatus> finished = Append(id2, other.size(), "");
  ASSERT_TRUE(finished.ok()) << finished.status().ToString();
  ASSERT_TRUE(finished->photo_id);
  EXPECT_NE(finished->photo_id, got->photo_id);
  EXPECT_FALSE(finished->duplicate);
  EXPECT_EQ(first_.photos->Get(owner_, *finished->photo_id)->sha256, Sha256Hex(other));
  // A finished upload takes no more bytes.
  EXPECT_EQ(Append(id2, other.size(), "x").code(), ErrorCode::kConflict);
}

}  // namespace
}  // namespace gallery::service
