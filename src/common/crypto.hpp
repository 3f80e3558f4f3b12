#pragma once

// Hashing, HMAC, randomness and encodings, over OpenSSL. The one place the
// project touches these primitives.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace gallery {

using Sha256Digest = std::array<uint8_t, 32>;

// Incremental SHA-256 (for bodies that arrive in pieces).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view data);
  // Finishes the hash; the object must not be updated afterwards.
  Sha256Digest Finish();

 private:
  void* ctx_;  // EVP_MD_CTX*
};

// Incremental SHA-1. Only for protocols that name it (the tus checksum
// extension's required algorithm): never for anything secret.
using Sha1Digest = std::array<uint8_t, 20>;
class Sha1 {
 public:
  Sha1();
  ~Sha1();
  Sha1(const Sha1&) = delete;
  Sha1& operator=(const Sha1&) = delete;

  void Update(std::string_view data);
  // Finishes the hash; the object must not be updated afterwards.
  Sha1Digest Finish();

 private:
  void* ctx_;  // EVP_MD_CTX*
};

Sha256Digest Sha256Of(std::string_view data);
std::string Sha256Hex(std::string_view data);
Sha256Digest HmacSha256(std::string_view key, std::string_view data);

// Cryptographically secure random bytes (aborts if the system CSPRNG fails:
// nothing secure can go on without it).
std::string RandomBytes(size_t n);

// A new opaque id: 16 random bytes (128 bits) as 22 base64url characters.
std::string NewId();

std::string HexEncode(std::string_view bytes);
std::string Base64UrlEncode(std::string_view bytes);  // no padding
// Returns false on characters outside the base64url alphabet.
bool Base64UrlDecode(std::string_view text, std::string* out);
std::string Base64Encode(std::string_view bytes);  // standard, padded
// Decodes the standard alphabet; the "=" padding may be there or not (but
// nothing may follow it). Returns false on anything else, e.g. a length
// that no encoding has.
bool Base64Decode(std::string_view text, std::string* out);

// Constant-time comparison (for secrets).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace gallery
