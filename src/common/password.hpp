#pragma once

// Password and secret-token hashing: the one place the project touches
// libsodium.
//
// Passwords are low-entropy and chosen by people, so they are hashed with a
// deliberately slow, memory-hard function (argon2id, random salt, parameters
// stored in the encoded string). Tokens (sessions, API tokens, share links,
// CSRF) are 256 random bits made by NewSecretToken: guessing one is hopeless
// whatever the hash, so a fast hash (SHA-256) is right for them, and it lets
// the database look a token up by its hash with an index.
//
// Thread safety: every function is safe to call from any thread.

#include <string>
#include <string_view>

#include "common/status.hpp"

namespace gallery {

// The argon2id encoded form ("$argon2id$v=19$m=65536,t=2,p=1$salt$hash") of
// `plain`, with a fresh random salt, at libsodium's INTERACTIVE limits
// (2 passes over 64 MiB: about 0.1 s on one core). MODERATE (256 MiB, ~0.7 s)
// would let a handful of concurrent sign-ins take a small container's memory
// and make the sign-in endpoint an easy denial of service; INTERACTIVE is
// libsodium's setting for online logins, and sign-in attempts are rate
// limited per account and per client address on top.
// kInternal only when the memory cannot be had.
Result<std::string> HashPassword(std::string_view plain);

// Whether `plain` matches `encoded` (made by HashPassword, or by any argon2
// parameters libsodium understands). Constant time in `plain`'s content.
// false, never an error, when `encoded` is malformed.
bool VerifyPassword(const std::string& encoded, std::string_view plain);

// Whether `encoded` was made with other parameters than HashPassword uses
// now (or is malformed): the caller re-hashes the password it just verified.
bool NeedsRehash(const std::string& encoded);

// A new secret token: 32 random bytes (256 bits) as 43 base64url characters.
std::string NewSecretToken();

// Lower-case hex SHA-256 of a secret token: what the database stores and
// indexes instead of the token itself.
std::string HashToken(std::string_view token);

}  // namespace gallery
