#pragma once

// Credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and, for
// temporary ones, AWS_SESSION_TOKEN.

#include "storage/s3/credentials.hpp"
#include "storage/s3/env_lookup.hpp"

namespace gallery::storage::s3 {

class EnvironmentCredentialsProvider final : public CredentialsProvider {
 public:
  explicit EnvironmentCredentialsProvider(EnvLookup env) : env_(std::move(env)) {}

  // kNotFound when neither key variable is set; kInvalidArgument when only
  // one is. No I/O.
  Result<Credentials> GetCredentials() override;

 private:
  const EnvLookup env_;
};

}  // namespace gallery::storage::s3
