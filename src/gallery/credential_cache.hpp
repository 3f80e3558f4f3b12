#pragma once

// CredentialCache: who a session or API token was found to be, kept in
// memory for a few seconds, so that authenticating a request (the hot path:
// cached thumbnails are served at tens of thousands of requests a second)
// costs no database call and no hop to the blocking pool.
//
// Entries are keyed by the token itself: hashing it (SHA-256, about a
// microsecond) on every request would cost more than the lookup. The map
// lives in process memory only (the database keeps hashes), holds only
// tokens that were valid, and compares a 64-bit hash of the key before its
// bytes, so lookup times tell nothing about tokens not presented. Each entry
// has its own deadline: the cache TTL, and for sessions no later than their
// absolute or idle expiry. Sign-out, revocation and changes to a user on
// this instance evict at once (Evict*); another instance sharing the
// database notices within its TTL.
//
// Thread safety: safe for concurrent use (sharded, one mutex per shard).
// Never blocks on I/O.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "db/user_store.hpp"

namespace gallery::service {

// Who a request is, as authentication found it.
struct Identity {
  std::string user_id;
  std::string email;
  db::UserRole role = db::UserRole::kUser;
  int64_t quota_bytes = 0;      // 0 = unlimited
  bool via_session = false;     // a session cookie; else a personal API token
  std::string csrf_token_hash;  // sessions: HashToken of the session's CSRF token
  std::string api_token_id;     // API tokens: the token's id

  bool admin() const { return role == db::UserRole::kAdmin; }
};

class CredentialCache {
 public:
  // `max_entries` bounds memory; past it, the shard being written drops its
  // expired entries, then, if still full, everything it holds.
  explicit CredentialCache(size_t max_entries = 100'000);

  // The identity cached under `token`, if its deadline is after `now`.
  std::shared_ptr<const Identity> Find(const std::string& token, db::Clock::time_point now) const;

  // Counts evictions. A caller that validates a credential reads it before
  // asking the database and hands it to Put: an eviction in between (a
  // sign-out racing the validation) then keeps the stale answer out.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

  // Caches `identity` under `token` until `valid_until`, unless an
  // eviction happened since `generation` was read. `now` tells which
  // entries have expired when the shard is full.
  void Put(const std::string& token, std::shared_ptr<const Identity> identity,
           db::Clock::time_point valid_until, db::Clock::time_point now, uint64_t generation);

  // Drops the entry of one session or token / of one API token by id / of
  // every credential of a user.
  void Evict(const std::string& token);
  void EvictApiToken(const std::string& token_id);
  void EvictUser(const std::string& user_id);

  size_t size() const;

 private:
  struct Entry {
    std::shared_ptr<const Identity> identity;
    db::Clock::time_point valid_until;
  };
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, Entry> entries;  // GUARDED_BY(mu)
  };
  static constexpr size_t kShards = 16;

  Shard& ShardFor(const std::string& token) const;
  template <typename Pred>
  void EvictIf(Pred pred);

  const size_t max_per_shard_;
  // Bumped before an eviction erases, so that a Put either sees the new
  // value or lands before the erase (both under the shard's mutex).
  std::atomic<uint64_t> generation_{0};
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace gallery::service
