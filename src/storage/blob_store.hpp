#pragma once

// BlobStore: where picture bytes live (originals and derivatives).
//
// Keys are produced by the service layer only (e.g. "photos/<id>/original"),
// never from user input: they are non-empty, relative, made of [A-Za-z0-9._/-]
// with no "." or ".." segment, no empty segment ("a//b"), no leading or
// trailing "/", at most kMaxBlobKeyLength bytes, and segments of at most
// kMaxBlobKeySegmentLength bytes (a file name on common file systems). Every
// method that takes a key rejects any other key with kInvalidArgument and
// touches nothing. Keys are ordered bytewise.
//
// A store on a file system cannot hold both "a" and "a/b" (a name is either a
// file or a directory): such a store answers the second Put with kConflict
// and leaves the first object intact. Stores without that limit accept both.
//
// Thread safety: every implementation is safe for concurrent use by many
// threads without external locking. Methods block (disk or network I/O): call
// them from a blocking pool, never from a network thread.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"

namespace gallery::storage {

using Clock = std::chrono::system_clock;

struct BlobInfo {
  std::string key;
  uint64_t size = 0;
  Clock::time_point last_modified;
};

// A half-open byte range [offset, offset + length). length == nullopt means
// "to the end of the object".
struct ByteRange {
  uint64_t offset = 0;
  std::optional<uint64_t> length;
};

struct BlobData {
  std::string bytes;        // the requested range's bytes
  uint64_t total_size = 0;  // the whole object's size
};

struct ListPage {
  std::vector<BlobInfo> blobs;                  // sorted by key, ascending
  std::optional<std::string> next_start_after;  // set when more keys follow
};

struct PutOptions {
  std::string content_type = "application/octet-stream";
};

// 768: S3 allows 1024 bytes for a whole key, and an S3 store puts its
// prefix (up to 256 bytes) in front of every key.
inline constexpr size_t kMaxBlobKeyLength = 768;
inline constexpr size_t kMaxBlobKeySegmentLength = 255;

// Returns OK iff `key` satisfies the key rules above; kInvalidArgument, with
// the reason, otherwise.
Status ValidateBlobKey(std::string_view key);

class BlobStore {
 public:
  virtual ~BlobStore() = default;

  // Stores `bytes` under `key`, replacing any object there. Atomic: a reader
  // sees either the previous object or the whole new one, never a part, and
  // after a crash the key holds one of the two. Returns OK once the bytes are
  // durable.
  virtual Status Put(std::string_view key, std::string_view bytes, const PutOptions& options) = 0;

  // Like Put, with the bytes read from the local file `source` (which may be
  // large: an implementation streams it and never holds it whole in memory).
  // `source` is left as it was. kNotFound when `source` does not exist (the
  // previous object under `key`, if any, is left intact).
  virtual Status PutFile(std::string_view key, const std::filesystem::path& source,
                         const PutOptions& options) = 0;

  // Reads `range` of the object. kNotFound when there is no object;
  // kRangeNotSatisfiable when range.offset >= size (and size > 0). A length
  // past the end is clipped to the end. The bytes always come from one whole
  // version of the object, even while it is being replaced.
  virtual Result<BlobData> Get(std::string_view key, const ByteRange& range = {}) = 0;

  // Size and modification time. kNotFound when there is no object.
  virtual Result<BlobInfo> Head(std::string_view key) = 0;

  // Removes the object. OK when it did not exist (idempotent).
  virtual Status Delete(std::string_view key) = 0;

  // Lists objects whose key starts with `prefix`, in key order, after
  // `start_after` (exclusive; empty = from the start), at most `limit`.
  // `prefix` and `start_after` are plain strings, not keys (e.g. "photos/"):
  // they only filter. next_start_after is the last returned key when more
  // keys follow; pass it back as `start_after` for the next page.
  // kInvalidArgument when limit == 0.
  virtual Result<ListPage> List(std::string_view prefix, std::string_view start_after,
                                size_t limit) = 0;

  // A URL that lets anyone holding it GET the object directly from the
  // store for `ttl`, answering with `content_disposition`; nullopt when the
  // store cannot presign (local disk). Pure computation: no I/O.
  virtual std::optional<std::string> PresignGet(std::string_view key, std::chrono::seconds ttl,
                                                std::string_view content_disposition) {
    (void)key, (void)ttl, (void)content_disposition;
    return std::nullopt;
  }

  // Cheap reachability check for /readyz: OK when the store answers and the
  // configured location is usable.
  virtual Status Ping() = 0;
};

}  // namespace gallery::storage
