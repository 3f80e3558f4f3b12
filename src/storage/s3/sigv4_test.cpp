#include "storage/s3/sigv4.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/crypto.hpp"
#include "storage/s3/uri_encode.hpp"

namespace gallery::storage::s3 {
namespace {

namespace fs = std::filesystem;

// The suite's fixed inputs (its readme).
constexpr std::string_view kSuiteAccessKey = "AKIDEXAMPLE";
constexpr std::string_view kSuiteSecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr std::string_view kSuiteToken =
    "AQoDYXdzEPT//////////"
    "wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthA"
    "x7mSEI/qkPpKPi/"
    "kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNV"
    "XAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+"
    "scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

Clock::time_point SuiteTime() {
  // 2015-08-30T12:36:00Z
  return Clock::from_time_t(1440938160);
}

fs::path SuiteDir() {
  const char* data = std::getenv("GALLERY_TESTDATA");
  return data == nullptr ? fs::path() : fs::path(data) / "aws-sig-v4-test-suite";
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// One case: "<dir>/<name>.{req,creq,sts,authz,sreq}".
struct SuiteCase {
  std::string name;  // relative directory, e.g. "normalize-path/get-space"
  fs::path stem;
};

std::vector<SuiteCase> FindSuiteCases() {
  std::vector<SuiteCase> cases;
  const fs::path dir = SuiteDir();
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return cases;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.path().extension() != ".req") continue;
    SuiteCase c;
    c.name = fs::relative(entry.path().parent_path(), dir).generic_string();
    c.stem = entry.path();
    c.stem.replace_extension();
    cases.push_back(std::move(c));
  }
  std::sort(cases.begin(), cases.end(),
            [](const SuiteCase& a, const SuiteCase& b) { return a.name < b.name; });
  return cases;
}

struct ParsedRequest {
  SignableRequest request;
  std::string head;  // request line and header lines exactly as in the file
  std::string body;
};

// Parses the suite's .req format: "METHOD target HTTP/1.1", header lines
// ("Name:value"; a line starting with whitespace continues the previous
// header and adds one more value), an empty line, then the body.
ParsedRequest ParseReq(const std::string& text) {
  ParsedRequest parsed;
  const size_t blank = text.find("\n\n");
  parsed.head = text.substr(0, blank);
  if (blank != std::string::npos) parsed.body = text.substr(blank + 2);

  std::istringstream lines(parsed.head);
  std::string line;
  std::getline(lines, line);
  const size_t first_space = line.find(' ');
  const size_t last_space = line.rfind(' ');
  parsed.request.method = line.substr(0, first_space);
  const std::string target = line.substr(first_space + 1, last_space - first_space - 1);
  const size_t question = target.find('?');
  parsed.request.path = target.substr(0, question);
  if (question != std::string::npos) parsed.request.query = target.substr(question + 1);

  while (std::getline(lines, line)) {
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      parsed.request.headers.emplace_back(parsed.request.headers.back().first, line);
      continue;
    }
    const size_t colon = line.find(':');
    parsed.request.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  return parsed;
}

class AwsSigV4SuiteTest : public ::testing::TestWithParam<SuiteCase> {};
// Without the test data there are no cases; IsPresentAndComplete fails then.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(AwsSigV4SuiteTest);

TEST_P(AwsSigV4SuiteTest, MatchesCanonicalRequestStringToSignAuthorizationAndSignedRequest) {
  const SuiteCase& c = GetParam();
  ParsedRequest parsed = ParseReq(ReadFile(c.stem.string() + ".req"));
  parsed.request.payload_hash = Sha256Hex(parsed.body);

  Credentials credentials{std::string(kSuiteAccessKey), std::string(kSuiteSecretKey), "", {}};
  SigningOptions options;
  options.path_rule = PathRule::kGeneric;
  const bool token_after = c.name == "post-sts-token/post-sts-header-after";
  if (token_after) {
    credentials.session_token = std::string(kSuiteToken);
    options.sign_security_token = false;
  }
  const SigningScope scope{"us-east-1", "service", SuiteTime()};

  SignableRequest request = parsed.request;
  const SignatureParts parts = SignRequest(request, credentials, scope, options);

  EXPECT_EQ(parts.canonical_request, ReadFile(c.stem.string() + ".creq"));
  EXPECT_EQ(parts.string_to_sign, ReadFile(c.stem.string() + ".sts"));
  EXPECT_EQ(parts.authorization, ReadFile(c.stem.string() + ".authz"));

  // The signed request: the original head, the token when added after
  // signing, then the Authorization header, then the body.
  std::string sreq = parsed.head;
  if (token_after) sreq += "\nX-Amz-Security-Token:" + std::string(kSuiteToken);
  sreq += "\nAuthorization: " + parts.authorization;
  if (!parsed.body.empty()) sreq += "\n\n" + parsed.body;
  EXPECT_EQ(sreq, ReadFile(c.stem.string() + ".sreq"));

  // What SignRequest added to the header list.
  const auto& added = request.headers;
  ASSERT_FALSE(added.empty());
  EXPECT_EQ(added.back().first, "Authorization");
  EXPECT_EQ(added.back().second, parts.authorization);
  const bool has_token_header = std::any_of(added.begin(), added.end(), [](const auto& h) {
    return h.first == "x-amz-security-token" || h.first == "X-Amz-Security-Token";
  });
  EXPECT_EQ(has_token_header, c.name.starts_with("post-sts-token/"));
  // The generic dialect never adds x-amz-content-sha256.
  EXPECT_TRUE(std::none_of(added.begin(), added.end(),
                           [](const auto& h) { return h.first == "x-amz-content-sha256"; }));
}

INSTANTIATE_TEST_SUITE_P(Suite, AwsSigV4SuiteTest, ::testing::ValuesIn(FindSuiteCases()),
                         [](const ::testing::TestParamInfo<SuiteCase>& info) {
                           std::string name = info.param.name;
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

TEST(AwsSigV4Suite, IsPresentAndComplete) {
  ASSERT_FALSE(SuiteDir().empty()) << "set GALLERY_TESTDATA (CTest sets it)";
  const auto cases = FindSuiteCases();
  // 31 cases in the suite as published; every one must be found and run.
  EXPECT_EQ(cases.size(), 31u) << SuiteDir();
}

TEST(SigV4, S3PathRuleKeepsThePathAsIs) {
  EXPECT_EQ(CanonicalUri("/bucket/my-object//example//photo.user", PathRule::kS3),
            "/bucket/my-object//example//photo.user");
  EXPECT_EQ(CanonicalUri("/bucket/a/../b/./c", PathRule::kS3), "/bucket/a/../b/./c");
  // Encoded once: an encoded space stays %20, a raw one becomes %20, and a
  // '%' that is data (encoded as %25) is not encoded a second time.
  EXPECT_EQ(CanonicalUri("/b/a%20b c%25", PathRule::kS3), "/b/a%20b%20c%25");
  EXPECT_EQ(CanonicalUri("", PathRule::kS3), "/");
}

TEST(SigV4, GenericPathRuleNormalizesAndEncodesAgain) {
  EXPECT_EQ(CanonicalUri("/a/../b/./c//d/", PathRule::kGeneric), "/b/c/d/");
  EXPECT_EQ(CanonicalUri("/a%20b", PathRule::kGeneric), "/a%2520b");
  EXPECT_EQ(CanonicalUri("/..", PathRule::kGeneric), "/");
}

TEST(SigV4, CanonicalQuerySortsAndEncodesOnce) {
  EXPECT_EQ(CanonicalQuery("b=2&a=1&a=0&c"), "a=0&a=1&b=2&c=");
  EXPECT_EQ(CanonicalQuery("prefix=photos%2F&max-keys=1&list-type=2"),
            "list-type=2&max-keys=1&prefix=photos%2F");
  EXPECT_EQ(CanonicalQuery("prefix=photos/&x=a b+c"), "prefix=photos%2F&x=a%20b%2Bc");
  EXPECT_EQ(CanonicalQuery("uploads"), "uploads=");
  EXPECT_EQ(CanonicalQuery(""), "");
}

TEST(SigV4, S3SigningAddsAndSignsContentSha256AndToken) {
  SignableRequest request;
  request.method = "PUT";
  request.path = "/bucket/photos/a";
  request.headers = {{"Host", "s3.us-west-2.amazonaws.com"}, {"Content-Type", "image/jpeg"}};
  request.payload_hash = Sha256Hex("hello");
  const Credentials credentials{"AKID", "SECRET", "TOKEN", {}};
  const SignatureParts parts =
      SignRequest(request, credentials, {"us-west-2", "s3", SuiteTime()}, SigningOptions{});
  EXPECT_EQ(parts.signed_headers,
            "content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token");
  EXPECT_NE(parts.canonical_request.find("x-amz-content-sha256:" + Sha256Hex("hello") + "\n"),
            std::string::npos);
  EXPECT_TRUE(parts.canonical_request.ends_with("\n" + Sha256Hex("hello")));
  EXPECT_TRUE(parts.authorization.starts_with(
      "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-west-2/s3/aws4_request, "));
}

TEST(SigV4, UnsignedPayloadIsSignedAsTheLiteral) {
  SignableRequest request;
  request.method = "GET";
  request.path = "/bucket/a";
  request.headers = {{"host", "h"}};
  request.payload_hash = std::string(kUnsignedPayload);
  const SignatureParts parts = SignRequest(request, {"AKID", "SECRET", "", {}},
                                           {"us-east-1", "s3", SuiteTime()}, SigningOptions{});
  EXPECT_TRUE(parts.canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
  EXPECT_NE(parts.canonical_request.find("x-amz-content-sha256:UNSIGNED-PAYLOAD\n"),
            std::string::npos);
}

TEST(SigV4, SigningTwiceReplacesTheDateInsteadOfAddingAnother) {
  SignableRequest request;
  request.method = "GET";
  request.path = "/";
  request.headers = {{"host", "h"}, {"X-Amz-Date", "19990101T000000Z"}};
  request.payload_hash = std::string(kEmptyPayloadHash);
  const SignatureParts parts = SignRequest(request, {"AKID", "SECRET", "", {}},
                                           {"us-east-1", "s3", SuiteTime()}, SigningOptions{});
  EXPECT_NE(parts.canonical_request.find("\nx-amz-date:20150830T123600Z\n"), std::string::npos);
  EXPECT_EQ(parts.canonical_request.find("1999"), std::string::npos);
}

// The example of "Authenticating Requests: Using Query Parameters (AWS
// Signature Version 4)" in the Amazon S3 API reference.
TEST(SigV4Presign, MatchesTheDocumentedS3Example) {
  PresignParams params;
  params.host = "examplebucket.s3.amazonaws.com";
  params.path = "/test.txt";
  params.expires = std::chrono::seconds(86400);
  const Credentials credentials{
      "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "", {}};
  const SigningScope scope{"us-east-1", "s3", Clock::from_time_t(1369353600)};  // 2013-05-24
  EXPECT_EQ(PresignQueryString(params, credentials, scope),
            "X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

TEST(SigV4Presign, IncludesTokenAndResponseHeadersInTheSignature) {
  PresignParams params;
  params.host = "examplebucket.s3.amazonaws.com";
  params.path = "/test.txt";
  params.expires = std::chrono::seconds(60);
  params.query = {{"response-content-disposition", "attachment; filename=\"a b.jpg\""}};
  const SigningScope scope{"us-east-1", "s3", Clock::from_time_t(1369353600)};
  const std::string plain = PresignQueryString(params, {"AKID", "SECRET", "", {}}, scope);
  const std::string with_token =
      PresignQueryString(params, {"AKID", "SECRET", "TOK/EN", {}}, scope);
  EXPECT_NE(plain.find("&response-content-disposition=attachment%3B%20filename%3D%22a%20b.jpg%22"
                       "&X-Amz-Signature="),
            std::string::npos)
      << plain;
  EXPECT_NE(with_token.find("&X-Amz-Security-Token=TOK%2FEN&"), std::string::npos) << with_token;
  EXPECT_NE(plain.substr(plain.size() - 64), with_token.substr(with_token.size() - 64));
  // Expiry is bounded by S3's maximum of seven days.
  params.expires = std::chrono::hours(24 * 30);
  EXPECT_NE(
      PresignQueryString(params, {"AKID", "SECRET", "", {}}, scope).find("X-Amz-Expires=604800&"),
      std::string::npos);
}

TEST(UriEncode, EncodesEverythingButUnreserved) {
  EXPECT_EQ(UriEncode("aZ09-_.~", false), "aZ09-_.~");
  EXPECT_EQ(UriEncode("a/b c+", false), "a%2Fb%20c%2B");
  EXPECT_EQ(UriEncode("a/b c+", true), "a/b%20c%2B");
  EXPECT_EQ(UriEncode("\xe1\x88\xb4", true), "%E1%88%B4");
  EXPECT_EQ(UriDecode("a%2fb%2F%zz%4"), "a/b/%zz%4");
  EXPECT_EQ(UriDecode("a+b"), "a+b");
}

}  // namespace
}  // namespace gallery::storage::s3
