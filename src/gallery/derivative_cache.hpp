#pragma once

// A bounded, in-memory LRU cache of encoded derivatives, so hot thumbnails
// are served without touching the blob store. Derivatives are immutable, so
// their bytes never go stale; but the photo may be deleted, possibly through
// another instance. So every entry records when the photo's row was last
// seen, and callers serve an entry without asking the database only while
// that is recent (see PhotoService).
//
// Thread safety: all methods are safe for concurrent use.

#include <chrono>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace gallery::service {

struct CachedDerivative {
  std::string owner_id;  // the photo's owner: who may be served it by id
  std::string bytes;
  std::string content_type;
  std::string etag;
};

struct CacheHit {
  std::shared_ptr<const CachedDerivative> value;      // null on a miss
  std::chrono::steady_clock::time_point verified_at;  // when the row was last seen
};

class DerivativeCache {
 public:
  // capacity_bytes == 0 disables the cache.
  explicit DerivativeCache(size_t capacity_bytes) : capacity_(capacity_bytes) {}

  CacheHit Get(const std::string& key);
  // Entries larger than a quarter of the capacity are not cached. The row
  // counts as seen now.
  void Put(const std::string& key, std::shared_ptr<const CachedDerivative> value);
  // Records that the photo's row was seen now (no-op on a miss).
  void MarkVerified(const std::string& key);
  // Drops every entry whose key starts with `prefix`.
  void ErasePrefix(const std::string& prefix);
  size_t size_bytes() const;

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const CachedDerivative> value;
    std::chrono::steady_clock::time_point verified_at;
  };
  using Lru = std::list<Entry>;
  const size_t capacity_;
  mutable std::mutex mu_;
  Lru lru_;                                               // GUARDED_BY(mu_), front = newest
  std::unordered_map<std::string, Lru::iterator> index_;  // GUARDED_BY(mu_)
  size_t bytes_ = 0;                                      // GUARDED_BY(mu_)
};

}  // namespace gallery::service
