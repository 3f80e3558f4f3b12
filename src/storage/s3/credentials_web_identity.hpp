#pragma once

// Temporary credentials for a role assumed with a web identity token (EKS
// IRSA, and anything else that mounts an OIDC token): STS
// AssumeRoleWithWebIdentity, an unsigned call.
//   AWS_WEB_IDENTITY_TOKEN_FILE  file holding the token (read on every call:
//                                the orchestrator rotates it)
//   AWS_ROLE_ARN                 the role
//   AWS_ROLE_SESSION_NAME        optional; default "gallery-<time>"
//   AWS_ENDPOINT_URL_STS         optional STS endpoint (else AWS_ENDPOINT_URL,
//                                else https://sts.<region>.amazonaws.com with
//                                AWS_REGION, AWS_DEFAULT_REGION or the
//                                region given, else https://sts.amazonaws.com)

#include <memory>
#include <string>

#include "storage/s3/credentials.hpp"
#include "storage/s3/credentials_http.hpp"
#include "storage/s3/env_lookup.hpp"
#include "storage/s3/http_client.hpp"

namespace gallery::storage::s3 {

class WebIdentityCredentialsProvider final : public CredentialsProvider {
 public:
  WebIdentityCredentialsProvider(EnvLookup env, std::shared_ptr<HttpClient> http,
                                 std::string default_region,
                                 CredentialsHttpOptions http_options = {});

  // kNotFound when neither AWS_WEB_IDENTITY_TOKEN_FILE nor AWS_ROLE_ARN is
  // set; kInvalidArgument when only one is; kUnavailable when the token
  // cannot be read or STS refuses (the message carries STS's error code).
  Result<Credentials> GetCredentials() override;

 private:
  const EnvLookup env_;
  const std::shared_ptr<HttpClient> http_;
  const std::string default_region_;
  const CredentialsHttpOptions http_options_;
};

}  // namespace gallery::storage::s3
