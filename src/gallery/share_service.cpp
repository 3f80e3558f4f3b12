#include "gallery/share_service.hpp"

#include <algorithm>

#include "common/crypto.hpp"
#include "common/password.hpp"
#include "gallery/public_errors.hpp"

namespace gallery::service {
namespace {

db::Clock::time_point Now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(db::Clock::now());
}

// The one answer for every link that does not open.
Status DeadLink(std::string why) {
  return Status(ErrorCode::kNotFound, "share link: " + std::move(why),
                "This link does not work: it may have expired or been revoked, or the password "
                "is wrong. Ask its owner for a new one.");
}

std::string FailureKey(const db::ShareRecord& share) { return "share:" + share.id; }

}  // namespace

ShareService::ShareService(db::ShareStore& shares, db::AlbumStore& albums,
                           db::MetadataStore& photos, db::UserStore& failures,
                           ShareServiceOptions options)
    : shares_(shares),
      albums_(albums),
      photos_(photos),
      failures_(failures),
      options_(std::move(options)) {}

Result<CreatedShare> ShareService::Create(const std::string& owner_id, const NewShare& request) {
  if (request.album_id.has_value() == request.photo_id.has_value()) {
    return Status(ErrorCode::kInvalidArgument, "share target",
                  "Give exactly one of album_id and photo_id");
  }
  const db::Clock::time_point now = Now();
  if (request.expires_at && *request.expires_at <= now) {
    return Status(ErrorCode::kInvalidArgument, "share expiry in the past",
                  "expires_at must be in the future");
  }
  if (request.album_id) {
    Result<db::AlbumRecord> album = albums_.GetAlbum(*request.album_id);
    if (!album.ok() || album->owner_id != owner_id) {
      if (album.ok() || album.code() == ErrorCode::kNotFound) {
        return Status(ErrorCode::kNotFound, "album to share", "No such album");
      }
      return album.status();
    }
  } else {
    Result<db::PhotoRecord> photo = photos_.GetPhoto(*request.photo_id);
    if (!photo.ok() || photo->owner_id != owner_id || photo->trashed()) {
      if (photo.ok() || photo.code() == ErrorCode::kNotFound) {
        return Status(ErrorCode::kNotFound, "photo to share", "No such photo");
      }
      return photo.status();
    }
  }
  CreatedShare created;
  created.token = NewSecretToken();
  db::ShareRecord& share = created.share;
  share.id = NewId();
  share.owner_id = owner_id;
  share.token_hash = HashToken(created.token);
  share.album_id = request.album_id;
  share.photo_id = request.photo_id;
  share.expires_at = request.expires_at;
  if (request.password && !request.password->empty()) {
    Result<std::string> hash = HashPassword(*request.password);
    if (!hash.ok()) return hash.status();
    share.password_hash = std::move(*hash);
  }
  share.allow_download = request.allow_download;
  share.show_exif = request.show_exif;
  share.created_at = now;
  GALLERY_RETURN_IF_ERROR(ShowInvalidArgument(shares_.CreateShare(share)));
  return created;
}

Result<db::ShareRecord> ShareService::Get(const std::string& owner_id, const std::string& id) {
  Result<db::ShareRecord> share = shares_.GetShare(id);
  if (share.ok() && share->owner_id != owner_id) {
    return Status::NotFound("share " + id + " of another owner");
  }
  return share;
}

Result<db::SharePage> ShareService::List(const std::string& owner_id,
                                         const std::optional<db::ShareCursor>& after, int limit) {
  return shares_.ListShares(owner_id, after, limit);
}

Status ShareService::Revoke(const std::string& owner_id, const std::string& id) {
  return shares_.RevokeShare(owner_id, id, Now());
}

std::optional<std::string> ShareService::TitleOf(const db::ShareRecord& share) {
  if (!share.album_id) return std::nullopt;
  Result<db::AlbumRecord> album = albums_.GetAlbum(*share.album_id);
  if (!album.ok()) return std::nullopt;
  return album->title;
}

std::string ShareService::UnlockProof(const std::string& token, const db::ShareRecord& share) {
  return HashToken("share-unlock:" + token + ":" + share.password_hash.value_or(""));
}

