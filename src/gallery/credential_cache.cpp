#include "gallery/credential_cache.hpp"

#include <algorithm>
#include <functional>

namespace gallery::service {

CredentialCache::CredentialCache(size_t max_entries)
    : max_per_shard_(std::max<size_t>(1, max_entries / kShards)) {}

CredentialCache::Shard& CredentialCache::ShardFor(const std::string& token) const {
  return shards_[std::hash<std::string>{}(token) % kShards];
}

std::shared_ptr<const Identity> CredentialCache::Find(const std::string& token,
                                                      db::Clock::time_point now) const {
  Shard& shard = ShardFor(token);
  std::lock_guard lock(shard.mu);
  auto it = shard.entries.find(token);
  if (it == shard.entries.end() || it->second.valid_until <= now) return nullptr;
  return it->second.identity;
}

void CredentialCache::Put(const std::string& token, std::shared_ptr<const Identity> identity,
                          db::Clock::time_point valid_until, db::Clock::time_point now,
                          uint64_t generation) {
  Shard& shard = ShardFor(token);
  std::lock_guard lock(shard.mu);
  if (generation_.load(std::memory_order_acquire) != generation) return;
  if (shard.entries.size() >= max_per_shard_ && !shard.entries.contains(token)) {
    std::erase_if(shard.entries, [now](const auto& e) { return e.second.valid_until <= now; });
    if (shard.entries.size() >= max_per_shard_) shard.entries.clear();
  }
  shard.entries[token] = Entry{std::move(identity), valid_until};
}

void CredentialCache::Evict(const std::string& token) {
  generation_.fetch_add(1, std::memory_order_acq_rel);
  Shard& shard = ShardFor(token);
  std::lock_guard lock(shard.mu);
  shard.entries.erase(token);
}

template <typename Pred>
void CredentialCache::EvictIf(Pred pred) {
  generation_.fetch_add(1, std::memory_order_acq_rel);
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    std::erase_if(shard.entries, [&pred](const auto& e) { return pred(*e.second.identity); });
  }
}

void CredentialCache::EvictApiToken(const std::string& token_id) {
  EvictIf(
      [&token_id](const Identity& id) { return !id.via_session && id.api_token_id == token_id; });
}

void CredentialCache::EvictUser(const std::string& user_id) {
  EvictIf([&user_id](const Identity& id) { return id.user_id == user_id; });
}

size_t CredentialCache::size() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    n += shard.entries.size();
  }
  return n;
}

}  // namespace gallery::service
