#pragma once

// The default credentials chain: the sources the AWS SDKs look at, in their
// order (botocore and the Java SDK v2 agree on it):
//   1. environment variables           (credentials_env.hpp)
//   2. web identity token + role ARN   (credentials_web_identity.hpp)
//   3. shared credentials/config files (credentials_profile.hpp)
//   4. container credentials endpoint  (credentials_container.hpp)
//   5. EC2 instance metadata (IMDSv2)  (credentials_imds.hpp)
// wrapped in a cache that renews temporary credentials early
// (credentials_cache.hpp).

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/s3/credentials.hpp"
#include "storage/s3/credentials_cache.hpp"
#include "storage/s3/credentials_container.hpp"
#include "storage/s3/credentials_http.hpp"
#include "storage/s3/credentials_imds.hpp"
#include "storage/s3/env_lookup.hpp"
#include "storage/s3/http_client.hpp"

namespace gallery::storage::s3 {

// Asks its sources in order. A source answering kNotFound is not configured
// and is skipped; the first configured source decides, with its credentials
// or its error (a configured but failing source never silently gives way to
// another identity). Once a source has delivered, only that source is asked
// from then on.
class CredentialsChain final : public CredentialsProvider {
 public:
  explicit CredentialsChain(std::vector<std::shared_ptr<CredentialsProvider>> sources);

  // kUnavailable listing why each source did not apply when none is
  // configured.
  Result<Credentials> GetCredentials() override;

 private:
  const std::vector<std::shared_ptr<CredentialsProvider>> sources_;
  std::mutex mu_;
  std::shared_ptr<CredentialsProvider> chosen_;  // GUARDED_BY(mu_)
};

struct DefaultCredentialsOptions {
  // For the regional STS endpoint when AWS_REGION and AWS_DEFAULT_REGION
  // are unset (the bucket's region).
  std::string region;
  EnvLookup env = ProcessEnvironment();
  // nullptr: a curl client that never uses a proxy.
  std::shared_ptr<HttpClient> http;
  // Production values; tests point them at loopback servers.
  std::string container_relative_uri_base = std::string(kEcsCredentialsHost);
  std::string imds_endpoint = std::string(kImdsEndpoint);
  CredentialsHttpOptions http_options;  // STS and container endpoint
  CredentialsHttpOptions imds_http_options;
  CredentialsCacheOptions cache;

  DefaultCredentialsOptions();
};

// The chain above, cached. No I/O until the first GetCredentials.
std::shared_ptr<CredentialsProvider> NewDefaultCredentialsProvider(
    const DefaultCredentialsOptions& options = {});

}  // namespace gallery::storage::s3
