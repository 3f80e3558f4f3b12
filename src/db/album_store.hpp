#pragma once

// AlbumStore: albums and which photos they hold, in the owner's order. A
// photo can be in many albums; an album holds photos, not copies.
//
// Deleting a photo row (MetadataStore::DeletePhoto) removes it from every
// album and clears every cover that was that photo: the schema's foreign
// keys do it in the same transaction, whoever deletes the row. Deleting a
// user deletes their albums the same way.
//
// Ownership is recorded (owner_id) but not enforced here: the service checks
// that the caller owns the album and the photos before calling.
//
// Thread safety: every implementation is safe for concurrent use without
// external locking, also by several processes sharing one database; the
// changes to one album are serialised, so concurrent AddPhotos append in
// some order without interleaving positions. Methods block.
//
// Implementations: NewSqliteAlbumStore (sqlite/sqlite_database.hpp) and
// NewPostgresAlbumStore (postgres/postgres_database.hpp). Every
// implementation passes the one conformance suite
// (AlbumStoreConformanceTest in account_stores_conformance_testing.hpp).
//
// Every method may also fail with kUnavailable, kTimeout, kIoError or
// kInternal. Times are kept to the millisecond.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "db/metadata_store.hpp"

namespace gallery::db {

struct AlbumRecord {
  std::string id;  // opaque, random, URL-safe
  std::string owner_id;
  std::string title;                          // 1..500 bytes
  std::string description;                    // 0..10000 bytes
  std::optional<std::string> cover_photo_id;  // always a photo in the album
  Clock::time_point created_at;
  Clock::time_point updated_at;  // last change to the album or its photos
  // Photos in the album outside the trash (a photo in the trash stays in
  // its albums, hidden, until it is restored or purged). Computed on read;
  // ignored by CreateAlbum.
  int64_t photo_count = 0;

  bool operator==(const AlbumRecord&) const = default;
};

// Position in the newest-first listing of an owner's albums: the last album
// of the previous page.
struct AlbumCursor {
  Clock::time_point created_at;
  std::string id;

  bool operator==(const AlbumCursor&) const = default;
};

struct AlbumPage {
  std::vector<AlbumRecord> albums;
  std::optional<AlbumCursor> next;  // set iff more rows follow
};

// Position in an album's order: the last photo of the previous page.
// `position` is the store's sort key, meaningful only to the store.
struct AlbumPhotoCursor {
  int64_t position = 0;
  std::string photo_id;

  bool operator==(const AlbumPhotoCursor&) const = default;
};

struct AlbumPhotoPage {
  std::vector<std::string> photo_ids;    // in album order
  std::optional<AlbumPhotoCursor> next;  // set iff more rows follow
};

// What UpdateAlbum changes: the fields that are set.
struct AlbumUpdate {
  std::optional<std::string> title;
  std::optional<std::string> description;
  // Set to a photo id: that photo (in the album) becomes the cover. Set to
  // nullopt inside: the album has no cover. Unset: the cover stays.
  std::optional<std::optional<std::string>> cover_photo_id;
};

class AlbumStore {
 public:
  virtual ~AlbumStore() = default;

  // Inserts an empty album (photo_count and cover_photo_id are ignored: a
  // new album has no photos, so no cover). kAlreadyExists when the id is
  // taken; kNotFound when the owner does not exist; kInvalidArgument when id
  // is empty or title or description is outside its limits. Store unchanged
  // on error.
  virtual Status CreateAlbum(const AlbumRecord& album) = 0;

  // kNotFound when no such album.
  virtual Result<AlbumRecord> GetAlbum(const std::string& id) = 0;

  // Applies the set fields of `update` and sets updated_at to `at`, in one
  // transaction. kNotFound when no such album; kInvalidArgument (album
  // unchanged) when a field is outside its limits or the new cover is not a
  // photo in this album.
  virtual Status UpdateAlbum(const std::string& id, const AlbumUpdate& update,
                             Clock::time_point at) = 0;

  // Deletes the album, its memberships and the shares of it; never photos.
  // kNotFound when there was none.
  virtual Status DeleteAlbum(const std::string& id) = 0;

  // The owner's albums, newest first (created_at, then id, descending),
  // starting after `after` (whose album need not exist any more). At most
  // `limit`; kInvalidArgument unless 1 <= limit <= 1000.
  virtual Result<AlbumPage> ListAlbums(const std::string& owner_id,
                                       const std::optional<AlbumCursor>& after, int limit) = 0;

  // Appends the photos to the end of the album, in the order given. Photos
  // already in the album (or repeated in the list) stay where they are:
  // adding is idempotent. Sets updated_at to `at` if anything was added.
  // Returns how many were added. kNotFound when the album or any of the
  // photos does not exist; the album is then unchanged. kInvalidArgument
  // for more than 1000 ids or an empty id.
  virtual Result<int64_t> AddPhotos(const std::string& album_id,
                                    const std::vector<std::string>& photo_ids,
                                    Clock::time_point at) = 0;

  // Removes the photos from the album (not from the store); ids not in it
  // are ignored. Clears the cover if it was removed. Sets updated_at to `at`
  // if anything was removed. Returns how many were removed. kNotFound when
  // the album does not exist; kInvalidArgument for more than 1000 ids.
  virtual Result<int64_t> RemovePhotos(const std::string& album_id,
                                       const std::vector<std::string>& photo_ids,
                                       Clock::time_point at) = 0;

  // Moves one photo to just after `after_photo_id`, or to the front when
  // that is nullopt; the others keep their order. Sets updated_at to `at`.
  // kNotFound when the album does not exist or either photo is not in it;
  // kInvalidArgument when the two ids are the same.
  virtual Status MovePhoto(const std::string& album_id, const std::string& photo_id,
                           const std::optional<std::string>& after_photo_id,
                           Clock::time_point at) = 0;

  // Puts the album's photos in exactly this order. Sets updated_at to `at`.
  // kNotFound when the album does not exist; kInvalidArgument (order
  // unchanged) unless `photo_ids` holds every photo of the album exactly
  // once and nothing else. Albums of up to 100000 photos.
  virtual Status SetOrder(const std::string& album_id, const std::vector<std::string>& photo_ids,
                          Clock::time_point at) = 0;

  // The album's photo ids in album order, starting after `after` (whose
  // photo need not be in the album any more). At most `limit`;
  // kInvalidArgument unless 1 <= limit <= 1000. kNotFound when the album
  // does not exist.
  virtual Result<AlbumPhotoPage> ListAlbumPhotoIds(const std::string& album_id,
                                                   const std::optional<AlbumPhotoCursor>& after,
                                                   int limit) = 0;

  // Ids of the albums holding the photo (any owner), in no particular order.
  virtual Result<std::vector<std::string>> ListAlbumsOfPhoto(const std::string& photo_id) = 0;
};

}  // namespace gallery::db
