#include "gallery/sign_in_limiter.hpp"

#include <algorithm>

namespace gallery::service {
namespace {

using db::Clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Locks remembered beyond this many prompt a sweep of the lifted ones, so
// that a guesser cycling through keys cannot grow the map without bound.
constexpr size_t kLockMemorySweepAt = 10'000;

}  // namespace

std::string AccountKey(std::string_view email) { return "email:" + db::NormalizeEmail(email); }

std::string AddressKey(std::string_view address) { return "ip:" + std::string(address); }

SignInLimiter::SignInLimiter(db::UserStore& store, milliseconds window,
                             std::function<Clock::time_point()> now)
    : store_(store), window_(window), now_(std::move(now)) {}

Status SignInLimiter::Check(const std::vector<Key>& keys) {
  const Clock::time_point now = now_();
  Clock::time_point until = now;
  for (const Key& key : keys) {
    {
      std::lock_guard lock(mu_);
      auto it = locked_until_.find(key.key);
      if (it != locked_until_.end()) {
        if (it->second > now) {
          until = std::max(until, it->second);
          continue;
        }
        locked_until_.erase(it);
      }
    }
    Result<int64_t> failures = store_.CountFailedSignIns(key.key, now - window_);
    if (!failures.ok()) return failures.status();
    if (*failures < key.limit) continue;
    Result<Clock::time_point> unlock = UnlockTime(key, now);
    if (!unlock.ok()) return unlock.status();
    until = std::max(until, *unlock);
    std::lock_guard lock(mu_);
    if (locked_until_.size() >= kLockMemorySweepAt) {
      std::erase_if(locked_until_, [now](const auto& entry) { return entry.second <= now; });
    }
    locked_until_[key.key] = *unlock;
  }
  if (until <= now) return Status::Ok();
  // Whole seconds, rounded up: retrying at Retry-After must not be early.
  const auto wait = std::max<int64_t>(1, std::chrono::ceil<seconds>(until - now).count());
  return Status(ErrorCode::kTooManyRequests, "sign-in locked out",
                "Too many failed sign-ins. Try again in " + std::to_string(wait) + " seconds.")
      .WithRetryAfter(seconds(wait));
}

Result<Clock::time_point> SignInLimiter::UnlockTime(const Key& key, Clock::time_point now) {
  // The failures are f1 <= ... <= fn inside the window, n >= limit. Without
  // new ones the key unlocks once the limit-th newest failure leaves the
  // window. Its time is the largest `since` at which at least `limit`
  // failures are at or after `since`: found by bisection on the count,
  // which only the store can answer (it keeps no timestamps for us).
  // Invariant: count(lo) >= limit > count(hi).
  Clock::time_point lo = now - window_;
  Clock::time_point hi = now + milliseconds(1);
  while (hi - lo > seconds(1)) {
    const Clock::time_point mid = lo + (hi - lo) / 2;
    Result<int64_t> n = store_.CountFailedSignIns(key.key, mid);
    if (!n.ok()) return n.status();
    (*n >= key.limit ? lo : hi) = mid;
  }
  // That failure is before hi; the window has left it behind by hi + window.
  return hi + window_;
}

Status SignInLimiter::RecordFailure(const std::vector<Key>& keys) {
  const Clock::time_point now = now_();
  for (const Key& key : keys) GALLERY_RETURN_IF_ERROR(store_.RecordFailedSignIn(key.key, now));
  return Status::Ok();
}

Status SignInLimiter::Clear(const std::string& key) {
  {
    std::lock_guard lock(mu_);
    locked_until_.erase(key);
  }
  return store_.ClearFailedSignIns(key);
}

Result<int64_t> SignInLimiter::Prune() {
  return store_.DeleteFailedSignInsBefore(now_() - window_);
}

}  // namespace gallery::service
