#include "gallery/derivative_cache.hpp"

namespace gallery::service {

CacheHit DerivativeCache::Get(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) return {};
  lru_.splice(lru_.begin(), lru_, it->second);
  return {it->second->value, it->second->verified_at};
}

void DerivativeCache::Put(const std::string& key, std::shared_ptr<const CachedDerivative> value) {
  size_t size = value->bytes.size() + key.size();
  if (capacity_ == 0 || size > capacity_ / 4) return;
  std::lock_guard lock(mu_);
  auto it = index_.find(key);
  if (it != index_.end()) {
    bytes_ -= it->second->value->bytes.size() + key.size();
    lru_.erase(it->second);
    index_.erase(it);
  }
  lru_.push_front(Entry{key, std::move(value), std::chrono::steady_clock::now()});
  index_[key] = lru_.begin();
  bytes_ += size;
  while (bytes_ > capacity_ && !lru_.empty()) {
    Entry& last = lru_.back();
    bytes_ -= last.value->bytes.size() + last.key.size();
    index_.erase(last.key);
    lru_.pop_back();
  }
}

void DerivativeCache::MarkVerified(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = index_.find(key);
  if (it != index_.end()) it->second->verified_at = std::chrono::steady_clock::now();
}

void DerivativeCache::ErasePrefix(const std::string& prefix) {
  std::lock_guard lock(mu_);
  for (auto it = lru_.begin(); it != lru_.end();) {
    if (it->key.compare(0, prefix.size(), prefix) == 0) {
      bytes_ -= it->value->bytes.size() + it->key.size();
      index_.erase(it->key);
      it = lru_.erase(it);
    } else {
      ++it;
    }
  }
}

size_t DerivativeCache::size_bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

}  // namespace gallery::service
