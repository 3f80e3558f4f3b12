#include "gallery/derivative_cache.hpp"

namespace gallery::service {

std::shared_ptr<const CachedDerivative> DerivativeCache::Get(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->second;
}

void DerivativeCache::Put(const std::string& key, std::shared_ptr<const CachedDerivative> value) {
  size_t size = value->bytes.size() + key.size();
  if (capacity_ == 0 || size > capacity_ / 4) return;
  std::lock_guard lock(mu_);
  auto it = index_.find(key);
  if (it != index_.end()) {
    bytes_ -= it->second->second->bytes.size() + key.size();
    lru_.erase(it->second);
    index_.erase(it);
  }
  lru_.emplace_front(key, std::move(value));
  index_[key] = lru_.begin();
  bytes_ += size;
  while (bytes_ > capacity_ && !lru_.empty()) {
    auto& last = lru_.back();
    bytes_ -= last.second->bytes.size() + last.first.size();
    index_.erase(last.first);
    lru_.pop_back();
  }
}

void DerivativeCache::ErasePrefix(const std::string& prefix) {
  std::lock_guard lock(mu_);
  for (auto it = lru_.begin(); it != lru_.end();) {
    if (it->first.compare(0, prefix.size(), prefix) == 0) {
      bytes_ -= it->second->bytes.size() + it->first.size();
      index_.erase(it->first);
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
