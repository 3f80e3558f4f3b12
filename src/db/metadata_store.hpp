#pragma once

// MetadataStore: the rows that describe photos. Blobs live in the BlobStore;
// a row is written only after every blob it names is durable, so a row never
// points to a missing blob (see ARCHITECTURE.md, upload path).
//
// Thread safety: every implementation is safe for concurrent use without
// external locking. Methods block: call them from a blocking pool.
//
// Implementations: OpenSqliteMetadataStore (sqlite/sqlite_metadata_store.hpp)
// and OpenPostgresMetadataStore (postgres/postgres_metadata_store.hpp); both
// pass the one conformance suite (metadata_store_conformance_testing.hpp).
//
// Every method may also fail with kUnavailable (the database cannot be
// reached, is busy past its timeout, or a connection could not be had in
// time), kTimeout (a statement ran past its timeout), kIoError or kInternal.
// Times are kept to the millisecond: finer parts are truncated on write.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.hpp"

namespace gallery::db {

using Clock = std::chrono::system_clock;

struct PhotoRecord {
  std::string id;  // opaque, random, URL-safe
  // The uploader's user id. Empty only for photos uploaded before accounts
  // existed, until AdoptUnownedPhotos gives them an owner.
  std::string owner_id;
  std::string filename;      // as the client sent it, sanitised (no path parts)
  std::string content_type;  // sniffed from the bytes, e.g. "image/jpeg"
  uint64_t bytes = 0;        // size of the original
  int width = 0;             // as displayed (after EXIF orientation)
  int height = 0;
  int frames = 1;  // pages of an animation, 1 for a still
  std::optional<Clock::time_point> taken_at;
  Clock::time_point uploaded_at;
  std::string sha256;        // hex of the original's bytes; unique per owner
  std::string exif_json;     // a JSON object of extracted EXIF (strings, numbers); "{}" if none
  std::string original_key;  // BlobStore keys
  std::string thumb_key;
  std::string preview_key;
  // Set while the photo is in the trash: when it was put there.
  std::optional<Clock::time_point> deleted_at;

  bool trashed() const { return deleted_at.has_value(); }
  // The listing order: taken time, else upload time.
  Clock::time_point SortTime() const { return taken_at.value_or(uploaded_at); }

  bool operator==(const PhotoRecord&) const = default;
};

// Position in the newest-first listing: the last row of the previous page.
struct PhotoCursor {
  Clock::time_point sort_time;
  std::string id;

  bool operator==(const PhotoCursor&) const = default;
};

struct PhotoPage {
  std::vector<PhotoRecord> photos;
  std::optional<PhotoCursor> next;  // set iff more rows follow
};

// Position in an owner's trash, most recently deleted first: the last row of
// the previous page.
struct TrashCursor {
  Clock::time_point deleted_at;
  std::string id;

  bool operator==(const TrashCursor&) const = default;
};

struct TrashPage {
  std::vector<PhotoRecord> photos;
  std::optional<TrashCursor> next;  // set iff more rows follow
};

class MetadataStore {
 public:
  virtual ~MetadataStore() = default;

  // Inserts the row in one transaction. kAlreadyExists when the owner has a
  // photo with the same sha256 (in the trash or not), or the id is taken;
  // the store is then unchanged. When quota_bytes > 0, kQuotaExceeded (store
  // unchanged) if the owner's photos, trash included, would then hold more
  // than quota_bytes; checked and inserted atomically, so concurrent uploads
  // cannot pass the quota together. kInvalidArgument (store unchanged) when
  // id, owner_id or sha256 is empty, bytes is above INT64_MAX, width or
  // height is negative, frames < 1, exif_json is not a JSON object ("{}"
  // when there is no EXIF), or deleted_at is set. kNotFound when the owner
  // does not exist.
  virtual Status InsertPhoto(const PhotoRecord& photo, int64_t quota_bytes = 0) = 0;

  // The row, trashed or not. kNotFound when no such row.
  virtual Result<PhotoRecord> GetPhoto(const std::string& id) = 0;

  // The owner's photo with these bytes, trashed or not. kNotFound when none.
  virtual Result<PhotoRecord> FindPhotoBySha256(const std::string& owner_id,
                                                const std::string& sha256) = 0;

  // The owner's photos outside the trash, newest first: ordered by
  // SortTime() descending, then id descending. Starts after `after` when
  // given (the cursor's row need not exist any more). At most `limit` rows;
  // kInvalidArgument unless 1 <= limit <= 1000.
  virtual Result<PhotoPage> ListPhotos(const std::string& owner_id,
                                       const std::optional<PhotoCursor>& after, int limit) = 0;

  // The owner's trash, most recently deleted first (deleted_at, then id,
  // descending), after `after`. At most `limit`; kInvalidArgument unless
  // 1 <= limit <= 1000.
  virtual Result<TrashPage> ListTrash(const std::string& owner_id,
                                      const std::optional<TrashCursor>& after, int limit) = 0;

  // Puts the photo in the trash at `at`. kNotFound when there is no such
  // photo or it is in the trash already.
  virtual Status TrashPhoto(const std::string& id, Clock::time_point at) = 0;

  // Takes the photo out of the trash. kNotFound when there is no such photo
  // or it is not in the trash.
  virtual Status RestorePhoto(const std::string& id) = 0;

  // Photos of any owner put in the trash before `before`, oldest first, at
  // most `limit` (1..1000): what the purge removes.
  virtual Result<std::vector<PhotoRecord>> ListTrashedBefore(Clock::time_point before,
                                                             int limit) = 0;

  // Total bytes of the owner's originals, the trash included (what the
  // quota counts). 0 for an owner without photos.
  virtual Result<int64_t> UsedBytes(const std::string& owner_id) = 0;

  // Gives every photo without an owner to `owner_id`; returns how many.
  // Rows whose bytes the owner already has are left unowned (and so
  // invisible), never merged. kNotFound when the owner does not exist.
  virtual Result<int64_t> AdoptUnownedPhotos(const std::string& owner_id) = 0;

  // Removes the row for good (the purge). kNotFound when there was none.
  virtual Status DeletePhoto(const std::string& id) = 0;

  // Number of photo rows (for metrics and tests).
  virtual Result<int64_t> CountPhotos() = 0;

  // Cheap reachability check for /readyz.
  virtual Status Ping() = 0;
};

}  // namespace gallery::db
