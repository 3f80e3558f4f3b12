#pragma once

// AWS Signature Version 4: signing requests with an Authorization header and
// presigning URLs with query parameters.
//
// Two dialects share the algorithm and differ in how the path enters the
// canonical request:
//   kGeneric  every AWS service but S3: the path is normalized (dot segments
//             removed, repeated '/' collapsed) and percent-encoded once more
//             (a '%' already in the path becomes %25). This is what AWS's
//             SigV4 test suite checks.
//   kS3       S3: the path is used as it is (no normalization, "a//b" stays),
//             decoded and encoded exactly once, and the payload hash is sent
//             and signed as x-amz-content-sha256.
//
// All functions are pure (no I/O, no clock): the time comes in the scope.

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/s3/credentials.hpp"

namespace gallery::storage::s3 {

inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
// Hex SHA-256 of the empty string.
inline constexpr std::string_view kEmptyPayloadHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

enum class PathRule { kGeneric, kS3 };

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct SigningScope {
  std::string region;   // "us-east-1"
  std::string service;  // "s3", "sts", ...
  Clock::time_point time;
};

struct SignableRequest {
  std::string method;  // "GET"
  std::string path;    // as on the request line, percent-encoded, without the query
  std::string query;   // as on the request line after '?', percent-encoded; may be empty
  // As sent, in any case and order; must include "host". Repeated names are
  // allowed (their values are joined with ',' in the order given).
  HeaderList headers;
  // Lower-case hex SHA-256 of the body, or kUnsignedPayload.
  std::string payload_hash;
};

struct SigningOptions {
  PathRule path_rule = PathRule::kS3;
  // true (S3 and most services): x-amz-security-token is added before
  // signing and so is signed. false: it is added after signing (the
  // "post-sts-header-after" variant of the test suite).
  bool sign_security_token = true;
};

// What signing produced, step by step (tests compare each with AWS's suite).
struct SignatureParts {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signed_headers;  // "host;x-amz-date"
  std::string signature;       // lower-case hex
  std::string authorization;   // the Authorization header value
};

// "20150830T123600Z" and "20150830".
std::string FormatAmzDate(Clock::time_point time);
std::string FormatAmzDay(Clock::time_point time);

// The canonical URI of `path` under `rule` ("/" for an empty path).
std::string CanonicalUri(std::string_view path, PathRule rule);

// The canonical query string of a raw query: each name and value decoded,
// encoded per SigV4, sorted by name then value; "a" without '=' is "a=".
std::string CanonicalQuery(std::string_view query);

// The canonical request of `request` as signed (headers as given).
// `signed_headers` receives the ';'-joined lower-case names. Headers that
// proxies rewrite (user-agent, expect, connection, transfer-encoding,
// x-amzn-trace-id) and authorization are never signed.
std::string CanonicalRequest(const SignableRequest& request, PathRule rule,
                             std::string* signed_headers);

// "20150830/us-east-1/service/aws4_request".
std::string CredentialScope(const SigningScope& scope);

std::string StringToSign(std::string_view canonical_request, const SigningScope& scope);

// Lower-case hex HMAC of `string_to_sign` with the key derived from
// `secret_access_key` and the scope.
std::string ComputeSignature(std::string_view secret_access_key, const SigningScope& scope,
                             std::string_view string_to_sign);

// Signs `request` in place: sets x-amz-date to the scope's time (replacing a
// value already there), adds x-amz-security-token when the credentials have
// a session token, x-amz-content-sha256 under PathRule::kS3, then
// Authorization. Returns the intermediate results.
SignatureParts SignRequest(SignableRequest& request, const Credentials& credentials,
                           const SigningScope& scope, const SigningOptions& options);

struct PresignParams {
  std::string method = "GET";
  std::string host;  // the Host header the URL will be fetched with ("bucket.s3.amazonaws.com")
  std::string path;  // percent-encoded, as it will appear in the URL
  // Further query parameters, not encoded (e.g. response-content-disposition).
  std::vector<std::pair<std::string, std::string>> query;
  std::chrono::seconds expires{3600};  // X-Amz-Expires: 1 s to 7 days
};

// The complete query string (without '?') of a presigned URL, S3 rules:
// X-Amz-Algorithm, -Credential, -Date, -Expires, -SignedHeaders=host, the
// session token when there is one, the extra parameters, all in canonical
// order, then X-Amz-Signature; payload UNSIGNED-PAYLOAD.
std::string PresignQueryString(const PresignParams& params, const Credentials& credentials,
                               const SigningScope& scope);

}  // namespace gallery::storage::s3
