#include "storage/s3/sigv4.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

#include "common/crypto.hpp"
#include "storage/s3/uri_encode.hpp"

namespace gallery::storage::s3 {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Trims and collapses every run of whitespace into one space.
std::string NormalizeHeaderValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool pending_space = false;
  for (char c : value) {
    if (IsSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

bool IsUnsignedHeader(std::string_view lower_name) {
  return lower_name == "authorization" || lower_name == "user-agent" || lower_name == "expect" ||
         lower_name == "connection" || lower_name == "transfer-encoding" ||
         lower_name == "x-amzn-trace-id";
}

std::string FormatUtc(Clock::time_point time, const char* format) {
  const std::time_t t = Clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  const size_t n = std::strftime(buf, sizeof buf, format, &tm);
  return std::string(buf, n);
}

std::string DigestToString(const Sha256Digest& digest) {
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

void SetHeader(HeaderList& headers, std::string_view lower_name, std::string value) {
  bool replaced = false;
  for (auto it = headers.begin(); it != headers.end();) {
    if (AsciiLower(it->first) == lower_name) {
      if (!replaced) {
        it->second = value;
        replaced = true;
        ++it;
      } else {
        it = headers.erase(it);
      }
    } else {
      ++it;
    }
  }
  if (!replaced) headers.emplace_back(std::string(lower_name), std::move(value));
}

}  // namespace

std::string FormatAmzDate(Clock::time_point time) { return FormatUtc(time, "%Y%m%dT%H%M%SZ"); }
std::string FormatAmzDay(Clock::time_point time) { return FormatUtc(time, "%Y%m%d"); }

std::string CanonicalUri(std::string_view path, PathRule rule) {
  if (path.empty()) return "/";
  if (rule == PathRule::kS3) return UriEncode(UriDecode(path), /*keep_slash=*/true);

  // Generic: remove "." and ".." segments and empty segments (RFC 3986
  // section 5.2.4, plus collapsing "//"), keep a trailing slash.
  std::vector<std::string_view> segments;
  size_t start = 0;
  bool trailing_slash = false;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    const bool last = end == path.size();
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
      trailing_slash = last;
    } else if (segment == ".") {
      trailing_slash = last;
    } else if (segment.empty()) {
      trailing_slash = last;
    } else {
      segments.push_back(segment);
      trailing_slash = false;
    }
    start = end + 1;
  }
  std::string out;
  for (const std::string_view segment : segments) {
    out.push_back('/');
    out += UriEncode(segment, /*keep_slash=*/false);
  }
  if (out.empty() || trailing_slash) out.push_back('/');
  return out;
}

std::string CanonicalQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view pair = query.substr(start, end - start);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      const std::string_view name = pair.substr(0, eq);
      const std::string_view value =
          eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
      params.emplace_back(UriEncode(UriDecode(name), false), UriEncode(UriDecode(value), false));
    }
    start = end + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out.push_back('&');
    out += name;
    out.push_back('=');
    out += value;
  }
  return out;
}

std::string CanonicalRequest(const SignableRequest& request, PathRule rule,
                             std::string* signed_headers) {
  // Lower-case name -> values in the order given. std::map sorts the names
  // bytewise, as SigV4 requires.
  std::map<std::string, std::vector<std::string>> headers;
  for (const auto& [name, value] : request.headers) {
    std::string lower = AsciiLower(name);
    if (IsUnsignedHeader(lower)) continue;
    headers[std::move(lower)].push_back(NormalizeHeaderValue(value));
  }
  std::string canonical_headers;
  std::string names;
  for (const auto& [name, values] : headers) {
    canonical_headers += name;
    canonical_headers.push_back(':');
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) canonical_headers.push_back(',');
      canonical_headers += values[i];
    }
    canonical_headers.push_back('\n');
    if (!names.empty()) names.push_back(';');
    names += name;
  }
  std::string out;
  out += request.method;
  out.push_back('\n');
  out += CanonicalUri(request.path, rule);
  out.push_back('\n');
  out += CanonicalQuery(request.query);
  out.push_back('\n');
  out += canonical_headers;
  out.push_back('\n');
  out += names;
  out.push_back('\n');
  out += request.payload_hash;
  if (signed_headers != nullptr) *signed_headers = std::move(names);
  return out;
}

