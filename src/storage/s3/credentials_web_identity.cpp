#include "storage/s3/credentials_web_identity.hpp"

#include <fstream>
#include <sstream>

#include "common/time.hpp"
#include "storage/s3/uri_encode.hpp"
#include "storage/s3/xml.hpp"

namespace gallery::storage::s3 {
namespace {

std::string StsEndpoint(const EnvLookup& env, const std::string& default_region) {
  if (auto url = env("AWS_ENDPOINT_URL_STS")) return *url;
  if (auto url = env("AWS_ENDPOINT_URL")) return *url;
  std::string region =
      env("AWS_REGION").value_or(env("AWS_DEFAULT_REGION").value_or(default_region));
  if (region.empty()) return "https://sts.amazonaws.com";
  const std::string suffix = region.starts_with("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
  return "https://sts." + region + suffix;
}

std::string Trim(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  const size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

}  // namespace

WebIdentityCredentialsProvider::WebIdentityCredentialsProvider(EnvLookup env,
                                                               std::shared_ptr<HttpClient> http,
                                                               std::string default_region,
                                                               CredentialsHttpOptions http_options)
    : env_(std::move(env)),
      http_(std::move(http)),
      default_region_(std::move(default_region)),
      http_options_(http_options) {}

Result<Credentials> WebIdentityCredentialsProvider::GetCredentials() {
  const auto token_file = env_("AWS_WEB_IDENTITY_TOKEN_FILE");
  const auto role_arn = env_("AWS_ROLE_ARN");
  if (!token_file && !role_arn) {
    return Status::NotFound(
        "web identity: AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set");
  }
  if (!token_file || !role_arn) {
    return Status::InvalidArgument(
        std::string("web identity: ") +
        (token_file ? "AWS_WEB_IDENTITY_TOKEN_FILE" : "AWS_ROLE_ARN") + " is set but " +
        (token_file ? "AWS_ROLE_ARN" : "AWS_WEB_IDENTITY_TOKEN_FILE") + " is not");
  }
  std::ifstream in(*token_file, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string token = Trim(buffer.str());
  if (!in || token.empty()) {
    return Status::Unavailable(
        "web identity: cannot read a token from AWS_WEB_IDENTITY_TOKEN_FILE " + *token_file);
  }
  const std::string session_name =
      env_("AWS_ROLE_SESSION_NAME")
          .value_or("gallery-" + std::to_string(ToUnixMillis(Clock::now())));

  std::string endpoint = StsEndpoint(env_, default_region_);
  if (!endpoint.ends_with("/")) endpoint.push_back('/');
  const std::string body = EncodeQuery({{"Action", "AssumeRoleWithWebIdentity"},
                                        {"Version", "2011-06-15"},
                                        {"RoleArn", *role_arn},
                                        {"RoleSessionName", session_name},
                                        {"WebIdentityToken", token}});
  StringBody request_body(body);
  const HttpRequest request{"POST",
                            endpoint,
                            {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                             {"Accept", "application/xml"}},
                            &request_body};
  const std::string source =
      "web identity (STS AssumeRoleWithWebIdentity at " + endpoint + " for " + *role_arn + ")";
  Result<HttpResponse> response = FetchCredentialsResource(*http_, request, http_options_, source);
  if (!response.ok()) return response.status();

  Result<XmlElement> xml = ParseXml(response->body);
  const XmlElement* result = xml.ok() ? xml->Child("AssumeRoleWithWebIdentityResult") : nullptr;
  const XmlElement* fields = result ? result->Child("Credentials") : nullptr;
  if (fields == nullptr) {
    return Status::Unavailable(source + ": answer without Credentials");
  }
  Credentials credentials;
  credentials.access_key_id = fields->ChildText("AccessKeyId");
  credentials.secret_access_key = fields->ChildText("SecretAccessKey");
  credentials.session_token = fields->ChildText("SessionToken");
  const auto expiration = ParseRfc3339(fields->ChildText("Expiration"));
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty() ||
      credentials.session_token.empty() || !expiration) {
    return Status::Unavailable(source + ": incomplete Credentials in the answer");
  }
  credentials.expiration = *expiration;
  return credentials;
}

}  // namespace gallery::storage::s3
