#pragma once

// Credentials of the EC2 instance role, from the instance metadata service,
// IMDSv2 only (a session token first, then the role, then its credentials):
//   AWS_EC2_METADATA_DISABLED=true         off
//   AWS_EC2_METADATA_SERVICE_ENDPOINT      e.g. http://169.254.169.254
//   AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE IPv6 -> http://[fd00:ec2::254]

#include <memory>
#include <string>

#include "storage/s3/credentials.hpp"
#include "storage/s3/credentials_http.hpp"
#include "storage/s3/env_lookup.hpp"
#include "storage/s3/http_client.hpp"

namespace gallery::storage::s3 {

inline constexpr std::string_view kImdsEndpoint = "http://169.254.169.254";

class InstanceMetadataCredentialsProvider final : public CredentialsProvider {
 public:
  // `default_endpoint` is used when the environment names none:
  // kImdsEndpoint in production, a loopback server in tests.
  InstanceMetadataCredentialsProvider(EnvLookup env, std::shared_ptr<HttpClient> http,
                                      std::string default_endpoint = std::string(kImdsEndpoint),
                                      CredentialsHttpOptions http_options = DefaultHttpOptions());

  // kNotFound when disabled; kUnavailable when the service does not answer,
  // refuses the token, or the instance has no role.
  Result<Credentials> GetCredentials() override;

  // One second per attempt, two attempts (the SDKs' defaults): off EC2 the
  // address does not answer and the chain must not wait long.
  static CredentialsHttpOptions DefaultHttpOptions();

 private:
  const EnvLookup env_;
  const std::shared_ptr<HttpClient> http_;
  const std::string default_endpoint_;
  const CredentialsHttpOptions http_options_;
};

}  // namespace gallery::storage::s3
