#include "http/request_id.hpp"

#include <cstring>
#include <random>

#include "common/crypto.hpp"

namespace gallery::http {
namespace {

bool SaneToken(std::string_view v) {
  if (v.empty() || v.size() > 128) return false;
  for (char c : v) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '=' || c == '+' || c == '/' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string RequestIdFrom(const Fields& headers) {
  auto it = headers.find("X-Request-Id");
  if (it != headers.end() && SaneToken(it->value())) return std::string(it->value());
  it = headers.find("X-Amzn-Trace-Id");
  if (it != headers.end()) {
    // "Root=1-67891233-abcdef012345678912345678;Parent=...;Sampled=1"
    std::string_view v = it->value();
    size_t root = v.find("Root=");
    if (root != std::string_view::npos) {
      std::string_view id = v.substr(root + 5);
      id = id.substr(0, id.find(';'));
      if (SaneToken(id)) return std::string(id);
    }
  }
  return NewRequestId();
}

std::string NewRequestId() {
  // Per thread: a generator seeded from the system CSPRNG.
  thread_local std::mt19937_64 generator = [] {
    std::string seed = RandomBytes(sizeof(uint64_t) * 4);
    std::seed_seq seq(seed.begin(), seed.end());
    return std::mt19937_64(seq);
  }();
  uint64_t words[2] = {generator(), generator()};
  std::string bytes(sizeof words, '\0');
  std::memcpy(bytes.data(), words, sizeof words);
  return Base64UrlEncode(bytes);
}

}  // namespace gallery::http
