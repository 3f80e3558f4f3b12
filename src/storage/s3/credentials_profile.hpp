#pragma once

// Static keys from the AWS shared files, as the AWS SDKs read them:
//   profile:     AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default"
//   credentials: AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials
//   config:      AWS_CONFIG_FILE, else ~/.aws/config ("[profile name]")
// aws_access_key_id, aws_secret_access_key and aws_session_token are taken
// from the credentials file's section when it has them, else from the
// config file's.

#include "storage/s3/credentials.hpp"
#include "storage/s3/env_lookup.hpp"

namespace gallery::storage::s3 {

class ProfileCredentialsProvider final : public CredentialsProvider {
 public:
  explicit ProfileCredentialsProvider(EnvLookup env) : env_(std::move(env)) {}

  // Reads the files on every call (wrap it in a cache).
  //   kNotFound: the default profile is absent, or has no credential
  //     settings (e.g. only a region).
  //   kInvalidArgument: a profile named by AWS_PROFILE does not exist, keys
  //     are incomplete, or the profile gets its credentials in a way this
  //     program does not implement (role_arn, credential_process, sso).
  Result<Credentials> GetCredentials() override;

 private:
  const EnvLookup env_;
};

}  // namespace gallery::storage::s3
