#include "storage/s3/s3_client_factory.hpp"

#include "storage/s3/credentials_chain.hpp"

namespace gallery::storage::s3 {

Result<std::unique_ptr<S3Client>> NewS3ClientFromOptions(const S3Options& options) {
  GALLERY_RETURN_IF_ERROR(ValidateS3Options(options));
  S3ClientConfig config;
  if (options.endpoint.empty()) {
    config.endpoint = AwsS3Endpoint(options.region);
  } else {
    Result<S3Endpoint> endpoint = ParseS3Endpoint(options.endpoint);
    if (!endpoint.ok()) return endpoint.status();
    config.endpoint = std::move(endpoint).value();
  }
  config.bucket = options.bucket;
  config.force_path_style = options.force_path_style;
  config.region = options.region;
  config.retry = {options.max_attempts, options.retry_base_delay, options.retry_max_delay,
                  options.operation_timeout};
  config.timeouts = {options.connect_timeout, options.request_timeout};
  config.sse = options.sse;
  config.kms_key_id = options.kms_key_id;

  std::shared_ptr<CredentialsProvider> credentials = options.credentials;
  if (!credentials) {
    DefaultCredentialsOptions defaults;
    defaults.region = options.region;
    credentials = NewDefaultCredentialsProvider(defaults);
  }
  CurlHttpClientOptions http;
  http.ca_file = options.ca_file;
  return std::make_unique<S3Client>(std::move(config), std::move(credentials),
                                    std::shared_ptr<HttpClient>(NewCurlHttpClient(http)));
}

}  // namespace gallery::storage::s3
