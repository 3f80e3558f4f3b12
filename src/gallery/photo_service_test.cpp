#include "gallery/photo_service.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "common/crypto.hpp"
#include "db/account_stores_conformance_testing.hpp"
#include "db/sqlite/sqlite_database.hpp"
#include "gallery/blob_keys.hpp"
#include "storage/fault_injecting_blob_store_testing.hpp"
#include "storage/memory_blob_store.hpp"

namespace gallery::service {
namespace {

using storage::testing::BlobStoreMethod;
using storage::testing::FaultInjectingBlobStore;

std::string ReadTestImage(const std::string& relative) {
  const char* root = std::getenv("GALLERY_TESTDATA");
  if (root == nullptr) {
    ADD_FAILURE() << "GALLERY_TESTDATA is not set (CTest sets it)";
    return {};
  }
  std::ifstream in(std::filesystem::path(root) / relative, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A MetadataStore whose InsertPhoto can be made to fail; the rest forwards.
class FailingInsertStore final : public db::MetadataStore {
 public:
  explicit FailingInsertStore(db::MetadataStore& inner) : inner_(inner) {}
  Status fail_insert;
  Status InsertPhoto(const db::PhotoRecord& p, int64_t quota) override {
    return fail_insert.ok() ? inner_.InsertPhoto(p, quota) : fail_insert;
  }
  Result<db::PhotoRecord> GetPhoto(const std::string& id) override { return inner_.GetPhoto(id); }
  Result<db::PhotoRecord> FindPhotoBySha256(const std::string& o, const std::string& s) override {
    return inner_.FindPhotoBySha256(o, s);
  }
  Result<db::PhotoPage> ListPhotos(const std::string& o, const std::optional<db::PhotoCursor>& a,
                                   int l) override {
    return inner_.ListPhotos(o, a, l);
  }
  Result<db::TrashPage> ListTrash(const std::string& o, const std::optional<db::TrashCursor>& a,
                                  int l) override {
    return inner_.ListTrash(o, a, l);
  }
  Status TrashPhoto(const std::string& id, db::Clock::time_point at) override {
    return inner_.TrashPhoto(id, at);
  }
  Status RestorePhoto(const std::string& id) override { return inner_.RestorePhoto(id); }
  Result<std::vector<db::PhotoRecord>> ListTrashedBefore(db::Clock::time_point b, int l) override {
    return inner_.ListTrashedBefore(b, l);
  }
  Result<int64_t> UsedBytes(const std::string& o) override { return inner_.UsedBytes(o); }
  Result<int64_t> AdoptUnownedPhotos(const std::string& o) override {
    return inner_.AdoptUnownedPhotos(o);
  }
  Status DeletePhoto(const std::string& id) override { return inner_.DeletePhoto(id); }
  Result<int64_t> CountPhotos() override { return inner_.CountPhotos(); }
  Status Ping() override { return inner_.Ping(); }

 private:
  db::MetadataStore& inner_;
};

class PhotoServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(image::InitImageLibrary("photo_service_test").ok());
    dir_ = std::filesystem::temp_directory_path() / ("photo-service-" + NewId());
    std::filesystem::create_directories(dir_);
    auto db = db::OpenSqliteDatabase((dir_ / "gallery.db").string());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    sqlite_ = db::NewSqliteMetadataStore(*db);
    users_ = db::NewSqliteUserStore(*db);
    me_ = AddUser(0);
    other_ = AddUser(0);
    metadata_ = std::make_unique<FailingInsertStore>(*sqlite_);
    blobs_ =
        std::make_unique<FaultInjectingBlobStore>(std::make_unique<storage::MemoryBlobStore>());
    pool_ = std::make_unique<image::ImagePool>(1, 0);
    PhotoServiceOptions options;
    options.orphan_grace = std::chrono::seconds(0);
    service_ = std::make_unique<PhotoService>(*blobs_, *metadata_, *pool_, metrics_, options);
    jpeg_ = ReadTestImage("exif-orientation/Landscape_6.jpg");
    ASSERT_FALSE(jpeg_.empty());
  }
  void TearDown() override {
    service_.reset();
    pool_.reset();
    std::filesystem::remove_all(dir_);
  }

  Uploader AddUser(int64_t quota) {
    db::UserRecord user = db::testing::MakeTestUser(db::Clock::now());
    user.quota_bytes = quota;
    EXPECT_TRUE(users_->CreateUser(user).ok());
    return Uploader{user.id, quota};
  }

  std::vector<std::string> AllKeys() {
    auto page = blobs_->List("", "", 1000);
    EXPECT_TRUE(page.ok());
    std::vector<std::string> keys;
    for (const auto& b : page->blobs) keys.push_back(b.key);
    return keys;
  }

  std::filesystem::path dir_;
  Metrics metrics_;
  std::unique_ptr<db::MetadataStore> sqlite_;
  std::unique_ptr<db::UserStore> users_;
  Uploader me_;
  Uploader other_;
  std::unique_ptr<FailingInsertStore> metadata_;
  std::unique_ptr<FaultInjectingBlobStore> blobs_;
  std::unique_ptr<image::ImagePool> pool_;
  std::unique_ptr<PhotoService> service_;
  std::string jpeg_;
};

TEST_F(PhotoServiceTest, UploadStoresOriginalDerivativesAndRow) {
  auto r = service_->Upload(me_, {"Landscape_6.jpg", jpeg_});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->duplicate);
  const db::PhotoRecord& p = r->photo;
  EXPECT_EQ(p.content_type, "image/jpeg");
  EXPECT_EQ(p.sha256, Sha256Hex(jpeg_));
  // Orientation 6 is stored transposed (1200x1800); as displayed it is
  // landscape.
  EXPECT_EQ(p.width, 1800);
  EXPECT_EQ(p.height, 1200);
  auto original = blobs_->Get(p.original_key);
  ASSERT_TRUE(original.ok());
  EXPECT_EQ(original->bytes, jpeg_);
  EXPECT_TRUE(blobs_->Head(p.thumb_key).ok());
  EXPECT_TRUE(blobs_->Head(p.preview_key).ok());
  auto row = service_->Get(me_.user_id, p.id);
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->filename, "Landscape_6.jpg");
  EXPECT_EQ(metrics_.CounterTotal("uploads_total"), 1);
}