std::string CredentialScope(const SigningScope& scope) {
  return FormatAmzDay(scope.time) + "/" + scope.region + "/" + scope.service + "/aws4_request";
}

std::string StringToSign(std::string_view canonical_request, const SigningScope& scope) {
  std::string out(kAlgorithm);
  out.push_back('\n');
  out += FormatAmzDate(scope.time);
  out.push_back('\n');
  out += CredentialScope(scope);
  out.push_back('\n');
  out += Sha256Hex(canonical_request);
  return out;
}

std::string ComputeSignature(std::string_view secret_access_key, const SigningScope& scope,
                             std::string_view string_to_sign) {
  const std::string secret = std::string("AWS4").append(secret_access_key);
  const std::string k_date = DigestToString(HmacSha256(secret, FormatAmzDay(scope.time)));
  const std::string k_region = DigestToString(HmacSha256(k_date, scope.region));
  const std::string k_service = DigestToString(HmacSha256(k_region, scope.service));
  const std::string k_signing = DigestToString(HmacSha256(k_service, "aws4_request"));
  return HexEncode(DigestToString(HmacSha256(k_signing, string_to_sign)));
}

SignatureParts SignRequest(SignableRequest& request, const Credentials& credentials,
                           const SigningScope& scope, const SigningOptions& options) {
  SetHeader(request.headers, "x-amz-date", FormatAmzDate(scope.time));
  const bool has_token = !credentials.session_token.empty();
  if (has_token && options.sign_security_token) {
    SetHeader(request.headers, "x-amz-security-token", credentials.session_token);
  }
  if (options.path_rule == PathRule::kS3) {
    SetHeader(request.headers, "x-amz-content-sha256", request.payload_hash);
  }

  SignatureParts parts;
  parts.canonical_request = CanonicalRequest(request, options.path_rule, &parts.signed_headers);
  parts.string_to_sign = StringToSign(parts.canonical_request, scope);
  parts.signature = ComputeSignature(credentials.secret_access_key, scope, parts.string_to_sign);
  parts.authorization = std::string(kAlgorithm) + " Credential=" + credentials.access_key_id + "/" +
                        CredentialScope(scope) + ", SignedHeaders=" + parts.signed_headers +
                        ", Signature=" + parts.signature;

  if (has_token && !options.sign_security_token) {
    SetHeader(request.headers, "x-amz-security-token", credentials.session_token);
  }
  request.headers.emplace_back("Authorization", parts.authorization);
  return parts;
}

std::string PresignQueryString(const PresignParams& params, const Credentials& credentials,
                               const SigningScope& scope) {
  const auto expires = std::clamp<int64_t>(params.expires.count(), 1, 604800);
  std::vector<std::pair<std::string, std::string>> query = {
      {"X-Amz-Algorithm", std::string(kAlgorithm)},
      {"X-Amz-Credential", credentials.access_key_id + "/" + CredentialScope(scope)},
      {"X-Amz-Date", FormatAmzDate(scope.time)},
      {"X-Amz-Expires", std::to_string(expires)},
      {"X-Amz-SignedHeaders", "host"},
  };
  if (!credentials.session_token.empty()) {
    query.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  for (const auto& param : params.query) query.push_back(param);

  std::string raw_query;
  for (const auto& [name, value] : query) {
    if (!raw_query.empty()) raw_query.push_back('&');
    raw_query += UriEncode(name, false) + "=" + UriEncode(value, false);
  }
  // The canonical form is also a valid (sorted) query string for the URL.
  const std::string canonical_query = CanonicalQuery(raw_query);

  SignableRequest request;
  request.method = params.method;
  request.path = params.path;
  request.query = canonical_query;
  request.headers = {{"host", params.host}};
  request.payload_hash = std::string(kUnsignedPayload);
  const std::string canonical_request = CanonicalRequest(request, PathRule::kS3, nullptr);
  const std::string signature = ComputeSignature(credentials.secret_access_key, scope,
                                                 StringToSign(canonical_request, scope));
  return canonical_query + "&X-Amz-Signature=" + signature;
}

}  // namespace gallery::storage::s3
