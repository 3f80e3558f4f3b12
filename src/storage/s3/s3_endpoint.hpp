#pragma once

// Where requests for a bucket go: the endpoint (AWS or an S3-compatible
// store) and the addressing style (virtual-hosted or path).

#include <string>
#include <string_view>

#include "common/status.hpp"

namespace gallery::storage::s3 {

struct S3Endpoint {
  std::string scheme;  // "http" or "https"
  std::string host;    // "s3.eu-west-1.amazonaws.com", "127.0.0.1", "[::1]"
  int port = 0;        // 0 = the scheme's default

  // host, plus ":port" when a port is given and not the scheme's default.
  std::string Authority() const;
  bool HostIsIpAddress() const;
};

// Parses "http(s)://host[:port][/]". kInvalidArgument, naming
// GALLERY_S3_ENDPOINT, for anything else (a path, a query, user info, ...).
Result<S3Endpoint> ParseS3Endpoint(std::string_view url);

// https://s3.<region>.amazonaws.com (".amazonaws.com.cn" in China regions).
S3Endpoint AwsS3Endpoint(std::string_view region);

struct S3Address {
  std::string url;   // what to request
  std::string host;  // the Host header (signed)
  std::string path;  // percent-encoded path (signed)
};

class S3Addressing {
 public:
  S3Addressing(S3Endpoint endpoint, std::string bucket, bool force_path_style);

  // The address of object `key` (empty = the bucket itself) with the
  // already-encoded `query` (may be empty).
  S3Address Resolve(std::string_view key, std::string_view query) const;
  bool path_style() const { return path_style_; }
  const S3Endpoint& endpoint() const { return endpoint_; }

 private:
  S3Endpoint endpoint_;
  std::string bucket_;
  bool path_style_;
};

}  // namespace gallery::storage::s3