TEST_F(PhotoServiceTest, SameBytesAreADuplicate) {
  auto first = service_->Upload(me_, {"a.jpg", jpeg_});
  ASSERT_TRUE(first.ok());
  auto second = service_->Upload(me_, {"b.jpg", jpeg_});
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->duplicate);
  EXPECT_EQ(second->photo.id, first->photo.id);
  EXPECT_EQ(AllKeys().size(), 3u);
}

TEST_F(PhotoServiceTest, RefusedUploadsLeaveNothing) {
  EXPECT_EQ(service_->Upload(me_, {"x.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>"}).code(),
            ErrorCode::kUnsupportedMediaType);
  EXPECT_EQ(service_->Upload(me_, {"empty.jpg", ""}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->Upload(me_, {"../../etc/passwd", jpeg_}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->Upload(me_, {"a\\b.jpg", jpeg_}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->Upload(me_, {"trunc.jpg", jpeg_.substr(0, jpeg_.size() / 3)}).code(),
            ErrorCode::kUnprocessableImage);
  EXPECT_TRUE(AllKeys().empty());
  EXPECT_EQ(*sqlite_->CountPhotos(), 0);
}

TEST_F(PhotoServiceTest, FailedPutRemovesWhatWasPut) {
  // The original goes in first; the second put (a derivative) fails.
  blobs_->FailNthCall(BlobStoreMethod::kPut, 2, Status::IoError("disk full"));
  auto r = service_->Upload(me_, {"a.jpg", jpeg_});
  EXPECT_EQ(r.code(), ErrorCode::kIoError);
  EXPECT_TRUE(AllKeys().empty());
  EXPECT_EQ(*sqlite_->CountPhotos(), 0);
}

TEST_F(PhotoServiceTest, FailedCommitRemovesTheBlobs) {
  metadata_->fail_insert = Status::Unavailable("database down");
  auto r = service_->Upload(me_, {"a.jpg", jpeg_});
  EXPECT_EQ(r.code(), ErrorCode::kUnavailable);
  EXPECT_TRUE(AllKeys().empty());
}

TEST_F(PhotoServiceTest, PurgeFromTrashRemovesRowAndEveryBlob) {
  auto r = service_->Upload(me_, {"a.jpg", jpeg_});
  ASSERT_TRUE(r.ok());
  // A lazily made variant is removed too.
  ASSERT_TRUE(service_
                  ->GetDerivative(me_.user_id, r->photo.id, DerivativeKind::kThumb,
                                  image::OutputFormat::kWebp)
                  .ok());
  EXPECT_EQ(AllKeys().size(), 4u);
  EXPECT_EQ(service_->PurgeFromTrash(me_.user_id, r->photo.id).code(), ErrorCode::kNotFound)
      << "only what is in the trash";
  ASSERT_TRUE(service_->Trash(me_.user_id, r->photo.id).ok());
  EXPECT_EQ(AllKeys().size(), 4u) << "the trash keeps the blobs";
  ASSERT_TRUE(service_->PurgeFromTrash(me_.user_id, r->photo.id).ok());
  EXPECT_TRUE(AllKeys().empty());
  EXPECT_EQ(service_->Get(me_.user_id, r->photo.id).code(), ErrorCode::kNotFound);
  EXPECT_EQ(service_->Trash(me_.user_id, r->photo.id).code(), ErrorCode::kNotFound);
  EXPECT_EQ(service_
                ->GetDerivative(me_.user_id, r->photo.id, DerivativeKind::kThumb,
                                image::OutputFormat::kWebp)
                .code(),
            ErrorCode::kNotFound);
}

TEST_F(PhotoServiceTest, VariantsAreMadeOnceThenServedFromMemory) {
  auto r = service_->Upload(me_, {"a.jpg", jpeg_});
  ASSERT_TRUE(r.ok());
  const std::string& id = r->photo.id;
  EXPECT_EQ(service_->PeekDerivative(me_.user_id, id, DerivativeKind::kPreview,
                                     image::OutputFormat::kAvif),
            nullptr);
  auto made = service_->GetDerivative(me_.user_id, id, DerivativeKind::kPreview,
                                      image::OutputFormat::kAvif);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(made->data->content_type, "image/avif");
  EXPECT_TRUE(blobs_->Head(DerivativeKey(id, "preview", "avif")).ok());
  uint64_t gets_before = blobs_->CallCount(BlobStoreMethod::kGet);
  auto cached = service_->PeekDerivative(me_.user_id, id, DerivativeKind::kPreview,
                                         image::OutputFormat::kAvif);
  ASSERT_NE(cached, nullptr);
  EXPECT_EQ(cached->bytes, made->data->bytes);
  EXPECT_EQ(blobs_->CallCount(BlobStoreMethod::kGet), gets_before);
  // ETags are strong, stable and differ per format.
  auto jpeg = service_->GetDerivative(me_.user_id, id, DerivativeKind::kPreview,
                                      image::OutputFormat::kJpeg);
  ASSERT_TRUE(jpeg.ok());
  EXPECT_NE(jpeg->data->etag, made->data->etag);
  EXPECT_EQ(jpeg->data->etag.front(), '"');
}

TEST_F(PhotoServiceTest, SweeperRemovesOnlyOrphans) {
  auto r = service_->Upload(me_, {"a.jpg", jpeg_});
  ASSERT_TRUE(r.ok());
  // Blobs of an upload whose row was never committed.
  ASSERT_TRUE(blobs_->Put(OriginalKey("orphanid"), "bytes", {}).ok());
  ASSERT_TRUE(blobs_->Put(DerivativeKey("orphanid", "thumb", "jpg"), "bytes", {}).ok());
  auto report = service_->SweepOrphans();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->deleted_blobs, 2);
  EXPECT_EQ(AllKeys().size(), 3u);
  EXPECT_TRUE(blobs_->Head(r->photo.original_key).ok());
}

TEST_F(PhotoServiceTest, FullImagePoolAnswersOverloaded) {
  // Occupy the only worker (queue 0) until the upload has been refused.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> started;
  ASSERT_TRUE(pool_->TrySubmit([&started, released] {
    started.set_value();
    released.wait();
  }));
  started.get_future().wait();
  auto r = service_->Upload(me_, {"a.jpg", jpeg_});
  release.set_value();
  EXPECT_EQ(r.code(), ErrorCode::kOverloaded);
  EXPECT_TRUE(AllKeys().empty());
}

TEST_F(PhotoServiceTest, DeleteThroughAnotherInstanceStopsCachedServing) {
  // Two instances share the stores; instance A has the thumb in memory.
  PhotoServiceOptions options;
  options.cache_verify_interval = std::chrono::milliseconds(0);
  PhotoService a(*blobs_, *metadata_, *pool_, metrics_, options);
  auto r = a.Upload(me_, {"a.jpg", jpeg_});
  ASSERT_TRUE(r.ok());
  const std::string id = r->photo.id;
  ASSERT_TRUE(
      a.GetDerivative(me_.user_id, id, DerivativeKind::kThumb, image::OutputFormat::kJpeg).ok());
  ASSERT_TRUE(service_->Trash(me_.user_id, id).ok());  // instance B
  ASSERT_TRUE(service_->PurgeFromTrash(me_.user_id, id).ok());
  EXPECT_EQ(a.PeekDerivative(me_.user_id, id, DerivativeKind::kThumb, image::OutputFormat::kJpeg),
            nullptr);
  EXPECT_EQ(
      a.GetDerivative(me_.user_id, id, DerivativeKind::kThumb, image::OutputFormat::kJpeg).code(),
      ErrorCode::kNotFound);
}

TEST_F(PhotoServiceTest, OthersPhotosAreNotFoundAnywhere) {
  auto r = service_->Upload(me_, {"a.jpg", jpeg_});
  ASSERT_TRUE(r.ok());
  const std::string& id = r->photo.id;
  ASSERT_TRUE(
      service_->GetDerivative(me_.user_id, id, DerivativeKind::kThumb, image::OutputFormat::kJpeg)
          .ok());
  EXPECT_EQ(service_->Get(other_.user_id, id).code(), ErrorCode::kNotFound);
  EXPECT_TRUE(service_->List(other_.user_id, std::nullopt, 10)->photos.empty());
  EXPECT_EQ(service_->PeekDerivative(other_.user_id, id, DerivativeKind::kThumb,
                                     image::OutputFormat::kJpeg),
            nullptr)
      << "the cache answers only the owner";
  EXPECT_EQ(
      service_
          ->GetDerivative(other_.user_id, id, DerivativeKind::kThumb, image::OutputFormat::kJpeg)
          .code(),
      ErrorCode::kNotFound);
  EXPECT_EQ(service_->Trash(other_.user_id, id).code(), ErrorCode::kNotFound);
  EXPECT_EQ(service_->Restore(other_.user_id, id).code(), ErrorCode::kNotFound);
  EXPECT_EQ(service_->PurgeFromTrash(other_.user_id, id).code(), ErrorCode::kNotFound);
  EXPECT_TRUE(service_->Get(me_.user_id, id).ok());
}

TEST_F(PhotoServiceTest, DedupIsPerUser) {
  auto mine = service_->Upload(me_, {"a.jpg", jpeg_});
  auto theirs = service_->Upload(other_, {"a.jpg", jpeg_});
  ASSERT_TRUE(mine.ok());
  ASSERT_TRUE(theirs.ok());
  EXPECT_FALSE(theirs->duplicate);
  EXPECT_NE(mine->photo.id, theirs->photo.id);
  EXPECT_EQ(theirs->photo.owner_id, other_.user_id);
}

TEST_F(PhotoServiceTest, TrashRestoreAndUploadingAgainBringsItBack) {
  auto r = service_->Upload(me_, {"a.jpg", jpeg_});
  ASSERT_TRUE(r.ok());
  const std::string id = r->photo.id;
  ASSERT_TRUE(service_->Trash(me_.user_id, id).ok());
  EXPECT_TRUE(service_->List(me_.user_id, std::nullopt, 10)->photos.empty());
  auto trash = service_->ListTrash(me_.user_id, std::nullopt, 10);
  ASSERT_EQ(trash->photos.size(), 1u);
  EXPECT_GT(service_->PurgeTime(trash->photos[0]), db::Clock::now() + std::chrono::hours(24 * 29));
  auto restored = service_->Restore(me_.user_id, id);
  ASSERT_TRUE(restored.ok());
  EXPECT_FALSE(restored->trashed());
  EXPECT_EQ(service_->List(me_.user_id, std::nullopt, 10)->photos.size(), 1u);

  ASSERT_TRUE(service_->Trash(me_.user_id, id).ok());
  auto again = service_->Upload(me_, {"b.jpg", jpeg_});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->photo.id, id);
  EXPECT_FALSE(service_->Get(me_.user_id, id)->trashed()) << "taken out of the trash";
}

TEST_F(PhotoServiceTest, EmptyTrashAndExpiryPurge) {
  PhotoServiceOptions options;
  options.trash_retention = std::chrono::seconds(0);
  PhotoService instant(*blobs_, *metadata_, *pool_, metrics_, options);
  auto a = service_->Upload(me_, {"a.jpg", jpeg_});
  auto b = service_->Upload(other_, {"b.jpg", jpeg_});
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(service_->Trash(me_.user_id, a->photo.id).ok());
  ASSERT_TRUE(service_->Trash(other_.user_id, b->photo.id).ok());
  Result<int64_t> none = service_->PurgeExpiredTrash();
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0) << "30 days have not passed";
  Result<int64_t> emptied = service_->EmptyTrash(me_.user_id);
  ASSERT_TRUE(emptied.ok());
  EXPECT_EQ(*emptied, 1);
  EXPECT_EQ(service_->Get(me_.user_id, a->photo.id).code(), ErrorCode::kNotFound);
  EXPECT_TRUE(service_->Get(other_.user_id, b->photo.id).ok()) << "only the owner's trash";
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  Result<int64_t> expired = instant.PurgeExpiredTrash();
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(*expired, 1);
  EXPECT_TRUE(AllKeys().empty());
}

