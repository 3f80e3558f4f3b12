#pragma once

// How many times, and how long apart, to retry a transient failure:
// exponential backoff with full jitter, within a total time budget.

#include <chrono>

namespace gallery::storage::s3 {

struct RetryPolicy {
  int max_attempts = 4;  // the first try included
  std::chrono::milliseconds base_delay{100};
  std::chrono::milliseconds max_delay{5000};
  std::chrono::milliseconds total_timeout{180000};  // all attempts and waits together
};

// The wait before retry number `retry` (1 for the first retry): uniformly
// random in [0, min(max_delay, base_delay * 2^(retry-1))]. Thread-safe.
std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int retry);

}  // namespace gallery::storage::s3
