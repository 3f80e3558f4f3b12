#include "storage/s3/retry_policy.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>

#include "common/crypto.hpp"

namespace gallery::storage::s3 {

std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int retry) {
  thread_local std::mt19937_64 random = [] {
    const std::string seed = RandomBytes(sizeof(uint64_t));
    uint64_t value;
    std::memcpy(&value, seed.data(), sizeof value);
    return std::mt19937_64(value);
  }();
  const int doublings = std::clamp(retry - 1, 0, 30);
  const int64_t ceiling = std::min<int64_t>(policy.max_delay.count(),
                                            policy.base_delay.count() * (int64_t{1} << doublings));
  if (ceiling <= 0) return std::chrono::milliseconds(0);
  std::uniform_int_distribution<int64_t> pick(0, ceiling);
  return std::chrono::milliseconds(pick(random));
}

}  // namespace gallery::storage::s3
