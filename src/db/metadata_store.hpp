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
  std::string id;            // opaque, random, URL-safe
  std::string filename;      // as the client sent it, sanitised (no path parts)
  std::string content_type;  // sniffed from the bytes, e.g. "image/jpeg"
  uint64_t bytes = 0;        // size of the original
  int width = 0;             // as displayed (after EXIF orientation)
  int height = 0;
  int frames = 1;  // pages of an animation, 1 for a still
  std::optional<Clock::time_point> taken_at;
  Clock::time_point uploaded_at;
  std::string sha256;        // hex of the original's bytes; unique per store
  std::string exif_json;     // a JSON object of extracted EXIF (strings, numbers); "{}" if none
  std::string original_key;  // BlobStore keys
  std::string thumb_key;
  std::string preview_key;

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

class MetadataStore {
 public:
  virtual ~MetadataStore() = default;

  // Inserts the row in one transaction. kAlreadyExists when a photo with the
  // same sha256 (or id) exists; the store is then unchanged.
  // kInvalidArgument (store unchanged) when id or sha256 is empty, bytes is
  // above INT64_MAX, width or height is negative, frames < 1, or exif_json is
  // not a JSON object ("{}" when there is no EXIF).
  virtual Status InsertPhoto(const PhotoRecord& photo) = 0;

  // kNotFound when no such row.
  virtual Result<PhotoRecord> GetPhoto(const std::string& id) = 0;

  // kNotFound when no photo has these bytes.
  virtual Result<PhotoRecord> FindPhotoBySha256(const std::string& sha256) = 0;

  // Newest first: ordered by SortTime() descending, then id descending.
  // Starts after `after` when given (the cursor's row need not exist any
  // more). At most `limit` rows; kInvalidArgument unless 1 <= limit <= 1000.
  virtual Result<PhotoPage> ListPhotos(const std::optional<PhotoCursor>& after, int limit) = 0;

  // Removes the row. kNotFound when there was none.
  virtual Status DeletePhoto(const std::string& id) = 0;

  // Number of photo rows (for metrics and tests).
  virtual Result<int64_t> CountPhotos() = 0;

  // Cheap reachability check for /readyz.
  virtual Status Ping() = 0;
};

}  // namespace gallery::db
