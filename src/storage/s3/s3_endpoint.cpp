#include "storage/s3/s3_endpoint.hpp"

#include <arpa/inet.h>

#include <charconv>

#include "storage/s3/uri_encode.hpp"

namespace gallery::storage::s3 {
namespace {

Status BadEndpoint(std::string_view url, std::string_view why) {
  return Status::InvalidArgument("GALLERY_S3_ENDPOINT \"" + std::string(url) +
                                 "\": " + std::string(why) +
                                 " (expected http://host[:port] or https://host[:port])");
}

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

}  // namespace

std::string S3Endpoint::Authority() const {
  const int default_port = scheme == "https" ? 443 : 80;
  if (port == 0 || port == default_port) return host;
  return host + ":" + std::to_string(port);
}

bool S3Endpoint::HostIsIpAddress() const {
  if (host.starts_with("[")) return true;
  in_addr addr{};
  return inet_pton(AF_INET, host.c_str(), &addr) == 1;
}

Result<S3Endpoint> ParseS3Endpoint(std::string_view url) {
  S3Endpoint endpoint;
  std::string_view rest;
  if (url.starts_with("https://")) {
    endpoint.scheme = "https";
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    endpoint.scheme = "http";
    rest = url.substr(7);
  } else {
    return BadEndpoint(url, "scheme must be http or https");
  }
  if (rest.ends_with("/")) rest.remove_suffix(1);
  if (rest.find_first_of("/?#@") != std::string_view::npos) {
    return BadEndpoint(url, "only a scheme, a host and a port are allowed");
  }
  std::string_view host = rest;
  std::string_view port;
  if (rest.starts_with("[")) {  // IPv6 literal
    const size_t close = rest.find(']');
    if (close == std::string_view::npos) return BadEndpoint(url, "unterminated IPv6 address");
    host = rest.substr(0, close + 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') return BadEndpoint(url, "junk after the IPv6 address");
      port = rest.substr(close + 2);
    }
  } else {
    const size_t colon = rest.find(':');
    if (colon != std::string_view::npos) {
      host = rest.substr(0, colon);
      port = rest.substr(colon + 1);
    }
    for (char c : host) {
      if (!IsHostChar(c)) return BadEndpoint(url, "invalid character in the host");
    }
  }
  if (host.empty() || host == "[]") return BadEndpoint(url, "no host");
  endpoint.host = std::string(host);
  if (!port.empty() || rest.ends_with(":")) {
    int value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value < 1 || value > 65535) {
      return BadEndpoint(url, "port must be 1 to 65535");
    }
    endpoint.port = value;
  }
  return endpoint;
}

S3Endpoint AwsS3Endpoint(std::string_view region) {
  const std::string suffix = region.starts_with("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
  return S3Endpoint{"https", "s3." + std::string(region) + suffix, 0};
}

S3Addressing::S3Addressing(S3Endpoint endpoint, std::string bucket, bool force_path_style)
    : endpoint_(std::move(endpoint)), bucket_(std::move(bucket)) {
  const bool dotted_over_tls =
      endpoint_.scheme == "https" && bucket_.find('.') != std::string::npos;
  path_style_ = force_path_style || dotted_over_tls || endpoint_.HostIsIpAddress();
}

S3Address S3Addressing::Resolve(std::string_view key, std::string_view query) const {
  S3Address address;
  const std::string encoded_key = UriEncode(key, /*keep_slash=*/true);
  if (path_style_) {
    address.host = endpoint_.Authority();
    address.path = "/" + bucket_;
    if (!key.empty()) address.path += "/" + encoded_key;
  } else {
    address.host = bucket_ + "." + endpoint_.Authority();
    address.path = "/" + encoded_key;
  }
  address.url = endpoint_.scheme + "://" + address.host + address.path;
  if (!query.empty()) {
    address.url.push_back('?');
    address.url += query;
  }
  return address;
}

}  // namespace gallery::storage::s3
