#pragma once

// A bounded, in-memory LRU cache of encoded derivatives, so hot thumbnails
// are served without touching the blob store. Derivatives are immutable, so
// entries never go stale; a deleted photo's entries are dropped explicitly.
//
// Thread safety: all methods are safe for concurrent use.

#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace gallery::service {

struct CachedDerivative {
  std::string bytes;
  std::string content_type;
  std::string etag;
};

class DerivativeCache {
 public:
  // capacity_bytes == 0 disables the cache.
  explicit DerivativeCache(size_t capacity_bytes) : capacity_(capacity_bytes) {}

  std::shared_ptr<const CachedDerivative> Get(const std::string& key);
  // Entries larger than a quarter of the capacity are not cached.
  void Put(const std::string& key, std::shared_ptr<const CachedDerivative> value);
  // Drops every entry whose key starts with `prefix`.
  void ErasePrefix(const std::string& prefix);
  size_t size_bytes() const;

 private:
  using Lru = std::list<std::pair<std::string, std::shared_ptr<const CachedDerivative>>>;
  const size_t capacity_;
  mutable std::mutex mu_;
  Lru lru_;                                               // GUARDED_BY(mu_), front = newest
  std::unordered_map<std::string, Lru::iterator> index_;  // GUARDED_BY(mu_)
  size_t bytes_ = 0;                                      // GUARDED_BY(mu_)
};

}  // namespace gallery::service
