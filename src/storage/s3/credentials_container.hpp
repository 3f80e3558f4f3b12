#pragma once

// Credentials of the ECS task role (and of EKS Pod Identity), from the
// container credentials endpoint:
//   AWS_CONTAINER_CREDENTIALS_RELATIVE_URI   path on http://169.254.170.2
//   AWS_CONTAINER_CREDENTIALS_FULL_URI       a whole URL: https, or http to
//                                            a loopback address or the
//                                            ECS/EKS agent addresses only
//   AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE   sent as Authorization (read on
//                                            every call; wins over the next)
//   AWS_CONTAINER_AUTHORIZATION_TOKEN        sent as Authorization

#include <memory>
#include <string>

#include "storage/s3/credentials.hpp"
#include "storage/s3/credentials_http.hpp"
#include "storage/s3/env_lookup.hpp"
#include "storage/s3/http_client.hpp"

namespace gallery::storage::s3 {

inline constexpr std::string_view kEcsCredentialsHost = "http://169.254.170.2";

class ContainerCredentialsProvider final : public CredentialsProvider {
 public:
  // `relative_uri_base` is where a relative URI points: kEcsCredentialsHost
  // in production, a loopback server in tests.
  ContainerCredentialsProvider(EnvLookup env, std::shared_ptr<HttpClient> http,
                               std::string relative_uri_base = std::string(kEcsCredentialsHost),
                               CredentialsHttpOptions http_options = {});

  // kNotFound when neither URI variable is set; kInvalidArgument for a full
  // URI to a host that is not allowed or a token with line breaks;
  // kUnavailable when the endpoint fails.
  Result<Credentials> GetCredentials() override;

 private:
  const EnvLookup env_;
  const std::shared_ptr<HttpClient> http_;
  const std::string relative_uri_base_;
  const CredentialsHttpOptions http_options_;
};

}  // namespace gallery::storage::s3
