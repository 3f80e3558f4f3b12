// The S3 client against canned answers and injected faults on loopback:
// signing headers, retries and their limits, timeouts, error mapping.

#include "storage/s3/s3_client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>

#include "common/crypto.hpp"
#include "storage/s3/loopback_http_server_testing.hpp"
#include "storage/s3/sigv4.hpp"

namespace gallery::storage::s3 {
namespace {

using std::chrono::milliseconds;
using testing::CannedResponse;
using testing::LoopbackHttpServer;
using testing::RecordedRequest;

CannedResponse S3ErrorResponse(int status, std::string_view code) {
  CannedResponse r;
  r.status = status;
  r.headers = {{"Content-Type", "application/xml"}, {"x-amz-request-id", "REQ123"}};
  r.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + std::string(code) +
           "</Code><Message>canned " + std::string(code) +
           "</Message><RequestId>REQ123</RequestId></Error>";
  return r;
}

CannedResponse Ok(std::string body = "") {
  CannedResponse r;
  r.body = std::move(body);
  r.headers = {{"ETag", "\"etag\""}, {"Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT"}};
  return r;
}

class S3ClientTest : public ::testing::Test {
 protected:
  void Serve(LoopbackHttpServer::Handler handler) {
    auto server = LoopbackHttpServer::Start(std::move(handler));
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
  }

  // A client for bucket "bkt" at the loopback server, path style.
  std::unique_ptr<S3Client> Client(S3ClientConfig config = {},
                                   Credentials credentials = {"AKID", "SECRET", "", {}}) {
    config.endpoint = {"http", "127.0.0.1", server_->port()};
    if (config.bucket.empty()) config.bucket = "bkt";
    if (config.region.empty()) config.region = "eu-west-1";
    return std::make_unique<S3Client>(
        config, std::make_shared<StaticCredentialsProvider>(credentials), NewCurlHttpClient());
  }

  static S3ClientConfig FastRetries(int attempts) {
    S3ClientConfig config;
    config.retry = {attempts, milliseconds(5), milliseconds(20), milliseconds(10000)};
    config.timeouts = {milliseconds(1000), milliseconds(2000)};
    return config;
  }

