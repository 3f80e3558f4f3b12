#pragma once

// Caches the credentials of a source and renews temporary ones before they
// expire, so that requests neither fail nor wait for a renewal:
//  - fresh credentials (more than `refresh_before` left) are returned as is;
//  - credentials inside that window but still usable are returned at once,
//    and one background thread fetches new ones; if that fails, the old ones
//    keep being used (and renewal is tried again later) until they are no
//    longer usable;
//  - when there are no usable credentials the callers wait for one fetch
//    (only one runs at a time; the others wait for its result).
// Long-term credentials (no expiration) are fetched once.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "storage/s3/credentials.hpp"

namespace gallery::storage::s3 {

struct CredentialsCacheOptions {
  // Renew this long before expiry (AWS SDKs: 5 minutes).
  std::chrono::seconds refresh_before{300};
  // Credentials with less than this left are not handed out: a request
  // signed with them could reach AWS after they expired.
  std::chrono::seconds min_validity{15};
  // After a fetch, no background renewal starts before this has passed, and
  // after a failed fetch callers get the same error during this time instead
  // of each trying again.
  std::chrono::milliseconds retry_interval{5000};
  // The time (tests move it).
  std::function<Clock::time_point()> clock = [] { return Clock::now(); };
};

class CachingCredentialsProvider final : public CredentialsProvider {
 public:
  explicit CachingCredentialsProvider(std::shared_ptr<CredentialsProvider> source,
                                      CredentialsCacheOptions options = {});
  // Waits for a background renewal in flight (bounded by its HTTP timeouts).
  ~CachingCredentialsProvider() override;

  Result<Credentials> GetCredentials() override;

 private:
  bool IsFresh(const Credentials& credentials, Clock::time_point now) const;
  bool IsUsable(const Credentials& credentials, Clock::time_point now) const;
  // Records the outcome of a fetch. REQUIRES: mu_ held.
  void Record(Result<Credentials> fetched);
  // REQUIRES: mu_ held, !fetching_.
  void StartBackgroundRefresh();

  const std::shared_ptr<CredentialsProvider> source_;
  const CredentialsCacheOptions options_;

  std::mutex mu_;
  std::condition_variable fetched_;    // signalled when a fetch ends
  std::optional<Credentials> cached_;  // GUARDED_BY(mu_)
  Status last_error_;                  // GUARDED_BY(mu_): of the last fetch
  Clock::time_point next_fetch_;       // GUARDED_BY(mu_)
  bool fetching_ = false;              // GUARDED_BY(mu_)
  std::thread refresher_;              // GUARDED_BY(mu_)
};

}  // namespace gallery::storage::s3
