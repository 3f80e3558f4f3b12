#include "gallery/share_service.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/crypto.hpp"
#include "common/password.hpp"
#include "db/account_stores_conformance_testing.hpp"
#include "db/metadata_store_conformance_testing.hpp"
#include "db/sqlite/sqlite_database.hpp"
#include "gallery/album_service.hpp"

namespace gallery::service {
namespace {

namespace fs = std::filesystem;

class ShareServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("share-service-" + NewId());
    fs::create_directories(dir_);
    auto db = db::OpenSqliteDatabase((dir_ / "gallery.db").string());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    photos_ = db::NewSqliteMetadataStore(*db);
    users_ = db::NewSqliteUserStore(*db);
    albums_store_ = db::NewSqliteAlbumStore(*db);
    shares_store_ = db::NewSqliteShareStore(*db);
    albums_ = std::make_unique<AlbumService>(*albums_store_, *photos_);
    ShareServiceOptions options;
    options.max_password_failures = 3;
    shares_ =
        std::make_unique<ShareService>(*shares_store_, *albums_store_, *photos_, *users_, options);
    owner_ = AddUser();
    other_ = AddUser();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string AddUser() {
    db::UserRecord user = db::testing::MakeTestUser(db::Clock::now());
    EXPECT_TRUE(users_->CreateUser(user).ok());
    return user.id;
  }
  db::PhotoRecord AddPhoto(const std::string& owner) {
    db::PhotoRecord photo = db::testing::MakeTestPhoto(owner, db::Clock::now());
    EXPECT_TRUE(photos_->InsertPhoto(photo).ok());
    return photo;
  }

  fs::path dir_;
  std::unique_ptr<db::MetadataStore> photos_;
  std::unique_ptr<db::UserStore> users_;
  std::unique_ptr<db::AlbumStore> albums_store_;
  std::unique_ptr<db::ShareStore> shares_store_;
  std::unique_ptr<AlbumService> albums_;
  std::unique_ptr<ShareService> shares_;
  std::string owner_;
  std::string other_;
};

TEST_F(ShareServiceTest, AnAlbumLinkCoversExactlyItsPhotosOutsideTheTrash) {
  db::PhotoRecord in = AddPhoto(owner_);
  db::PhotoRecord trashed = AddPhoto(owner_);
  db::PhotoRecord outside = AddPhoto(owner_);
  Result<db::AlbumRecord> album = albums_->Create(owner_, {"Trip", ""});
  ASSERT_TRUE(album.ok());
  ASSERT_TRUE(albums_->AddPhotos(owner_, album->id, {in.id, trashed.id}).ok());
  ASSERT_TRUE(photos_->TrashPhoto(trashed.id, db::Clock::now()).ok());
  NewShare request;
  request.album_id = album->id;
  Result<CreatedShare> created = shares_->Create(owner_, request);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_GE(created->token.size(), 22u) << "at least 128 bits";

  Result<ShareAccess> access = shares_->Open(created->token, std::nullopt, std::nullopt);
  ASSERT_TRUE(access.ok()) << access.status().ToString();
  Result<SharedPhotosPage> page = shares_->ListPhotos(*access, std::nullopt, 50);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->photos.size(), 1u);
  EXPECT_EQ(page->photos[0].id, in.id);
  EXPECT_TRUE(shares_->GetPhoto(*access, in.id).ok());
  EXPECT_EQ(shares_->GetPhoto(*access, trashed.id).code(), ErrorCode::kNotFound);
  EXPECT_EQ(shares_->GetPhoto(*access, outside.id).code(), ErrorCode::kNotFound);
}

TEST_F(ShareServiceTest, AlbumOrderLeavesPhotosInTheTrashAtTheEnd) {
  db::PhotoRecord a = AddPhoto(owner_);
  db::PhotoRecord b = AddPhoto(owner_);
  db::PhotoRecord c = AddPhoto(owner_);
  Result<db::AlbumRecord> album = albums_->Create(owner_, {"Order", ""});
  ASSERT_TRUE(albums_->AddPhotos(owner_, album->id, {a.id, b.id, c.id}).ok());
  ASSERT_TRUE(photos_->TrashPhoto(a.id, db::Clock::now()).ok());
  Status s = albums_->SetOrder(owner_, album->id, {c.id, b.id});
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(photos_->RestorePhoto(a.id).ok());
  Result<AlbumPhotosPage> page = albums_->ListPhotos(owner_, album->id, std::nullopt, 10);
  ASSERT_EQ(page->photos.size(), 3u);
  EXPECT_EQ(page->photos[0].id, c.id);
  EXPECT_EQ(page->photos[1].id, b.id);
  EXPECT_EQ(page->photos[2].id, a.id);
  EXPECT_EQ(albums_->SetOrder(owner_, album->id, {c.id}).code(), ErrorCode::kInvalidArgument);
}

