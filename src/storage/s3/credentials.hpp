#pragma once

// AWS credentials and the interface of everything that supplies them.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "common/status.hpp"

namespace gallery::storage::s3 {

using Clock = std::chrono::system_clock;

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
  // When temporary credentials stop working; nullopt for long-term keys.
  std::optional<Clock::time_point> expiration;
};

// A source of credentials (environment, files, STS, container endpoint,
// instance metadata, ...).
//
// Thread safety: implementations are safe for concurrent use.
class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;

  // Returns credentials to sign a request with now. kNotFound when this
  // source is not configured at all (so that a chain moves on to the next
  // source); kUnavailable (or kInvalidArgument for a malformed setting) when
  // it is configured but could not deliver, with a message naming the source.
  // May block on I/O (files, HTTP) unless the provider says otherwise.
  virtual Result<Credentials> GetCredentials() = 0;
};

// Always returns the same credentials (tests, explicit configuration).
class StaticCredentialsProvider final : public CredentialsProvider {
 public:
  explicit StaticCredentialsProvider(Credentials credentials)
      : credentials_(std::move(credentials)) {}
  Result<Credentials> GetCredentials() override { return credentials_; }

 private:
  const Credentials credentials_;
};

}  // namespace gallery::storage::s3
