#include "storage/s3/credentials_imds.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace gallery::storage::s3 {
namespace {

constexpr std::string_view kTokenPath = "/latest/api/token";
constexpr std::string_view kRolesPath = "/latest/meta-data/iam/security-credentials/";

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

InstanceMetadataCredentialsProvider::InstanceMetadataCredentialsProvider(
    EnvLookup env, std::shared_ptr<HttpClient> http, std::string default_endpoint,
    CredentialsHttpOptions http_options)
    : env_(std::move(env)),
      http_(std::move(http)),
      default_endpoint_(std::move(default_endpoint)),
      http_options_(http_options) {}

CredentialsHttpOptions InstanceMetadataCredentialsProvider::DefaultHttpOptions() {
  CredentialsHttpOptions options;
  options.timeouts = {std::chrono::milliseconds(1000), std::chrono::milliseconds(1000)};
  options.retry.max_attempts = 2;
  options.retry.total_timeout = std::chrono::milliseconds(5000);
  return options;
}

Result<Credentials> InstanceMetadataCredentialsProvider::GetCredentials() {
  if (auto disabled = env_("AWS_EC2_METADATA_DISABLED");
      disabled && EqualsIgnoreCase(*disabled, "true")) {
    return Status::NotFound("instance metadata: disabled by AWS_EC2_METADATA_DISABLED");
  }
  std::string endpoint = default_endpoint_;
  if (auto configured = env_("AWS_EC2_METADATA_SERVICE_ENDPOINT")) {
    endpoint = *configured;
  } else if (auto mode = env_("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
             mode && EqualsIgnoreCase(*mode, "IPv6")) {
    endpoint = "http://[fd00:ec2::254]";
  }
  while (endpoint.ends_with("/")) endpoint.pop_back();
  const std::string source = "instance metadata (" + endpoint + ")";

  Result<HttpResponse> token =
      FetchCredentialsResource(*http_,
                               {"PUT",
                                endpoint + std::string(kTokenPath),
                                {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}},
                                nullptr},
                               http_options_, source + " token");
  if (!token.ok()) return token.status();
  const HeaderList with_token = {{"X-aws-ec2-metadata-token", token->body}};
  if (token->body.empty() || token->body.find_first_of("\r\n") != std::string::npos) {
    return Status::Unavailable(source + ": unusable session token");
  }

  Result<HttpResponse> roles = FetchCredentialsResource(
      *http_, {"GET", endpoint + std::string(kRolesPath), with_token, nullptr}, http_options_,
      source + " role");
  if (!roles.ok()) {
    return Status(roles.status().code(),
                  roles.status().message() + " (does the instance have an IAM role?)");
  }
  std::string role = roles->body.substr(0, roles->body.find('\n'));
  while (!role.empty() && std::isspace(static_cast<unsigned char>(role.back()))) role.pop_back();
  if (role.empty() || role.find('/') != std::string::npos) {
    return Status::Unavailable(source + ": no IAM role attached to the instance");
  }

  Result<HttpResponse> document = FetchCredentialsResource(
      *http_, {"GET", endpoint + std::string(kRolesPath) + role, with_token, nullptr},
      http_options_, source + " credentials of role " + role);
  if (!document.ok()) return document.status();
  // {"Code": "Success", ...}: any other code is a failure the service reports.
  const nlohmann::json parsed = nlohmann::json::parse(document->body, nullptr, false);
  if (parsed.is_object() && parsed.contains("Code") && parsed["Code"] != "Success") {
    return Status::Unavailable(source + ": credentials of role " + role +
                               " not available: " + parsed["Code"].dump() + " " +
                               (parsed.contains("Message") ? parsed["Message"].dump() : ""));
  }
  return ParseJsonCredentials(document->body, source + " role " + role);
}

}  // namespace gallery::storage::s3
