#include "storage/s3/credentials_container.hpp"

#include <fstream>
#include <sstream>

#include "storage/s3/s3_endpoint.hpp"

namespace gallery::storage::s3 {
namespace {

// The AWS SDKs accept a plain-http full URI only to these hosts: the token
// would otherwise cross a network in clear.
bool IsAllowedHttpHost(std::string_view host) {
  return host == "localhost" || host.starts_with("127.") || host == "[::1]" ||
         host == "169.254.170.2" || host == "169.254.170.23" || host == "[fd00:ec2::23]";
}

Status CheckFullUri(const std::string& uri) {
  std::string_view rest = uri;
  bool http;
  if (rest.starts_with("https://")) {
    http = false;
    rest.remove_prefix(8);
  } else if (rest.starts_with("http://")) {
    http = true;
    rest.remove_prefix(7);
  } else {
    return Status::InvalidArgument("container credentials: AWS_CONTAINER_CREDENTIALS_FULL_URI \"" +
                                   uri + "\" is not an http(s) URL");
  }
  Result<S3Endpoint> endpoint =
      ParseS3Endpoint(uri.substr(0, uri.size() - rest.size()) +
                      std::string(rest.substr(0, rest.find_first_of("/?#"))));
  if (!endpoint.ok()) {
    return Status::InvalidArgument("container credentials: AWS_CONTAINER_CREDENTIALS_FULL_URI \"" +
                                   uri + "\" has no usable host");
  }
  if (http && !IsAllowedHttpHost(endpoint->host)) {
    return Status::InvalidArgument(
        "container credentials: AWS_CONTAINER_CREDENTIALS_FULL_URI \"" + uri +
        "\": plain http is allowed only to a loopback address or the ECS/EKS agent");
  }
  return Status::Ok();
}

}  // namespace

ContainerCredentialsProvider::ContainerCredentialsProvider(EnvLookup env,
                                                           std::shared_ptr<HttpClient> http,
                                                           std::string relative_uri_base,
                                                           CredentialsHttpOptions http_options)
    : env_(std::move(env)),
      http_(std::move(http)),
      relative_uri_base_(std::move(relative_uri_base)),
      http_options_(http_options) {}

Result<Credentials> ContainerCredentialsProvider::GetCredentials() {
  std::string url;
  if (auto relative = env_("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
    url = relative_uri_base_ + (relative->starts_with("/") ? "" : "/") + *relative;
  } else if (auto full = env_("AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
    GALLERY_RETURN_IF_ERROR(CheckFullUri(*full));
    url = *full;
  } else {
    return Status::NotFound(
        "container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and "
        "AWS_CONTAINER_CREDENTIALS_FULL_URI are not set");
  }
  const std::string source = "container credentials (" + url + ")";

  HeaderList headers = {{"Accept", "application/json"}};
  std::optional<std::string> token;
  if (auto token_file = env_("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
    std::ifstream in(*token_file, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    if (!in) {
      return Status::Unavailable(source + ": cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " +
                                 *token_file);
    }
    token = buffer.str();
    // A file usually ends with a newline; that is not part of the token.
    while (!token->empty() && (token->back() == '\n' || token->back() == '\r')) token->pop_back();
  } else {
    token = env_("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  }
  if (token) {
    if (token->find_first_of("\r\n") != std::string::npos) {
      return Status::InvalidArgument(source + ": the authorization token contains a line break");
    }
    headers.emplace_back("Authorization", *token);
  }
  Result<HttpResponse> response =
      FetchCredentialsResource(*http_, {"GET", url, headers, nullptr}, http_options_, source);
  if (!response.ok()) return response.status();
  return ParseJsonCredentials(response->body, source);
}

}  // namespace gallery::storage::s3
