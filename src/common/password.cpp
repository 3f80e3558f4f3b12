#include "common/password.hpp"

#include <sodium.h>

#include <cstdlib>

#include "common/crypto.hpp"

namespace gallery {
namespace {

constexpr unsigned long long kOpsLimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr size_t kMemLimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

// sodium_init once per process. A function-local static is initialised
// exactly once even when several threads get here first together.
void EnsureSodium() {
  static const bool initialised = [] {
    if (sodium_init() < 0) std::abort();  // no secure randomness: nothing safe can go on
    return true;
  }();
  (void)initialised;
}

}  // namespace

Result<std::string> HashPassword(std::string_view plain) {
  EnsureSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, plain.data(), plain.size(), kOpsLimit, kMemLimit) != 0) {
    return Status::Internal("argon2id: out of memory hashing a password");
  }
  return std::string(out);
}

bool VerifyPassword(const std::string& encoded, std::string_view plain) {
  EnsureSodium();
  // libsodium reads `encoded` up to its terminating NUL: one inside the
  // string would hide the rest, so such a string is malformed.
  if (encoded.empty() || encoded.find('\0') != std::string::npos ||
      encoded.size() >= crypto_pwhash_STRBYTES) {
    return false;
  }
  return crypto_pwhash_str_verify(encoded.c_str(), plain.data(), plain.size()) == 0;
}

bool NeedsRehash(const std::string& encoded) {
  EnsureSodium();
  if (encoded.find('\0') != std::string::npos) return true;
  // 0: current parameters; 1: other parameters; -1: not an argon2id string.
  return crypto_pwhash_str_needs_rehash(encoded.c_str(), kOpsLimit, kMemLimit) != 0;
}

std::string NewSecretToken() { return Base64UrlEncode(RandomBytes(32)); }

std::string HashToken(std::string_view token) { return Sha256Hex(token); }

}  // namespace gallery
