#include "gallery/album_service.hpp"

#include <chrono>
#include <set>

#include "common/crypto.hpp"
#include "gallery/public_errors.hpp"

namespace gallery::service {
namespace {

db::Clock::time_point Now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(db::Clock::now());
}

}  // namespace

AlbumService::AlbumService(db::AlbumStore& albums, db::MetadataStore& photos)
    : albums_(albums), photos_(photos) {}

Result<db::AlbumRecord> AlbumService::Create(const std::string& owner_id, const NewAlbum& album) {
  db::AlbumRecord record;
  record.id = NewId();
  record.owner_id = owner_id;
  record.title = album.title;
  record.description = album.description;
  record.created_at = record.updated_at = Now();
  GALLERY_RETURN_IF_ERROR(ShowInvalidArgument(albums_.CreateAlbum(record)));
  return record;
}

Result<db::AlbumRecord> AlbumService::Get(const std::string& owner_id, const std::string& id) {
  Result<db::AlbumRecord> album = albums_.GetAlbum(id);
  if (album.ok() && album->owner_id != owner_id) {
    return Status::NotFound("album " + id + " of another owner");
  }
  return album;
}

Result<db::AlbumPage> AlbumService::List(const std::string& owner_id,
                                         const std::optional<db::AlbumCursor>& after, int limit) {
  return albums_.ListAlbums(owner_id, after, limit);
}

Result<db::AlbumRecord> AlbumService::Update(const std::string& owner_id, const std::string& id,
                                             const db::AlbumUpdate& update) {
  Result<db::AlbumRecord> album = Get(owner_id, id);
  if (!album.ok()) return album.status();
  GALLERY_RETURN_IF_ERROR(ShowInvalidArgument(albums_.UpdateAlbum(id, update, Now())));
  return albums_.GetAlbum(id);
}

Status AlbumService::Delete(const std::string& owner_id, const std::string& id) {
  Result<db::AlbumRecord> album = Get(owner_id, id);
  if (!album.ok()) return album.status();
  return albums_.DeleteAlbum(id);
}

Result<AlbumPhotosPage> AlbumService::ListPhotos(const std::string& owner_id, const std::string& id,
                                                 const std::optional<db::AlbumPhotoCursor>& after,
                                                 int limit) {
  Result<db::AlbumRecord> album = Get(owner_id, id);
  if (!album.ok()) return album.status();
  Result<db::AlbumPhotoPage> ids = albums_.ListAlbumPhotoIds(id, after, limit);
  if (!ids.ok()) return ShowInvalidArgument(ids.status());
  AlbumPhotosPage page;
  page.next = ids->next;
  for (const std::string& photo_id : ids->photo_ids) {
    Result<db::PhotoRecord> photo = photos_.GetPhoto(photo_id);
    if (photo.code() == ErrorCode::kNotFound) continue;  // purged meanwhile
    if (!photo.ok()) return photo.status();
    if (photo->trashed()) continue;
    page.photos.push_back(std::move(*photo));
  }
  return page;
}

Result<int64_t> AlbumService::AddPhotos(const std::string& owner_id, const std::string& id,
                                        const std::vector<std::string>& photo_ids) {
  Result<db::AlbumRecord> album = Get(owner_id, id);
  if (!album.ok()) return album.status();
  if (photo_ids.size() > 1000) {
    return Status(ErrorCode::kInvalidArgument, "too many photo ids",
                  "Add at most 1000 photos per call");
  }
  for (const std::string& photo_id : photo_ids) {
    Result<db::PhotoRecord> photo = photos_.GetPhoto(photo_id);
    if (photo.ok() && (photo->owner_id != owner_id || photo->trashed())) {
      photo = Status::NotFound("photo " + photo_id);
    }
    if (!photo.ok()) {
      if (photo.code() != ErrorCode::kNotFound) return photo.status();
      return Status(ErrorCode::kNotFound, photo.status().message(),
                    "No photo " + photo_id.substr(0, 64) + " to add: nothing was added");
    }
  }
  Result<int64_t> added = albums_.AddPhotos(id, photo_ids, Now());
  if (!added.ok()) return ShowInvalidArgument(added.status());
  return added;
}

Result<int64_t> AlbumService::RemovePhotos(const std::string& owner_id, const std::string& id,
                                           const std::vector<std::string>& photo_ids) {
  Result<db::AlbumRecord> album = Get(owner_id, id);
  if (!album.ok()) return album.status();
  Result<int64_t> removed = albums_.RemovePhotos(id, photo_ids, Now());
  if (!removed.ok()) return ShowInvalidArgument(removed.status());
  return removed;
}

Status AlbumService::MovePhoto(const std::string& owner_id, const std::string& id,
                               const std::string& photo_id,
                               const std::optional<std::string>& after_photo_id) {
  Result<db::AlbumRecord> album = Get(owner_id, id);
  if (!album.ok()) return album.status();
  return ShowInvalidArgument(albums_.MovePhoto(id, photo_id, after_photo_id, Now()));
}

Status AlbumService::SetOrder(const std::string& owner_id, const std::string& id,
                              const std::vector<std::string>& photo_ids) {
  Result<db::AlbumRecord> album = Get(owner_id, id);
  if (!album.ok()) return album.status();
  // The caller sees the album without its photos in the trash, so it orders
  // those it sees; the hidden ones keep their place at the end.
  std::vector<std::string> order = photo_ids;
  const std::set<std::string> given(photo_ids.begin(), photo_ids.end());
  std::optional<db::AlbumPhotoCursor> after;
  do {
    Result<db::AlbumPhotoPage> page = albums_.ListAlbumPhotoIds(id, after, 1000);
    if (!page.ok()) return page.status();
    for (const std::string& member : page->photo_ids) {
      if (given.count(member)) continue;
      Result<db::PhotoRecord> photo = photos_.GetPhoto(member);
      if (photo.ok() && photo->trashed()) order.push_back(member);
    }
    after = page->next;
  } while (after);
  return ShowInvalidArgument(albums_.SetOrder(id, order, Now()));
}

}  // namespace gallery::service