Result<ShareAccess> ShareService::Open(const std::string& token,
                                       const std::optional<std::string>& password,
                                       const std::optional<std::string>& unlock_proof) {
  if (token.empty() || token.size() > 200) return DeadLink("malformed token");
  const db::Clock::time_point now = Now();
  Result<db::ShareRecord> share = shares_.FindShareByTokenHash(HashToken(token), now);
  if (share.code() == ErrorCode::kNotFound) return DeadLink("unknown, expired or revoked");
  if (!share.ok()) return share.status();

  if (share->password_hash) {
    const bool proven =
        unlock_proof && ConstantTimeEquals(*unlock_proof, UnlockProof(token, *share));
    if (!proven) {
      if (!password || password->empty()) {
        return Status(ErrorCode::kSharePasswordRequired, "share password missing",
                      "This link is protected: enter its password");
      }
      Result<int64_t> failures =
          failures_.CountFailedSignIns(FailureKey(*share), now - options_.password_failure_window);
      if (!failures.ok()) return failures.status();
      if (*failures >= options_.max_password_failures) {
        return Status(ErrorCode::kTooManyRequests, "share password attempts",
                      "Too many wrong passwords for this link; try again later");
      }
      if (!VerifyPassword(*share->password_hash, *password)) {
        (void)failures_.RecordFailedSignIn(FailureKey(*share), now);
        return DeadLink("wrong password");
      }
    }
  }

  ShareAccess access;
  access.share = std::move(*share);
  if (access.share.album_id) {
    Result<db::AlbumRecord> album = albums_.GetAlbum(*access.share.album_id);
    if (album.code() == ErrorCode::kNotFound) return DeadLink("album gone");
    if (!album.ok()) return album.status();
    access.album = std::move(*album);
  } else {
    Result<db::PhotoRecord> photo = photos_.GetPhoto(*access.share.photo_id);
    if (photo.code() == ErrorCode::kNotFound || (photo.ok() && photo->trashed())) {
      return DeadLink("photo gone or in the trash");
    }
    if (!photo.ok()) return photo.status();
  }
  return access;
}

Result<SharedPhotosPage> ShareService::ListPhotos(const ShareAccess& access,
                                                  const std::optional<db::AlbumPhotoCursor>& after,
                                                  int limit) {
  SharedPhotosPage page;
  if (!access.album) {
    if (after) return page;  // the one photo was on the first page
    Result<db::PhotoRecord> photo = GetPhoto(access, *access.share.photo_id);
    if (!photo.ok()) return photo.status();
    page.photos.push_back(std::move(*photo));
    return page;
  }
  Result<db::AlbumPhotoPage> ids = albums_.ListAlbumPhotoIds(access.album->id, after, limit);
  if (!ids.ok()) return ShowInvalidArgument(ids.status());
  page.next = ids->next;
  for (const std::string& id : ids->photo_ids) {
    Result<db::PhotoRecord> photo = photos_.GetPhoto(id);
    if (photo.code() == ErrorCode::kNotFound) continue;  // purged meanwhile
    if (!photo.ok()) return photo.status();
    if (photo->trashed()) continue;
    page.photos.push_back(std::move(*photo));
  }
  return page;
}

Result<db::PhotoRecord> ShareService::GetPhoto(const ShareAccess& access,
                                               const std::string& photo_id) {
  const Status not_covered =
      Status(ErrorCode::kNotFound, "photo not covered by the share", "No such photo in this link");
  if (access.album) {
    Result<std::vector<std::string>> albums = albums_.ListAlbumsOfPhoto(photo_id);
    if (!albums.ok()) return albums.status();
    if (std::find(albums->begin(), albums->end(), access.album->id) == albums->end()) {
      return not_covered;
    }
  } else if (photo_id != *access.share.photo_id) {
    return not_covered;
  }
  Result<db::PhotoRecord> photo = photos_.GetPhoto(photo_id);
  if (photo.code() == ErrorCode::kNotFound || (photo.ok() && photo->trashed())) return not_covered;
  return photo;
}

}  // namespace gallery::service