  std::unique_ptr<LoopbackHttpServer> server_;
};

TEST_F(S3ClientTest, SignsEveryRequestWithThePayloadHashAndSessionToken) {
  Serve([](const RecordedRequest&) { return Ok(); });
  auto client = Client({}, {"AKID", "SECRET", "TOKEN/1", {}});
  const std::string bytes = "hello s3";
  StringBody body(bytes);
  ASSERT_TRUE(client->PutObject("photos/a b+c", body, Sha256Hex(bytes), "image/jpeg").ok());

  const RecordedRequest r = server_->requests().at(0);
  EXPECT_EQ(r.method, "PUT");
  EXPECT_EQ(r.target, "/bkt/photos/a%20b%2Bc");
  EXPECT_EQ(r.body, bytes);
  EXPECT_EQ(r.Header("host"), "127.0.0.1:" + std::to_string(server_->port()));
  EXPECT_EQ(r.Header("x-amz-content-sha256"), Sha256Hex(bytes));
  EXPECT_EQ(r.Header("x-amz-security-token"), "TOKEN/1");
  EXPECT_EQ(r.Header("content-type"), "image/jpeg");
  const std::string authorization = r.Header("authorization").value_or("");
  EXPECT_TRUE(authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKID/"));
  EXPECT_NE(authorization.find("/eu-west-1/s3/aws4_request, SignedHeaders=content-type;host;"
                               "x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature="),
            std::string::npos)
      << authorization;

  // Recompute the signature from what the server received.
  SignableRequest received;
  received.method = r.method;
  received.path = r.path;
  received.query = r.query;
  for (const char* name :
       {"content-type", "host", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token"}) {
    received.headers.emplace_back(name, r.Header(name).value_or(""));
  }
  received.payload_hash = Sha256Hex(r.body);
  const std::string date = r.Header("x-amz-date").value_or("");
  std::tm tm{};
  strptime(date.c_str(), "%Y%m%dT%H%M%SZ", &tm);
  const SigningScope scope{"eu-west-1", "s3", Clock::from_time_t(timegm(&tm))};
  std::string signed_headers;
  const std::string signature = ComputeSignature(
      "SECRET", scope,
      StringToSign(CanonicalRequest(received, PathRule::kS3, &signed_headers), scope));
  EXPECT_TRUE(authorization.ends_with("Signature=" + signature)) << authorization;
}

TEST_F(S3ClientTest, RetriesSlowDownAndServerErrorsThenSucceeds) {
  std::atomic<int> calls{0};
  Serve([&](const RecordedRequest&) {
    switch (calls.fetch_add(1)) {
      case 0:
        return S3ErrorResponse(503, "SlowDown");
      case 1:
        return S3ErrorResponse(500, "InternalError");
      default:
        return Ok("payload");
    }
  });
  auto client = Client(FastRetries(4));
  Result<GetObjectResult> got = client->GetObject("k", std::nullopt);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->bytes, "payload");
  EXPECT_EQ(server_->request_count(), 3u);
  // Every attempt is signed anew (a fresh date at least as late).
  const auto requests = server_->requests();
  EXPECT_LE(requests[0].Header("x-amz-date"), requests[2].Header("x-amz-date"));
}

TEST_F(S3ClientTest, RetriesThrottlingAndRequestTimeoutCodes) {
  for (const auto& [status, code] :
       std::vector<std::pair<int, std::string>>{{429, "TooManyRequests"},
                                                {400, "RequestTimeout"},
                                                {503, "ServiceUnavailable"},
                                                {400, "ThrottlingException"},
                                                {502, ""},
                                                {504, ""}}) {
    std::atomic<int> calls{0};
    Serve([&](const RecordedRequest&) {
      if (calls.fetch_add(1) == 0) {
        return code.empty() ? CannedResponse{status, {}, "", false, false, {}}
                            : S3ErrorResponse(status, code);
      }
      return Ok();
    });
    auto client = Client(FastRetries(3));
    EXPECT_TRUE(client->DeleteObject("k").ok()) << status << " " << code;
    EXPECT_EQ(server_->request_count(), 2u) << status << " " << code;
  }
}

TEST_F(S3ClientTest, GivesUpAfterMaxAttemptsAndSaysSo) {
  Serve([](const RecordedRequest&) { return S3ErrorResponse(503, "SlowDown"); });
  auto client = Client(FastRetries(3));
  const Status status = client->DeleteObject("k");
  EXPECT_EQ(status.code(), ErrorCode::kUnavailable);
  EXPECT_NE(status.message().find("SlowDown"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("gave up after 3 attempts"), std::string::npos)
      << status.message();
  EXPECT_EQ(server_->request_count(), 3u);
}

TEST_F(S3ClientTest, NeverRetriesOtherClientErrors) {
  struct Case {
    int status;
    std::string code;
    ErrorCode expected;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {403, "AccessDenied", ErrorCode::kUnavailable, "S3 denied access: AccessDenied"},
           {403, "SignatureDoesNotMatch", ErrorCode::kUnavailable,
            "S3 rejected our credentials: SignatureDoesNotMatch"},
           {403, "InvalidAccessKeyId", ErrorCode::kUnavailable,
            "S3 rejected our credentials: InvalidAccessKeyId"},
           {400, "ExpiredToken", ErrorCode::kUnavailable,
            "S3 rejected our credentials: ExpiredToken"},
           {404, "NoSuchKey", ErrorCode::kNotFound, "NoSuchKey"},
           {404, "NoSuchBucket", ErrorCode::kUnavailable, "NoSuchBucket"},
           {416, "InvalidRange", ErrorCode::kRangeNotSatisfiable, "InvalidRange"},
           {400, "AuthorizationHeaderMalformed", ErrorCode::kUnavailable,
            "AuthorizationHeaderMalformed"},
           {301, "PermanentRedirect", ErrorCode::kUnavailable, "PermanentRedirect"},
           {400, "InvalidArgument", ErrorCode::kInternal, "InvalidArgument"},
           {501, "NotImplemented", ErrorCode::kInternal, "NotImplemented"},
       }) {
    Serve([&](const RecordedRequest&) { return S3ErrorResponse(c.status, c.code); });
    auto client = Client(FastRetries(4));
    const Result<GetObjectResult> got = client->GetObject("photos/k", std::nullopt);
    EXPECT_EQ(got.code(), c.expected) << c.code;
    EXPECT_NE(got.status().message().find(c.message), std::string::npos) << got.status().message();
    EXPECT_NE(got.status().message().find("GetObject s3://bkt/photos/k"), std::string::npos)
        << got.status().message();
    EXPECT_NE(got.status().message().find("REQ123"), std::string::npos) << got.status().message();
    EXPECT_EQ(server_->request_count(), 1u) << c.code;
  }
}

TEST_F(S3ClientTest, RetriesDroppedConnections) {
  std::atomic<int> calls{0};
  Serve([&](const RecordedRequest&) {
    if (calls.fetch_add(1) < 2) {
      CannedResponse drop;
      drop.drop_connection = true;
      return drop;
    }
    return Ok();
  });
  auto client = Client(FastRetries(4));
  EXPECT_TRUE(client->DeleteObject("k").ok());
  EXPECT_EQ(server_->request_count(), 3u);
}

TEST_F(S3ClientTest, ANonRespondingServerTimesOutWithinTheConfiguredTimeout) {
  Serve([](const RecordedRequest&) {
    CannedResponse hang;
    hang.hang = true;
    return hang;
  });
  S3ClientConfig config = FastRetries(2);
  config.timeouts = {milliseconds(500), milliseconds(300)};
  auto client = Client(config);
  const auto start = std::chrono::steady_clock::now();
  const Result<ObjectMetadata> head = client->HeadObject("k");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(head.code(), ErrorCode::kTimeout) << head.status().ToString();
  EXPECT_EQ(server_->request_count(), 2u);
  // Two attempts of 300 ms and one short backoff.
  EXPECT_GE(elapsed, milliseconds(550));
  EXPECT_LT(elapsed, milliseconds(1500));
}

TEST_F(S3ClientTest, TheOperationTimeoutBoundsAllAttemptsTogether) {
  Serve([](const RecordedRequest&) {
    CannedResponse hang;
    hang.hang = true;
    return hang;
  });
  S3ClientConfig config;
  config.retry = {10, milliseconds(5), milliseconds(20), milliseconds(700)};
  config.timeouts = {milliseconds(500), milliseconds(300)};
  auto client = Client(config);
  const auto start = std::chrono::steady_clock::now();
  const Status status = client->DeleteObject("k");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(status.code(), ErrorCode::kTimeout) << status.ToString();
  EXPECT_LT(elapsed, milliseconds(1200));
  EXPECT_LE(server_->request_count(), 3u);
}

TEST_F(S3ClientTest, CompleteMultipartUploadWithAnErrorIn200IsRetried) {
  std::atomic<int> calls{0};
  Serve([&](const RecordedRequest&) {
    if (calls.fetch_add(1) == 0) {
      CannedResponse r = S3ErrorResponse(200, "InternalError");
      return r;
    }
    return Ok(
        "<CompleteMultipartUploadResult><Location>x</Location><Bucket>bkt</Bucket>"
        "<Key>k</Key><ETag>\"e-2\"</ETag></CompleteMultipartUploadResult>");
  });
  auto client = Client(FastRetries(3));
  const Status status = client->CompleteMultipartUpload("k", "UP/1", {{1, "\"a\""}, {2, "\"b\""}});
  EXPECT_TRUE(status.ok()) << status.ToString();
  ASSERT_EQ(server_->request_count(), 2u);
  const RecordedRequest r = server_->requests()[1];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.query, "uploadId=UP%2F1");
  EXPECT_NE(r.body.find("<Part><PartNumber>2</PartNumber><ETag>&quot;b&quot;</ETag></Part>"),
            std::string::npos)
      << r.body;
  EXPECT_EQ(r.Header("x-amz-content-sha256"), Sha256Hex(r.body));
}

TEST_F(S3ClientTest, SendsServerSideEncryptionOnPutAndMultipartCreateOnly) {
  Serve([](const RecordedRequest& r) {
    if (r.query == "uploads=") {
      return Ok(
          "<InitiateMultipartUploadResult><Bucket>bkt</Bucket><Key>k</Key>"
          "<UploadId>U1</UploadId></InitiateMultipartUploadResult>");
    }
    return Ok();
  });
  S3ClientConfig config;
  config.sse = "aws:kms";
  config.kms_key_id = "alias/gallery";
  auto client = Client(config);
  StringBody body("x");
  ASSERT_TRUE(client->PutObject("k", body, Sha256Hex("x"), "image/jpeg").ok());
  Result<std::string> upload = client->CreateMultipartUpload("k", "image/jpeg");
  ASSERT_TRUE(upload.ok()) << upload.status().ToString();
  EXPECT_EQ(*upload, "U1");
  ASSERT_TRUE(client->UploadPart("k", "U1", 1, body, Sha256Hex("x")).ok());
  const auto requests = server_->requests();
  ASSERT_EQ(requests.size(), 3u);
  for (int i : {0, 1}) {
    EXPECT_EQ(requests[i].Header("x-amz-server-side-encryption"), "aws:kms");
    EXPECT_EQ(requests[i].Header("x-amz-server-side-encryption-aws-kms-key-id"), "alias/gallery");
    EXPECT_NE(requests[i].Header("authorization")->find("x-amz-server-side-encryption"),
              std::string::npos);
  }
  EXPECT_EQ(requests[2].query, "partNumber=1&uploadId=U1");
  EXPECT_FALSE(requests[2].Header("x-amz-server-side-encryption").has_value());
}

TEST_F(S3ClientTest, VirtualHostedAddressingPutsTheBucketInTheHostName) {
  Serve([](const RecordedRequest&) { return Ok("v"); });
  S3ClientConfig config;
  config.endpoint = {"http", "localhost", server_->port()};
  config.bucket = "my-bucket";
  config.region = "us-east-1";
  auto client = std::make_unique<S3Client>(
      config, std::make_shared<StaticCredentialsProvider>(Credentials{"AKID", "SECRET", "", {}}),
      NewCurlHttpClient());
  EXPECT_FALSE(client->addressing().path_style());
  // curl resolves *.localhost to the loopback address itself.
  Result<GetObjectResult> got = client->GetObject("photos/x", std::nullopt);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  const RecordedRequest r = server_->requests().at(0);
  EXPECT_EQ(r.Header("host"), "my-bucket.localhost:" + std::to_string(server_->port()));
  EXPECT_EQ(r.target, "/photos/x");
}

TEST_F(S3ClientTest, ParsesListingsWithUrlEncodedKeys) {
  Serve([](const RecordedRequest&) {
    return Ok(R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>bkt</Name><Prefix>p%2F</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>
  <EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
  <Contents><Key>p/a+b%26c</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified>
    <ETag>&quot;x&quot;</ETag><Size>434234</Size><StorageClass>STANDARD</StorageClass></Contents>
  <Contents><Key>p/%E1%88%B4</Key><LastModified>2009-10-12T17:50:31.000Z</LastModified>
    <Size>0</Size></Contents>
</ListBucketResult>)");
  });
  auto client = Client();
  ListObjectsV2Request request;
  request.prefix = "p/";
  request.start_after = "p/0";
  request.continuation_token = "tok+/=";
  request.max_keys = 2;
  Result<ListObjectsV2Result> list = client->ListObjectsV2(request);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->objects.size(), 2u);
  EXPECT_EQ(list->objects[0].key, "p/a b&c");
  EXPECT_EQ(list->objects[0].size, 434234u);
  EXPECT_EQ(list->objects[0].last_modified, Clock::from_time_t(1255369830));
  EXPECT_EQ(list->objects[1].key, "p/\xe1\x88\xb4");
  EXPECT_TRUE(list->is_truncated);
  EXPECT_EQ(list->next_continuation_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
  EXPECT_EQ(server_->requests().at(0).target,
            "/bkt?list-type=2&encoding-type=url&max-keys=2&prefix=p%2F&start-after=p%2F0"
            "&continuation-token=tok%2B%2F%3D");
}

TEST_F(S3ClientTest, NoCredentialsIsUnavailableWithoutSendingAnything) {
  class Failing final : public CredentialsProvider {
   public:
    Result<Credentials> GetCredentials() override {
      return Status::Unavailable("instance metadata: timed out");
    }
  };
  Serve([](const RecordedRequest&) { return Ok(); });
  S3Client client(
      {{"http", "127.0.0.1", server_->port()}, "bkt", true, "us-east-1", {}, {}, "", ""},
      std::make_shared<Failing>(), NewCurlHttpClient());
  const Status status = client.DeleteObject("k");
  EXPECT_EQ(status.code(), ErrorCode::kUnavailable);
  EXPECT_NE(status.message().find("no usable AWS credentials: instance metadata: timed out"),
            std::string::npos)
      << status.message();
  EXPECT_EQ(server_->request_count(), 0u);
}

TEST_F(S3ClientTest, PresignedUrlsDoNotOutliveTemporaryCredentials) {
  Serve([](const RecordedRequest&) { return Ok(); });
  auto client =
      Client({}, {"ASIATEMP", "SECRET", "TOKEN", Clock::now() + std::chrono::seconds(100)});
  Result<std::string> url = client->PresignGetObject("k", std::chrono::hours(1), "");
  ASSERT_TRUE(url.ok());
  const size_t at = url->find("X-Amz-Expires=");
  ASSERT_NE(at, std::string::npos);
  const int expires = std::stoi(url->substr(at + 14));
  EXPECT_GT(expires, 90);
  EXPECT_LE(expires, 100);
  EXPECT_NE(url->find("X-Amz-Security-Token=TOKEN&"), std::string::npos) << *url;
  EXPECT_EQ(server_->request_count(), 0u);  // no I/O

  auto long_term = Client();
  url = long_term->PresignGetObject("k", std::chrono::hours(1), "");
  EXPECT_NE(url->find("X-Amz-Expires=3600&"), std::string::npos) << *url;
}

TEST(RetryPolicy, BackoffIsFullJitterUnderACappedExponential) {
  const RetryPolicy policy{10, milliseconds(100), milliseconds(1000), milliseconds(60000)};
  for (int retry = 1; retry <= 6; ++retry) {
    const int64_t cap = std::min<int64_t>(1000, 100 << (retry - 1));
    int64_t low = cap;
    int64_t high = 0;
    for (int i = 0; i < 2000; ++i) {
      const int64_t delay = BackoffDelay(policy, retry).count();
      ASSERT_GE(delay, 0);
      ASSERT_LE(delay, cap);
      low = std::min(low, delay);
      high = std::max(high, delay);
    }
    // Spread over the whole interval, not a fixed wait.
    EXPECT_LE(low, cap / 10) << retry;
    EXPECT_GE(high, cap * 9 / 10) << retry;
  }
}

}  // namespace
}  // namespace gallery::storage::s3