TEST_F(PhotoServiceTest, QuotaRefusesWhatWouldNotFitAndLeavesNothing) {
  Uploader small = AddUser(static_cast<int64_t>(jpeg_.size()) + 10);
  ASSERT_TRUE(service_->Upload(small, {"a.jpg", jpeg_}).ok());
  std::string png = ReadTestImage("formats/png/libvips_rgba.png");
  ASSERT_FALSE(png.empty());
  auto over = service_->Upload(small, {"b.png", png});
  EXPECT_EQ(over.code(), ErrorCode::kQuotaExceeded) << over.status().ToString();
  EXPECT_NE(over.status().public_detail().find("quota"), std::string::npos);
  EXPECT_EQ(service_->CheckQuota(small, png.size()).code(), ErrorCode::kQuotaExceeded);
  EXPECT_TRUE(service_->CheckQuota(small, 10).ok());
  EXPECT_EQ(AllKeys().size(), 3u);
}

TEST(ValidateFilenameTest, RefusesPathsAndControlCharacters) {
  EXPECT_TRUE(ValidateFilename("IMG_0001.jpg").ok());
  EXPECT_TRUE(ValidateFilename("caf\xC3\xA9 \xF0\x9F\x93\xB7.heic").ok());
  EXPECT_TRUE(ValidateFilename("").ok());
  const std::vector<std::string> bad_names = {"a/b.jpg",
                                              "..",
                                              ".",
                                              "a\\b",
                                              std::string("a\0b", 3),
                                              "tab\t.jpg",
                                              "\xff\xfe.jpg",
                                              std::string(256, 'a')};
  for (const std::string& bad : bad_names) {
    EXPECT_EQ(ValidateFilename(bad).code(), ErrorCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace gallery::service
