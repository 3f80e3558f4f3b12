#pragma once

// SignInLimiter: rate limiting of password guesses, on the failed sign-in log
// that every instance shares (UserStore::RecordFailedSignIn and friends), so
// a guesser gains nothing by spreading attempts over instances.
//
// A key ("email:<normalised email>", "ip:<client address>", or another
// caller's kind) is locked out while it has at least its limit of failures
// within the last `window`. The lock lifts by itself once enough of those
// failures have aged out of the window; attempts made while locked are
// refused without being checked or recorded, so they do not extend it.
// Whether an account exists plays no part: an unknown email locks out
// exactly like a known one.
//
// Locks found are remembered in memory until they lift, so a guesser
// hammering a locked key costs this instance no database call.
//
// Thread safety: safe for concurrent use. Methods that reach the store
// block: call them from a blocking pool.

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.hpp"
#include "db/user_store.hpp"

namespace gallery::service {

struct SignInLimits {
  int max_failures_per_account = 5;   // per "email:" key
  int max_failures_per_address = 50;  // per "ip:" key: a shared address (NAT) has many users
  std::chrono::milliseconds window{15 * 60 * 1000};
};

// "email:<normalised email>": one account, whether it exists or not.
std::string AccountKey(std::string_view email);
// "ip:<address>": one client address.
std::string AddressKey(std::string_view address);

class SignInLimiter {
 public:
  struct Key {
    std::string key;
    int limit = 1;  // failures within the window that lock the key out
  };

  // `store` must outlive the limiter; `now` is the clock (tests inject one).
  SignInLimiter(db::UserStore& store, std::chrono::milliseconds window,
                std::function<db::Clock::time_point()> now);

  // OK when no key is locked out. kTooManyRequests when one is, with
  // retry_after() the seconds until every locked key lifts (at least 1);
  // the store's errors otherwise.
  Status Check(const std::vector<Key>& keys);

  // Records one failure under every key, at now.
  Status RecordFailure(const std::vector<Key>& keys);

  // Forgets the failures of `key` (after a successful sign-in).
  Status Clear(const std::string& key);

  // Deletes failures older than the window, of every key. Returns how many.
  Result<int64_t> Prune();

 private:
  // When `key`, which has at least `limit` failures in the window ending at
  // `now`, unlocks (no new failures assumed). Second resolution, rounded up.
  Result<db::Clock::time_point> UnlockTime(const Key& key, db::Clock::time_point now);

  db::UserStore& store_;
  const std::chrono::milliseconds window_;
  const std::function<db::Clock::time_point()> now_;

  std::mutex mu_;
  std::unordered_map<std::string, db::Clock::time_point> locked_until_;  // GUARDED_BY(mu_)
};

}  // namespace gallery::service
