// Each credentials source on its own, with loopback servers standing in for
// STS, the container endpoint and instance metadata (never 169.254.x.x).

#include <gtest/gtest.h>

#include <fstream>

#include "common/time.hpp"
#include "storage/s3/aws_config_file.hpp"
#include "storage/s3/child_process_testing.hpp"
#include "storage/s3/credentials_container.hpp"
#include "storage/s3/credentials_env.hpp"
#include "storage/s3/credentials_imds.hpp"
#include "storage/s3/credentials_profile.hpp"
#include "storage/s3/credentials_web_identity.hpp"
#include "storage/s3/loopback_http_server_testing.hpp"
#include "storage/s3/uri_encode.hpp"

namespace gallery::storage::s3 {
namespace {

using testing::CannedResponse;
using testing::LoopbackHttpServer;
using testing::RecordedRequest;

std::unique_ptr<LoopbackHttpServer> Serve(LoopbackHttpServer::Handler handler) {
  auto server = LoopbackHttpServer::Start(std::move(handler));
  EXPECT_TRUE(server.ok()) << server.status().ToString();
  return std::move(server).value();
}

std::shared_ptr<HttpClient> Http() {
  CurlHttpClientOptions options;
  options.use_environment_proxy = false;
  return NewCurlHttpClient(options);
}

CredentialsHttpOptions FastHttp() {
  CredentialsHttpOptions options;
  options.timeouts = {std::chrono::milliseconds(1000), std::chrono::milliseconds(2000)};
  options.retry = {3, std::chrono::milliseconds(1), std::chrono::milliseconds(5),
                   std::chrono::milliseconds(5000)};
  return options;
}

void WriteFile(const std::filesystem::path& path, std::string_view text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Form fields of an application/x-www-form-urlencoded body.
std::map<std::string, std::string> FormFields(const std::string& body) {
  std::map<std::string, std::string> fields;
  size_t start = 0;
  while (start < body.size()) {
    size_t end = body.find('&', start);
    if (end == std::string::npos) end = body.size();
    const std::string pair = body.substr(start, end - start);
    const size_t eq = pair.find('=');
    fields[UriDecode(pair.substr(0, eq))] = UriDecode(pair.substr(eq + 1));
    start = end + 1;
  }
  return fields;
}

std::string CredentialsJson(std::string_view id, std::string_view expiration) {
  return "{\"AccessKeyId\":\"" + std::string(id) + "\",\"SecretAccessKey\":\"secret-" +
         std::string(id) + "\",\"Token\":\"token-" + std::string(id) + "\",\"Expiration\":\"" +
         std::string(expiration) + "\"}";
}

// --- environment --------------------------------------------------------

TEST(EnvironmentCredentials, ReadsKeysAndToken) {
  EnvironmentCredentialsProvider provider(FixedEnvironment({{"AWS_ACCESS_KEY_ID", "AKIDENV"},
                                                            {"AWS_SECRET_ACCESS_KEY", "s"},
                                                            {"AWS_SESSION_TOKEN", "t"}}));
  Result<Credentials> credentials = provider.GetCredentials();
  ASSERT_TRUE(credentials.ok());
  EXPECT_EQ(credentials->access_key_id, "AKIDENV");
  EXPECT_EQ(credentials->secret_access_key, "s");
  EXPECT_EQ(credentials->session_token, "t");
  EXPECT_FALSE(credentials->expiration.has_value());
}

TEST(EnvironmentCredentials, AbsentIsNotFoundAndHalfSetIsAnError) {
  EXPECT_EQ(EnvironmentCredentialsProvider(FixedEnvironment({})).GetCredentials().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(EnvironmentCredentialsProvider(FixedEnvironment({{"AWS_ACCESS_KEY_ID", ""}}))
                .GetCredentials()
                .code(),
            ErrorCode::kNotFound);
  const Result<Credentials> half =
      EnvironmentCredentialsProvider(FixedEnvironment({{"AWS_ACCESS_KEY_ID", "A"}}))
          .GetCredentials();
  EXPECT_EQ(half.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(half.status().message().find("AWS_SECRET_ACCESS_KEY is not"), std::string::npos);
}

// --- shared files -------------------------------------------------------

TEST(AwsSharedFile, ParsesSectionsCommentsAndNestedSettings) {
  const AwsProfiles config = ParseAwsSharedFile(R"(# comment
[default]
region = eu-west-1
AWS_ACCESS_KEY_ID=AKIDDEFAULT
; another comment
[profile dev]
aws_access_key_id : AKIDDEV
s3 =
    addressing_style = path
aws_secret_access_key = dev/secret=
[sso-session corp]
sso_region = us-east-1
[stray]
aws_access_key_id = ignored
)",
                                                AwsFileKind::kConfig);
  ASSERT_EQ(config.size(), 2u);
  EXPECT_EQ(config.at("default").at("aws_access_key_id"), "AKIDDEFAULT");
  EXPECT_EQ(config.at("dev").at("aws_access_key_id"), "AKIDDEV");
  EXPECT_EQ(config.at("dev").at("aws_secret_access_key"), "dev/secret=");
  EXPECT_FALSE(config.at("dev").contains("addressing_style"));
  const AwsProfiles credentials = ParseAwsSharedFile(
      "[dev]\naws_access_key_id = X\n[profile x]\na = b\n", AwsFileKind::kCredentials);
  EXPECT_TRUE(credentials.contains("dev"));
  EXPECT_TRUE(credentials.contains("profile x"));  // literal in the credentials file
}

class ProfileCredentialsTest : public ::testing::Test {
 protected:
  EnvLookup Env(std::map<std::string, std::string, std::less<>> extra = {}) const {
    extra.emplace("HOME", home_.path().string());
    return FixedEnvironment(std::move(extra));
  }
  void SetUp() override { std::filesystem::create_directories(home_.path() / ".aws"); }
  testing::TempDir home_;
};

TEST_F(ProfileCredentialsTest, DefaultProfileFromHome) {
  WriteFile(home_.path() / ".aws/credentials",
            "[default]\naws_access_key_id = AKIDHOME\naws_secret_access_key = s1\n");
  Result<Credentials> credentials = ProfileCredentialsProvider(Env()).GetCredentials();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "AKIDHOME");
  EXPECT_EQ(credentials->secret_access_key, "s1");
}

TEST_F(ProfileCredentialsTest, NamedProfileFromConfigAndCredentialsFileWins) {
  const auto credentials_file = home_.path() / "creds";
  const auto config_file = home_.path() / "conf";
  WriteFile(credentials_file,
            "[prod]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = from-creds\n"
            "aws_session_token = tok\n");
  WriteFile(config_file,
            "[profile prod]\naws_access_key_id = AKIDCONF\naws_secret_access_key = c\n"
            "[profile staging]\nregion = eu-west-1\naws_access_key_id = AKIDSTAGING\n"
            "aws_secret_access_key = st\n");
  auto env = [&](const std::string& profile) {
    return Env({{"AWS_PROFILE", profile},
                {"AWS_SHARED_CREDENTIALS_FILE", credentials_file.string()},
                {"AWS_CONFIG_FILE", config_file.string()}});
  };
  Result<Credentials> prod = ProfileCredentialsProvider(env("prod")).GetCredentials();
  ASSERT_TRUE(prod.ok()) << prod.status().ToString();
  EXPECT_EQ(prod->access_key_id, "AKIDCREDS");
  EXPECT_EQ(prod->session_token, "tok");
  Result<Credentials> staging = ProfileCredentialsProvider(env("staging")).GetCredentials();
  ASSERT_TRUE(staging.ok()) << staging.status().ToString();
  EXPECT_EQ(staging->access_key_id, "AKIDSTAGING");

  const Result<Credentials> missing = ProfileCredentialsProvider(env("nope")).GetCredentials();
  EXPECT_EQ(missing.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("profile \"nope\""), std::string::npos);
}

TEST_F(ProfileCredentialsTest, NothingUsableIsNotFoundUnlessAskedForOrUnsupported) {
  EXPECT_EQ(ProfileCredentialsProvider(Env()).GetCredentials().code(), ErrorCode::kNotFound);
  WriteFile(home_.path() / ".aws/config", "[default]\nregion = eu-west-1\n");
  EXPECT_EQ(ProfileCredentialsProvider(Env()).GetCredentials().code(), ErrorCode::kNotFound);
  WriteFile(home_.path() / ".aws/config",
            "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n");
  const Result<Credentials> role = ProfileCredentialsProvider(Env()).GetCredentials();
  EXPECT_EQ(role.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(role.status().message().find("role_arn"), std::string::npos);
  WriteFile(home_.path() / ".aws/credentials", "[default]\naws_access_key_id = A\n");
  EXPECT_EQ(ProfileCredentialsProvider(Env()).GetCredentials().code(), ErrorCode::kInvalidArgument);
}

// --- web identity (STS) -------------------------------------------------

constexpr std::string_view kStsAnswer =
    R"(<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>system:serviceaccount:gallery:web</SubjectFromWebIdentityToken>
    <Credentials>
      <SessionToken>FwoGZXIvYXdzE&amp;token</SessionToken>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY</SecretAccessKey>
      <Expiration>2030-01-02T03:04:05Z</Expiration>
      <AccessKeyId>ASIAWEBIDENTITY</AccessKeyId>
    </Credentials>
  </AssumeRoleWithWebIdentityResult>
</AssumeRoleWithWebIdentityResponse>)";

TEST(WebIdentityCredentials, AssumesTheRoleWithAnUnsignedStsCall) {
  testing::TempDir dir;
  const auto token_file = dir.path() / "token";
  WriteFile(token_file, "eyJhbGciOiJSUzI1NiJ9.first\n");
  auto sts = Serve([](const RecordedRequest&) {
    return CannedResponse{200, {}, std::string(kStsAnswer)};
  });
  std::map<std::string, std::string, std::less<>> env = {
      {"AWS_WEB_IDENTITY_TOKEN_FILE", token_file.string()},
      {"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/gallery"},
      {"AWS_ROLE_SESSION_NAME", "pod-1"},
      {"AWS_ENDPOINT_URL_STS", sts->url()}};
  WebIdentityCredentialsProvider provider(FixedEnvironment(env), Http(), "eu-west-1", FastHttp());
  Result<Credentials> credentials = provider.GetCredentials();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "ASIAWEBIDENTITY");
  EXPECT_EQ(credentials->secret_access_key, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  EXPECT_EQ(credentials->session_token, "FwoGZXIvYXdzE&token");
  EXPECT_EQ(credentials->expiration, ParseRfc3339("2030-01-02T03:04:05Z"));

  const RecordedRequest r = sts->requests().at(0);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/");
  EXPECT_FALSE(r.Header("authorization").has_value());
  EXPECT_TRUE(r.Header("content-type")->starts_with("application/x-www-form-urlencoded"));
  const auto fields = FormFields(r.body);
  EXPECT_EQ(fields.at("Action"), "AssumeRoleWithWebIdentity");
  EXPECT_EQ(fields.at("Version"), "2011-06-15");
  EXPECT_EQ(fields.at("RoleArn"), "arn:aws:iam::123456789012:role/gallery");
  EXPECT_EQ(fields.at("RoleSessionName"), "pod-1");
  EXPECT_EQ(fields.at("WebIdentityToken"), "eyJhbGciOiJSUzI1NiJ9.first");

  // The token file is read again on every call (the kubelet rotates it).
  WriteFile(token_file, "eyJhbGciOiJSUzI1NiJ9.rotated");
  ASSERT_TRUE(provider.GetCredentials().ok());
  EXPECT_EQ(FormFields(sts->requests().at(1).body).at("WebIdentityToken"),
            "eyJhbGciOiJSUzI1NiJ9.rotated");
}

TEST(WebIdentityCredentials, StsRefusalNamesTheErrorAndIsNotRetried) {
  testing::TempDir dir;
  WriteFile(dir.path() / "token", "t");
  auto sts = Serve([](const RecordedRequest&) {
    return CannedResponse{
        400,
        {},
        "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code>"
        "<Message>No OpenIDConnect provider found</Message></Error></ErrorResponse>"};
  });
  WebIdentityCredentialsProvider provider(
      FixedEnvironment({{"AWS_WEB_IDENTITY_TOKEN_FILE", (dir.path() / "token").string()},
                        {"AWS_ROLE_ARN", "arn:aws:iam::1:role/r"},
                        {"AWS_ENDPOINT_URL_STS", sts->url()}}),
      Http(), "", FastHttp());
  const Result<Credentials> credentials = provider.GetCredentials();
  EXPECT_EQ(credentials.code(), ErrorCode::kUnavailable);
  EXPECT_NE(credentials.status().message().find("InvalidIdentityToken"), std::string::npos)
      << credentials.status().message();
  EXPECT_EQ(sts->request_count(), 1u);
}

TEST(WebIdentityCredentials, ConfigurationErrors) {
  EXPECT_EQ(
      WebIdentityCredentialsProvider(FixedEnvironment({}), Http(), "").GetCredentials().code(),
      ErrorCode::kNotFound);
  EXPECT_EQ(WebIdentityCredentialsProvider(FixedEnvironment({{"AWS_ROLE_ARN", "arn"}}), Http(), "")
                .GetCredentials()
                .code(),
            ErrorCode::kInvalidArgument);
  const Result<Credentials> unreadable =
      WebIdentityCredentialsProvider(
          FixedEnvironment(
              {{"AWS_ROLE_ARN", "arn"}, {"AWS_WEB_IDENTITY_TOKEN_FILE", "/nonexistent/t"}}),
          Http(), "")
          .GetCredentials();
  EXPECT_EQ(unreadable.code(), ErrorCode::kUnavailable);
  EXPECT_NE(unreadable.status().message().find("/nonexistent/t"), std::string::npos);
}

// --- container endpoint ---------------------------------------------------

TEST(ContainerCredentials, RelativeUriAgainstTheAgentAddress) {
  auto agent = Serve([](const RecordedRequest& r) {
    if (r.path != "/v2/credentials/abc") return CannedResponse{404, {}, ""};
    return CannedResponse{200, {}, CredentialsJson("ASIATASK", "2030-01-01T00:00:00Z")};
  });
  ContainerCredentialsProvider provider(
      FixedEnvironment({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc"}}), Http(),
      agent->url(), FastHttp());
  Result<Credentials> credentials = provider.GetCredentials();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "ASIATASK");
  EXPECT_EQ(credentials->session_token, "token-ASIATASK");
  EXPECT_EQ(credentials->expiration, ParseRfc3339("2030-01-01T00:00:00Z"));
  EXPECT_FALSE(agent->requests().at(0).Header("authorization").has_value());
}

TEST(ContainerCredentials, FullUriWithAuthorizationTokenOrTokenFile) {
  auto agent = Serve([](const RecordedRequest& r) {
    const auto authorization = r.Header("authorization");
    if (!authorization || authorization->starts_with("wrong"))
      return CannedResponse{401, {}, "denied"};
    return CannedResponse{
        200, {}, CredentialsJson("ASIA" + *authorization, "2030-01-01T00:00:00Z")};
  });
  testing::TempDir dir;
  WriteFile(dir.path() / "token", "FROMFILE\n");
  const std::string url = agent->url() + "/get-credentials?a=1";
  Result<Credentials> with_token =
      ContainerCredentialsProvider(
          FixedEnvironment({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", url},
                            {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "FROMENV"}}),
          Http(), "http://unused.invalid", FastHttp())
          .GetCredentials();
  ASSERT_TRUE(with_token.ok()) << with_token.status().ToString();
  EXPECT_EQ(with_token->access_key_id, "ASIAFROMENV");
  // The token file wins over the variable.
  Result<Credentials> with_file =
      ContainerCredentialsProvider(FixedEnvironment({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", url},
                                                     {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong"},
                                                     {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                                                      (dir.path() / "token").string()}}),
                                   Http(), "http://unused.invalid", FastHttp())
          .GetCredentials();
  ASSERT_TRUE(with_file.ok()) << with_file.status().ToString();
  EXPECT_EQ(with_file->access_key_id, "ASIAFROMFILE");
  EXPECT_EQ(agent->requests().at(1).target, "/get-credentials?a=1");

  const Result<Credentials> refused =
      ContainerCredentialsProvider(
          FixedEnvironment({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", url},
                            {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong"}}),
          Http(), "http://unused.invalid", FastHttp())
          .GetCredentials();
  EXPECT_EQ(refused.code(), ErrorCode::kUnavailable);
  EXPECT_NE(refused.status().message().find("HTTP 401"), std::string::npos)
      << refused.status().message();
}

TEST(ContainerCredentials, RefusesPlainHttpToOtherHostsAndTokensWithLineBreaks) {
  const Result<Credentials> remote =
      ContainerCredentialsProvider(
          FixedEnvironment({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/creds"}}),
          Http())
          .GetCredentials();
  EXPECT_EQ(remote.code(), ErrorCode::kInvalidArgument);
  auto agent = Serve([](const RecordedRequest&) { return CannedResponse{}; });
  const Result<Credentials> injected =
      ContainerCredentialsProvider(
          FixedEnvironment({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", agent->url()},
                            {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "a\r\nX-Evil: 1"}}),
          Http(), "", FastHttp())
          .GetCredentials();
  EXPECT_EQ(injected.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(agent->request_count(), 0u);
  EXPECT_EQ(ContainerCredentialsProvider(FixedEnvironment({}), Http()).GetCredentials().code(),
            ErrorCode::kNotFound);
}

TEST(ContainerCredentials, RetriesServerErrors) {
  std::atomic<int> calls{0};
  auto agent = Serve([&](const RecordedRequest&) {
    if (calls.fetch_add(1) == 0) return CannedResponse{500, {}, "busy"};
    return CannedResponse{200, {}, CredentialsJson("ASIAOK", "2030-01-01T00:00:00Z")};
  });
  Result<Credentials> credentials =
      ContainerCredentialsProvider(
          FixedEnvironment({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/c"}}), Http(),
          agent->url(), FastHttp())
          .GetCredentials();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(agent->request_count(), 2u);
}

// --- instance metadata (IMDSv2) -----------------------------------------

// A fake IMDSv2: a session token from PUT, required on every GET.
class FakeImds {
 public:
  explicit FakeImds(std::string role = "gallery-role") : role_(std::move(role)) {
    server_ = Serve([this](const RecordedRequest& r) { return Answer(r); });
  }
  std::string url() const { return server_->url(); }
  LoopbackHttpServer& server() { return *server_; }

 private:
  CannedResponse Answer(const RecordedRequest& r) {
    if (r.path == "/latest/api/token") {
      if (r.method != "PUT") return {405, {}, ""};
      if (r.Header("x-aws-ec2-metadata-token-ttl-seconds") != "21600") return {400, {}, ""};
      return {200, {}, kToken};
    }
    if (r.method != "GET") return {405, {}, ""};
    if (r.Header("x-aws-ec2-metadata-token") != kToken) return {401, {}, ""};
    const std::string base = "/latest/meta-data/iam/security-credentials/";
    if (r.path == base)
      return role_.empty() ? CannedResponse{404, {}, ""} : CannedResponse{200, {}, role_ + "\n"};
    if (r.path == base + role_) {
      return {200,
              {},
              "{\"Code\":\"Success\",\"LastUpdated\":\"2024-01-01T00:00:00Z\",\"Type\":"
              "\"AWS-HMAC\",\"AccessKeyId\":\"ASIAIMDS\",\"SecretAccessKey\":\"imds-secret\","
              "\"Token\":\"imds-token\",\"Expiration\":\"2030-01-01T00:00:00Z\"}"};
    }
    return {404, {}, ""};
  }

  static constexpr const char* kToken = "AQAEAFakeSessionToken==";
  std::string role_;
  std::unique_ptr<LoopbackHttpServer> server_;
};

TEST(InstanceMetadataCredentials, UsesASessionTokenForEveryRead) {
  FakeImds imds;
  InstanceMetadataCredentialsProvider provider(FixedEnvironment({}), Http(), imds.url(),
                                               FastHttp());
  Result<Credentials> credentials = provider.GetCredentials();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "ASIAIMDS");
  EXPECT_EQ(credentials->secret_access_key, "imds-secret");
  EXPECT_EQ(credentials->session_token, "imds-token");
  EXPECT_EQ(credentials->expiration, ParseRfc3339("2030-01-01T00:00:00Z"));
  const auto requests = imds.server().requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[1].path, "/latest/meta-data/iam/security-credentials/");
  EXPECT_EQ(requests[2].path, "/latest/meta-data/iam/security-credentials/gallery-role");
}

TEST(InstanceMetadataCredentials, EndpointFromTheEnvironmentAndDisabling) {
  FakeImds imds;
  Result<Credentials> credentials =
      InstanceMetadataCredentialsProvider(
          FixedEnvironment({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url() + "/"}}), Http(),
          "http://unused.invalid", FastHttp())
          .GetCredentials();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(
      InstanceMetadataCredentialsProvider(FixedEnvironment({{"AWS_EC2_METADATA_DISABLED", "TRUE"}}),
                                          Http(), imds.url(), FastHttp())
          .GetCredentials()
          .code(),
      ErrorCode::kNotFound);
  EXPECT_EQ(imds.server().request_count(), 3u);
}

TEST(InstanceMetadataCredentials, AnInstanceWithoutRoleIsUnavailable) {
  FakeImds imds("");
  const Result<Credentials> credentials =
      InstanceMetadataCredentialsProvider(FixedEnvironment({}), Http(), imds.url(), FastHttp())
          .GetCredentials();
  EXPECT_EQ(credentials.code(), ErrorCode::kUnavailable);
  EXPECT_NE(credentials.status().message().find("IAM role"), std::string::npos)
      << credentials.status().message();
}

}  // namespace
}  // namespace gallery::storage::s3
