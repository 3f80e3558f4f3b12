#pragma once

// AlbumService: a user's albums. Every call names the acting user; an album
// or photo of someone else answers kNotFound, exactly as one that does not
// exist, so ids of others' things reveal nothing. Albums hold only their
// owner's photos. Photos in the trash stay in their albums but are not
// listed (they come back when restored).
//
// Every method blocks (database): call from a blocking pool. Safe for
// concurrent use.

#include <optional>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "db/album_store.hpp"
#include "db/metadata_store.hpp"

namespace gallery::service {

struct NewAlbum {
  std::string title;
  std::string description;
};

// A page of an album's photos, in album order.
struct AlbumPhotosPage {
  std::vector<db::PhotoRecord> photos;
  std::optional<db::AlbumPhotoCursor> next;
};

class AlbumService {
 public:
  // Both stores must outlive the service.
  AlbumService(db::AlbumStore& albums, db::MetadataStore& photos);

  // kInvalidArgument when the title is empty or too long (1..500 bytes) or
  // the description is over 10000 bytes.
  Result<db::AlbumRecord> Create(const std::string& owner_id, const NewAlbum& album);
  Result<db::AlbumRecord> Get(const std::string& owner_id, const std::string& id);
  Result<db::AlbumPage> List(const std::string& owner_id,
                             const std::optional<db::AlbumCursor>& after, int limit);
  // The new cover must be a photo of the album. Returns the album as stored.
  Result<db::AlbumRecord> Update(const std::string& owner_id, const std::string& id,
                                 const db::AlbumUpdate& update);
  Status Delete(const std::string& owner_id, const std::string& id);

  // The album's photos outside the trash, in album order. A page may hold
  // fewer than `limit` photos when some are in the trash; `next` tells
  // whether more follow.
  Result<AlbumPhotosPage> ListPhotos(const std::string& owner_id, const std::string& id,
                                     const std::optional<db::AlbumPhotoCursor>& after, int limit);

  // Adds the owner's photos (not in the trash) at the end; kNotFound naming
  // the first id that is not one of them, and then nothing is added.
  Result<int64_t> AddPhotos(const std::string& owner_id, const std::string& id,
                            const std::vector<std::string>& photo_ids);
  Result<int64_t> RemovePhotos(const std::string& owner_id, const std::string& id,
                               const std::vector<std::string>& photo_ids);
  Status MovePhoto(const std::string& owner_id, const std::string& id, const std::string& photo_id,
                   const std::optional<std::string>& after_photo_id);
  // `photo_ids` must hold every photo of the album outside the trash, once;
  // those in the trash keep their place after them.
  Status SetOrder(const std::string& owner_id, const std::string& id,
                  const std::vector<std::string>& photo_ids);

 private:
  db::AlbumStore& albums_;
  db::MetadataStore& photos_;
};

}  // namespace gallery::service
