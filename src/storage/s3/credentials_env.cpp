#include "storage/s3/credentials_env.hpp"

namespace gallery::storage::s3 {

Result<Credentials> EnvironmentCredentialsProvider::GetCredentials() {
  const auto key_id = env_("AWS_ACCESS_KEY_ID");
  const auto secret = env_("AWS_SECRET_ACCESS_KEY");
  if (!key_id && !secret) {
    return Status::NotFound("environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
  }
  if (!key_id || !secret) {
    return Status::InvalidArgument(
        std::string("environment: ") + (key_id ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY") +
        " is set but " + (key_id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID") + " is not");
  }
  Credentials credentials;
  credentials.access_key_id = *key_id;
  credentials.secret_access_key = *secret;
  credentials.session_token = env_("AWS_SESSION_TOKEN").value_or("");
  return credentials;
}

}  // namespace gallery::storage::s3
