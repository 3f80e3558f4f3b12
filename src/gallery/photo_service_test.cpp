#include "gallery/photo_service.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "common/crypto.hpp"
#include "db/sqlite/sqlite_metadata_store.hpp"
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
  Status InsertPhoto(const db::PhotoRecord& p) override {
    return fail_insert.ok() ? inner_.InsertPhoto(p) : fail_insert;
  }
  Result<db::PhotoRecord> GetPhoto(const std::string& id) override { return inner_.GetPhoto(id); }
  Result<db::PhotoRecord> FindPhotoBySha256(const std::string& s) override {
    return inner_.FindPhotoBySha256(s);
  }
  Result<db::PhotoPage> ListPhotos(const std::optional<db::PhotoCursor>& a, int l) override {
    return inner_.ListPhotos(a, l);
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
    auto meta = db::OpenSqliteMetadataStore((dir_ / "gallery.db").string());
    ASSERT_TRUE(meta.ok()) << meta.status().ToString();
    sqlite_ = std::move(meta).value();
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
  std::unique_ptr<FailingInsertStore> metadata_;
  std::unique_ptr<FaultInjectingBlobStore> blobs_;
  std::unique_ptr<image::ImagePool> pool_;
  std::unique_ptr<PhotoService> service_;
  std::string jpeg_;
};

TEST_F(PhotoServiceTest, UploadStoresOriginalDerivativesAndRow) {
  auto r = service_->Upload({"Landscape_6.jpg", jpeg_});
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
  auto row = service_->Get(p.id);
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->filename, "Landscape_6.jpg");
  EXPECT_EQ(metrics_.CounterTotal("uploads_total"), 1);
}

TEST_F(PhotoServiceTest, SameBytesAreADuplicate) {
  auto first = service_->Upload({"a.jpg", jpeg_});
  ASSERT_TRUE(first.ok());
  auto second = service_->Upload({"b.jpg", jpeg_});
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->duplicate);
  EXPECT_EQ(second->photo.id, first->photo.id);
  EXPECT_EQ(AllKeys().size(), 3u);
}

TEST_F(PhotoServiceTest, RefusedUploadsLeaveNothing) {
  EXPECT_EQ(service_->Upload({"x.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>"}).code(),
            ErrorCode::kUnsupportedMediaType);
  EXPECT_EQ(service_->Upload({"empty.jpg", ""}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->Upload({"../../etc/passwd", jpeg_}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->Upload({"a\\b.jpg", jpeg_}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->Upload({"trunc.jpg", jpeg_.substr(0, jpeg_.size() / 3)}).code(),
            ErrorCode::kUnprocessableImage);
  EXPECT_TRUE(AllKeys().empty());
  EXPECT_EQ(*sqlite_->CountPhotos(), 0);
}

TEST_F(PhotoServiceTest, FailedPutRemovesWhatWasPut) {
  // The original goes in first; the second put (a derivative) fails.
  blobs_->FailNthCall(BlobStoreMethod::kPut, 2, Status::IoError("disk full"));
  auto r = service_->Upload({"a.jpg", jpeg_});
  EXPECT_EQ(r.code(), ErrorCode::kIoError);
  EXPECT_TRUE(AllKeys().empty());
  EXPECT_EQ(*sqlite_->CountPhotos(), 0);
}

TEST_F(PhotoServiceTest, FailedCommitRemovesTheBlobs) {
  metadata_->fail_insert = Status::Unavailable("database down");
  auto r = service_->Upload({"a.jpg", jpeg_});
  EXPECT_EQ(r.code(), ErrorCode::kUnavailable);
  EXPECT_TRUE(AllKeys().empty());
}

TEST_F(PhotoServiceTest, DeleteRemovesRowAndEveryBlob) {
  auto r = service_->Upload({"a.jpg", jpeg_});
  ASSERT_TRUE(r.ok());
  // A lazily made variant is removed too.
  ASSERT_TRUE(
      service_->GetDerivative(r->photo.id, DerivativeKind::kThumb, image::OutputFormat::kWebp)
          .ok());
  EXPECT_EQ(AllKeys().size(), 4u);
  ASSERT_TRUE(service_->Delete(r->photo.id).ok());
  EXPECT_TRUE(AllKeys().empty());
  EXPECT_EQ(service_->Get(r->photo.id).code(), ErrorCode::kNotFound);
  EXPECT_EQ(service_->Delete(r->photo.id).code(), ErrorCode::kNotFound);
  EXPECT_EQ(service_->GetDerivative(r->photo.id, DerivativeKind::kThumb, image::OutputFormat::kWebp)
                .code(),
            ErrorCode::kNotFound);
}

TEST_F(PhotoServiceTest, VariantsAreMadeOnceThenServedFromMemory) {
  auto r = service_->Upload({"a.jpg", jpeg_});
  ASSERT_TRUE(r.ok());
  const std::string& id = r->photo.id;
  EXPECT_EQ(service_->PeekDerivative(id, DerivativeKind::kPreview, image::OutputFormat::kAvif),
            nullptr);
  auto made = service_->GetDerivative(id, DerivativeKind::kPreview, image::OutputFormat::kAvif);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(made->data->content_type, "image/avif");
  EXPECT_TRUE(blobs_->Head(DerivativeKey(id, "preview", "avif")).ok());
  uint64_t gets_before = blobs_->CallCount(BlobStoreMethod::kGet);
  auto cached = service_->PeekDerivative(id, DerivativeKind::kPreview, image::OutputFormat::kAvif);
  ASSERT_NE(cached, nullptr);
  EXPECT_EQ(cached->bytes, made->data->bytes);
  EXPECT_EQ(blobs_->CallCount(BlobStoreMethod::kGet), gets_before);
  // ETags are strong, stable and differ per format.
  auto jpeg = service_->GetDerivative(id, DerivativeKind::kPreview, image::OutputFormat::kJpeg);
  ASSERT_TRUE(jpeg.ok());
  EXPECT_NE(jpeg->data->etag, made->data->etag);
  EXPECT_EQ(jpeg->data->etag.front(), '"');
}

TEST_F(PhotoServiceTest, SweeperRemovesOnlyOrphans) {
  auto r = service_->Upload({"a.jpg", jpeg_});
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
  auto r = service_->Upload({"a.jpg", jpeg_});
  release.set_value();
  EXPECT_EQ(r.code(), ErrorCode::kOverloaded);
  EXPECT_TRUE(AllKeys().empty());
}

TEST_F(PhotoServiceTest, DeleteThroughAnotherInstanceStopsCachedServing) {
  // Two instances share the stores; instance A has the thumb in memory.
  PhotoServiceOptions options;
  options.cache_verify_interval = std::chrono::milliseconds(0);
  PhotoService a(*blobs_, *metadata_, *pool_, metrics_, options);
  auto r = a.Upload({"a.jpg", jpeg_});
  ASSERT_TRUE(r.ok());
  const std::string id = r->photo.id;
  ASSERT_TRUE(a.GetDerivative(id, DerivativeKind::kThumb, image::OutputFormat::kJpeg).ok());
  ASSERT_TRUE(service_->Delete(id).ok());  // instance B
  EXPECT_EQ(a.PeekDerivative(id, DerivativeKind::kThumb, image::OutputFormat::kJpeg), nullptr);
  EXPECT_EQ(a.GetDerivative(id, DerivativeKind::kThumb, image::OutputFormat::kJpeg).code(),
            ErrorCode::kNotFound);
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
