#include "storage/s3/credentials_chain.hpp"

#include "storage/s3/credentials_container.hpp"
#include "storage/s3/credentials_env.hpp"
#include "storage/s3/credentials_imds.hpp"
#include "storage/s3/credentials_profile.hpp"
#include "storage/s3/credentials_web_identity.hpp"

namespace gallery::storage::s3 {

CredentialsChain::CredentialsChain(std::vector<std::shared_ptr<CredentialsProvider>> sources)
    : sources_(std::move(sources)) {}

Result<Credentials> CredentialsChain::GetCredentials() {
  std::shared_ptr<CredentialsProvider> chosen;
  {
    std::lock_guard lock(mu_);
    chosen = chosen_;
  }
  if (chosen) return chosen->GetCredentials();

  std::string reasons;
  for (const auto& source : sources_) {
    Result<Credentials> credentials = source->GetCredentials();
    if (credentials.code() == ErrorCode::kNotFound) {
      reasons += (reasons.empty() ? "" : "; ") + credentials.status().message();
      continue;
    }
    if (credentials.ok()) {
      std::lock_guard lock(mu_);
      chosen_ = source;
    }
    return credentials;
  }
  return Status::Unavailable("no AWS credentials found: " + reasons);
}

DefaultCredentialsOptions::DefaultCredentialsOptions()
    : imds_http_options(InstanceMetadataCredentialsProvider::DefaultHttpOptions()) {}

std::shared_ptr<CredentialsProvider> NewDefaultCredentialsProvider(
    const DefaultCredentialsOptions& options) {
  std::shared_ptr<HttpClient> http = options.http;
  if (!http) {
    CurlHttpClientOptions curl;
    curl.max_idle_handles = 2;
    curl.use_environment_proxy = false;
    http = NewCurlHttpClient(curl);
  }
  std::vector<std::shared_ptr<CredentialsProvider>> sources = {
      std::make_shared<EnvironmentCredentialsProvider>(options.env),
      std::make_shared<WebIdentityCredentialsProvider>(options.env, http, options.region,
                                                       options.http_options),
      std::make_shared<ProfileCredentialsProvider>(options.env),
      std::make_shared<ContainerCredentialsProvider>(
          options.env, http, options.container_relative_uri_base, options.http_options),
      std::make_shared<InstanceMetadataCredentialsProvider>(
          options.env, http, options.imds_endpoint, options.imds_http_options),
  };
  return std::make_shared<CachingCredentialsProvider>(
      std::make_shared<CredentialsChain>(std::move(sources)), options.cache);
}

}  // namespace gallery::storage::s3
