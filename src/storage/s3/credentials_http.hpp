#pragma once

// HTTP for credentials sources (STS, the container endpoint, instance
// metadata): short timeouts, a few retries of transient failures, and
// errors that name the source.

#include <string_view>

#include "common/status.hpp"
#include "storage/s3/credentials.hpp"
#include "storage/s3/http_client.hpp"
#include "storage/s3/retry_policy.hpp"

namespace gallery::storage::s3 {

struct CredentialsHttpOptions {
  HttpTimeouts timeouts{std::chrono::milliseconds(1000), std::chrono::milliseconds(5000)};
  RetryPolicy retry{3, std::chrono::milliseconds(100), std::chrono::milliseconds(1000),
                    std::chrono::milliseconds(15000)};
};

// Sends `request`, retrying connection failures, timeouts, 5xx and 429.
// Returns the 2xx answer; otherwise kUnavailable (kTimeout for timeouts)
// with a message that starts with `source` and includes the HTTP status and
// the error code or an excerpt of the body.
Result<HttpResponse> FetchCredentialsResource(HttpClient& http, const HttpRequest& request,
                                              const CredentialsHttpOptions& options,
                                              std::string_view source);

// Parses the JSON document of the container endpoint and of instance
// metadata: {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}.
Result<Credentials> ParseJsonCredentials(std::string_view json, std::string_view source);

}  // namespace gallery::storage::s3