TEST_F(ShareServiceTest, OnlyOwnThingsCanBeShared) {
  db::PhotoRecord theirs = AddPhoto(other_);
  Result<db::AlbumRecord> their_album = albums_->Create(other_, {"Theirs", ""});
  ASSERT_TRUE(their_album.ok());
  NewShare photo;
  photo.photo_id = theirs.id;
  EXPECT_EQ(shares_->Create(owner_, photo).code(), ErrorCode::kNotFound);
  NewShare album;
  album.album_id = their_album->id;
  EXPECT_EQ(shares_->Create(owner_, album).code(), ErrorCode::kNotFound);
  NewShare both = album;
  both.photo_id = theirs.id;
  EXPECT_EQ(shares_->Create(other_, both).code(), ErrorCode::kInvalidArgument);
  NewShare past = photo;
  past.expires_at = db::Clock::now() - std::chrono::seconds(1);
  EXPECT_EQ(shares_->Create(other_, past).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(albums_->AddPhotos(owner_, their_album->id, {}).code(), ErrorCode::kNotFound);
}

TEST_F(ShareServiceTest, DeadLinksAndWrongPasswordsLookTheSame) {
  db::PhotoRecord photo = AddPhoto(owner_);
  NewShare request;
  request.photo_id = photo.id;
  request.password = "correct horse";
  Result<CreatedShare> created = shares_->Create(owner_, request);
  ASSERT_TRUE(created.ok());
  const std::string& token = created->token;

  EXPECT_EQ(shares_->Open(token, std::nullopt, std::nullopt).code(),
            ErrorCode::kSharePasswordRequired);
  Result<ShareAccess> wrong = shares_->Open(token, std::string("nope"), std::nullopt);
  Result<ShareAccess> unknown = shares_->Open(NewSecretToken(), std::nullopt, std::nullopt);
  EXPECT_EQ(wrong.code(), ErrorCode::kNotFound);
  EXPECT_EQ(unknown.code(), ErrorCode::kNotFound);
  EXPECT_EQ(wrong.status().public_detail(), unknown.status().public_detail());
  EXPECT_TRUE(shares_->Open(token, std::string("correct horse"), std::nullopt).ok());
  const std::string proof = ShareService::UnlockProof(token, created->share);
  EXPECT_TRUE(shares_->Open(token, std::nullopt, proof).ok());
  EXPECT_EQ(shares_->Open(token, std::nullopt, std::string("forged")).code(),
            ErrorCode::kSharePasswordRequired);

  // Two more wrong passwords reach the limit of 3: then even the right one waits.
  (void)shares_->Open(token, std::string("nope"), std::nullopt);
  (void)shares_->Open(token, std::string("nope"), std::nullopt);
  EXPECT_EQ(shares_->Open(token, std::string("correct horse"), std::nullopt).code(),
            ErrorCode::kTooManyRequests);

  ASSERT_TRUE(shares_->Revoke(owner_, created->share.id).ok());
  Result<ShareAccess> revoked = shares_->Open(token, std::nullopt, proof);
  EXPECT_EQ(revoked.code(), ErrorCode::kNotFound);
  EXPECT_EQ(revoked.status().public_detail(), unknown.status().public_detail());
  EXPECT_EQ(shares_->Revoke(other_, created->share.id).code(), ErrorCode::kNotFound);
}

TEST_F(ShareServiceTest, APhotoLinkDiesWhileItsPhotoIsInTheTrash) {
  db::PhotoRecord photo = AddPhoto(owner_);
  NewShare request;
  request.photo_id = photo.id;
  request.expires_at = db::Clock::now() + std::chrono::hours(1);
  Result<CreatedShare> created = shares_->Create(owner_, request);
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(photos_->TrashPhoto(photo.id, db::Clock::now()).ok());
  EXPECT_EQ(shares_->Open(created->token, std::nullopt, std::nullopt).code(), ErrorCode::kNotFound);
  ASSERT_TRUE(photos_->RestorePhoto(photo.id).ok());
  Result<ShareAccess> access = shares_->Open(created->token, std::nullopt, std::nullopt);
  ASSERT_TRUE(access.ok());
  Result<SharedPhotosPage> page = shares_->ListPhotos(*access, std::nullopt, 10);
  ASSERT_EQ(page->photos.size(), 1u);
  EXPECT_EQ(shares_->GetPhoto(*access, AddPhoto(owner_).id).code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace gallery::service
