#include "storage/s3/credentials_cache.hpp"

#include "common/log.hpp"
#include "common/time.hpp"

namespace gallery::storage::s3 {

CachingCredentialsProvider::CachingCredentialsProvider(std::shared_ptr<CredentialsProvider> source,
                                                       CredentialsCacheOptions options)
    : source_(std::move(source)), options_(std::move(options)) {}

CachingCredentialsProvider::~CachingCredentialsProvider() {
  std::thread refresher;
  {
    std::lock_guard lock(mu_);
    refresher.swap(refresher_);
  }
  if (refresher.joinable()) refresher.join();
}

bool CachingCredentialsProvider::IsFresh(const Credentials& credentials,
                                         Clock::time_point now) const {
  return !credentials.expiration || now < *credentials.expiration - options_.refresh_before;
}

bool CachingCredentialsProvider::IsUsable(const Credentials& credentials,
                                          Clock::time_point now) const {
  return !credentials.expiration || now < *credentials.expiration - options_.min_validity;
}

void CachingCredentialsProvider::Record(Result<Credentials> fetched) {
  const Clock::time_point now = options_.clock();
  next_fetch_ = now + options_.retry_interval;
  if (fetched.ok() && !IsUsable(*fetched, now)) {
    fetched = Status::Unavailable("credentials source returned credentials that expire at " +
                                  FormatRfc3339(*fetched->expiration) + ", too soon to use");
  }
  if (fetched.ok()) {
    cached_ = std::move(fetched).value();
    last_error_ = Status::Ok();
    return;
  }
  last_error_ = fetched.status();
  if (cached_ && IsUsable(*cached_, now)) {
    LogWarn("aws credentials renewal failed, still using the current ones",
            {{"error", last_error_.message()},
             {"current_expire_at",
              cached_->expiration ? FormatRfc3339(*cached_->expiration) : "never"}});
  }
}

void CachingCredentialsProvider::StartBackgroundRefresh() {
  fetching_ = true;
  // A previous refresher has finished (fetching_ was false): reap it.
  if (refresher_.joinable()) refresher_.join();
  refresher_ = std::thread([this] {
    Result<Credentials> fetched = source_->GetCredentials();
    std::lock_guard lock(mu_);
    Record(std::move(fetched));
    fetching_ = false;
    fetched_.notify_all();
  });
}

Result<Credentials> CachingCredentialsProvider::GetCredentials() {
  std::unique_lock lock(mu_);
  for (;;) {
    const Clock::time_point now = options_.clock();
    if (cached_ && IsFresh(*cached_, now)) return *cached_;
    if (cached_ && IsUsable(*cached_, now)) {
      if (!fetching_ && now >= next_fetch_) StartBackgroundRefresh();
      return *cached_;
    }
    // Nothing usable: wait for the fetch in flight, or fetch.
    if (fetching_) {
      fetched_.wait(lock, [this] { return !fetching_; });
      continue;
    }
    if (!last_error_.ok() && now < next_fetch_) return last_error_;
    fetching_ = true;
    lock.unlock();
    Result<Credentials> fetched = source_->GetCredentials();
    lock.lock();
    Record(std::move(fetched));
    fetching_ = false;
    fetched_.notify_all();
    if (!last_error_.ok()) return last_error_;
  }
}

}  // namespace gallery::storage::s3
