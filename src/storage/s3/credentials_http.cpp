#include "storage/s3/credentials_http.hpp"

#include <nlohmann/json.hpp>
#include <thread>

#include "common/time.hpp"
#include "storage/s3/s3_errors.hpp"

namespace gallery::storage::s3 {

Result<HttpResponse> FetchCredentialsResource(HttpClient& http, const HttpRequest& request,
                                              const CredentialsHttpOptions& options,
                                              std::string_view source) {
  const auto deadline = std::chrono::steady_clock::now() + options.retry.total_timeout;
  Status last;
  for (int attempt = 1;; ++attempt) {
    HttpOutcome outcome = http.Send(request, options.timeouts);
    bool retryable;
    if (!outcome.error.ok()) {
      last = Status(outcome.error.code(), std::string(source) + ": " + outcome.error.message());
      retryable = outcome.retryable;
    } else if (outcome.response.status / 100 == 2) {
      return std::move(outcome.response);
    } else {
      const S3Error error = ParseS3Error(outcome.response);
      std::string detail = "HTTP " + std::to_string(error.http_status);
      if (!error.code.empty()) detail += " " + error.code;
      if (!error.message.empty()) detail += ": " + error.message;
      last = Status::Unavailable(std::string(source) + ": " + detail);
      retryable = error.http_status >= 500 || error.http_status == 429 ||
                  error.code == "IDPCommunicationError";
    }
    if (!retryable || attempt >= options.retry.max_attempts) return last;
    const auto delay = BackoffDelay(options.retry, attempt);
    if (std::chrono::steady_clock::now() + delay >= deadline) return last;
    std::this_thread::sleep_for(delay);
  }
}

Result<Credentials> ParseJsonCredentials(std::string_view json, std::string_view source) {
  const nlohmann::json document = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  const auto text = [&](const char* name) -> std::string {
    if (!document.is_object() || !document.contains(name) || !document[name].is_string()) {
      return "";
    }
    return document[name].get<std::string>();
  };
  Credentials credentials;
  credentials.access_key_id = text("AccessKeyId");
  credentials.secret_access_key = text("SecretAccessKey");
  credentials.session_token = text("Token");
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return Status::Unavailable(std::string(source) +
                               ": answer without AccessKeyId and SecretAccessKey");
  }
  const std::string expiration = text("Expiration");
  if (!expiration.empty()) {
    const auto time = ParseRfc3339(expiration);
    if (!time) {
      return Status::Unavailable(std::string(source) + ": unreadable Expiration \"" + expiration +
                                 "\"");
    }
    credentials.expiration = *time;
  }
  return credentials;
}

}  // namespace gallery::storage::s3
