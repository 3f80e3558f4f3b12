// The S3 BlobStore against moto with IAM enforced: the store signs with a
// key whose policy allows only the bucket's "gallery/" prefix.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/crypto.hpp"
#include "storage/s3/credentials.hpp"
#include "storage/s3/http_client.hpp"
#include "storage/s3/loopback_http_server_testing.hpp"
#include "storage/s3/moto_world_testing.hpp"
#include "storage/s3/s3_blob_store.hpp"

namespace gallery::storage::s3 {
namespace {

using testing::MotoWorld;

class S3MotoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<MotoWorld*> world = testing::SharedMotoWorldWithIam();
    ASSERT_TRUE(world.ok()) << world.status().ToString();
    world_ = *world;
    // A fresh namespace per test inside the allowed prefix.
    run_prefix_ = world_->allowed_prefix + "t-" + NewId() + "/";
    for (char& c : run_prefix_) {
      if (c == '_') c = '-';
    }
  }

  S3Options Options(const std::string& prefix) const {
    S3Options options;
    options.bucket = world_->bucket;
    options.prefix = prefix;
    options.region = "us-east-1";
    options.endpoint = world_->server->endpoint();
    options.force_path_style = true;
    options.request_timeout = std::chrono::seconds(20);
    options.max_attempts = 2;
    options.credentials = std::make_shared<StaticCredentialsProvider>(world_->store_credentials);
    return options;
  }

  std::unique_ptr<BlobStore> Store(const S3Options& options) const {
    Result<std::unique_ptr<BlobStore>> store = NewS3BlobStore(options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  std::unique_ptr<BlobStore> Store() const { return Store(Options(run_prefix_)); }

  // Runs boto3 as the admin user: `script` gets endpoint, bucket, key id,
  // secret and then `args` in sys.argv, and a client `s3` ready to use.
  testing::ProcessResult Boto3(std::string_view script, std::vector<std::string> args) const {
    const std::string prelude = R"py(
import sys, hashlib, json, boto3
from botocore.config import Config
endpoint, bucket, key_id, secret = sys.argv[1:5]
args = sys.argv[5:]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                  aws_access_key_id=key_id, aws_secret_access_key=secret,
                  config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
)py";
    std::vector<std::string> argv = {world_->server->endpoint(), world_->bucket,
                                     world_->admin_credentials.access_key_id,
                                     world_->admin_credentials.secret_access_key};
    argv.insert(argv.end(), args.begin(), args.end());
    Result<testing::ProcessResult> result = testing::RunPython(prelude + std::string(script), argv);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    if (!result.ok()) return {};
    EXPECT_EQ(result->exit_code, 0) << result->err;
    return std::move(result).value();
  }

  std::filesystem::path WriteFile(const std::string& bytes) {
    const auto path = scratch_.path() / ("f-" + NewId());
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  MotoWorld* world_ = nullptr;
  std::string run_prefix_;
  testing::TempDir scratch_;
};

TEST_F(S3MotoTest, PutGetHeadListDeleteUnderThePrefix) {
  auto store = Store();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Ping().ok()) << store->Ping().ToString();
  const std::string bytes = RandomBytes(1000);
  ASSERT_TRUE(store->Put("photos/a/original", bytes, {"image/jpeg"}).ok());
  ASSERT_TRUE(store->Put("photos/b/original", "bb", {}).ok());

  Result<BlobData> whole = store->Get("photos/a/original");
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  EXPECT_EQ(whole->bytes, bytes);
  EXPECT_EQ(whole->total_size, 1000u);
  Result<BlobData> part = store->Get("photos/a/original", {10, 20});
  ASSERT_TRUE(part.ok()) << part.status().ToString();
  EXPECT_EQ(part->bytes, bytes.substr(10, 20));
  EXPECT_EQ(part->total_size, 1000u);
  Result<BlobData> tail = store->Get("photos/a/original", {990, 100});
  ASSERT_TRUE(tail.ok()) << tail.status().ToString();
  EXPECT_EQ(tail->bytes, bytes.substr(990));
  EXPECT_EQ(store->Get("photos/a/original", {1000, std::nullopt}).code(),
            ErrorCode::kRangeNotSatisfiable);
  EXPECT_EQ(store->Get("photos/missing").code(), ErrorCode::kNotFound);

  Result<BlobInfo> info = store->Head("photos/a/original");
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->size, 1000u);
  EXPECT_LT(std::chrono::abs(info->last_modified - Clock::now()), std::chrono::minutes(5));
  EXPECT_EQ(store->Head("photos/missing").code(), ErrorCode::kNotFound);

  Result<ListPage> page = store->List("photos/", "", 1);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->blobs.size(), 1u);
  EXPECT_EQ(page->blobs[0].key, "photos/a/original");
  EXPECT_EQ(page->blobs[0].size, 1000u);
  ASSERT_TRUE(page->next_start_after.has_value());
  page = store->List("photos/", *page->next_start_after, 10);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->blobs.size(), 1u);
  EXPECT_EQ(page->blobs[0].key, "photos/b/original");
  EXPECT_FALSE(page->next_start_after.has_value());

  ASSERT_TRUE(store->Delete("photos/a/original").ok());
  EXPECT_TRUE(store->Delete("photos/a/original").ok());  // idempotent
  EXPECT_EQ(store->Head("photos/a/original").code(), ErrorCode::kNotFound);
}

TEST_F(S3MotoTest, MultipartUploadOfA20MiBFileIn8MiBParts) {
  S3Options options = Options(run_prefix_);
  options.multipart_threshold = 16 * kMiB;
  options.part_size = 8 * kMiB;
  auto store = Store(options);
  ASSERT_NE(store, nullptr);
  const std::string bytes = RandomBytes(20 * kMiB);
  const auto path = WriteFile(bytes);
  ASSERT_TRUE(store->PutFile("photos/big/original", path, {"image/tiff"}).ok());

  Result<BlobData> got = store->Get("photos/big/original");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(Sha256Hex(got->bytes), Sha256Hex(bytes));
  // S3 marks a multipart object's ETag with its number of parts.
  const testing::ProcessResult head = Boto3(
      "h = s3.head_object(Bucket=bucket, Key=args[0]); print(h['ETag'], h['ContentLength'], "
      "h['ContentType'])",
      {run_prefix_ + "photos/big/original"});
  EXPECT_NE(head.out.find("-3\" 20971520 image/tiff"), std::string::npos) << head.out;
}

// The service stores originals with Put (a memory-mapped request body):
// large ones must go up in parts too.
TEST_F(S3MotoTest, LargePutFromMemoryIsAMultipartUpload) {
  S3Options options = Options(run_prefix_);
  options.multipart_threshold = 6 * kMiB;
  options.part_size = 5 * kMiB;
  auto store = Store(options);
  ASSERT_NE(store, nullptr);
  const std::string large = RandomBytes(12 * kMiB + 1);
  const std::string small = RandomBytes(6 * kMiB - 1);
  ASSERT_TRUE(store->Put("photos/big/original", large, {"image/jpeg"}).ok());
  ASSERT_TRUE(store->Put("photos/small/original", small, {"image/jpeg"}).ok());

  Result<BlobData> got = store->Get("photos/big/original");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(Sha256Hex(got->bytes), Sha256Hex(large));
  // A multipart object's ETag ends with "-<parts>"; a single PUT's does not.
  const testing::ProcessResult head =
      Boto3(R"py(
for key in args:
    h = s3.head_object(Bucket=bucket, Key=key)
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    print(h["ETag"], h["ContentLength"], h["ContentType"], hashlib.sha256(body).hexdigest())
)py",
            {run_prefix_ + "photos/big/original", run_prefix_ + "photos/small/original"});
  EXPECT_NE(head.out.find("-3\" 12582913 image/jpeg " + Sha256Hex(large) + "\n"), std::string::npos)
      << head.out;
  const size_t second_line = head.out.find('\n') + 1;
  EXPECT_EQ(head.out.substr(second_line).find("-"), std::string::npos) << head.out;
  EXPECT_NE(head.out.find(" 6291455 image/jpeg " + Sha256Hex(small) + "\n"), std::string::npos)
      << head.out;
  // Nothing left half-done.
  const testing::ProcessResult uploads = Boto3(
      "print(len(s3.list_multipart_uploads(Bucket=bucket, Prefix=args[0]).get('Uploads', [])))",
      {run_prefix_});
  EXPECT_EQ(uploads.out, "0\n");
}

TEST_F(S3MotoTest, AKeyOutsideTheAllowedPrefixIsDeniedByIam) {
  auto outside = Store(Options("elsewhere/"));
  ASSERT_NE(outside, nullptr);
  const Status put = outside->Put("photos/a", "x", {});
  EXPECT_EQ(put.code(), ErrorCode::kUnavailable);
  EXPECT_NE(put.message().find("S3 denied access: AccessDenied"), std::string::npos)
      << put.message();
  const Result<BlobData> get = outside->Get("photos/a");
  EXPECT_EQ(get.code(), ErrorCode::kUnavailable);
  EXPECT_NE(get.status().message().find("AccessDenied"), std::string::npos);
  // The same key with the same credentials is fine under the allowed prefix.
  auto inside = Store();
  EXPECT_TRUE(inside->Put("photos/a", "x", {}).ok());
}

TEST_F(S3MotoTest, AWrongSecretKeyFailsWithSignatureDoesNotMatch) {
  S3Options options = Options(run_prefix_);
  Credentials wrong = world_->store_credentials;
  wrong.secret_access_key[0] = wrong.secret_access_key[0] == 'x' ? 'y' : 'x';
  options.credentials = std::make_shared<StaticCredentialsProvider>(wrong);
  auto store = Store(options);
  for (const Status& status : {store->Ping(), store->Put("photos/a", "x", {}),
                               store->Get("photos/a").status(), store->Delete("photos/a")}) {
    EXPECT_EQ(status.code(), ErrorCode::kUnavailable);
    EXPECT_NE(status.message().find("S3 rejected our credentials: SignatureDoesNotMatch"),
              std::string::npos)
        << status.message();
  }
  // HEAD answers carry no error body: still unavailable, with what is known.
  const Result<BlobInfo> head = store->Head("photos/a");
  EXPECT_EQ(head.code(), ErrorCode::kUnavailable) << head.status().ToString();

  options.credentials = std::make_shared<StaticCredentialsProvider>(
      Credentials{"AKIAUNKNOWNUNKNOWN00", "secret", "", {}});
  const Status unknown = Store(options)->Ping();
  EXPECT_EQ(unknown.code(), ErrorCode::kUnavailable);
  EXPECT_NE(unknown.message().find("InvalidAccessKeyId"), std::string::npos) << unknown.message();
}

TEST_F(S3MotoTest, Boto3ReadsWhatWeWroteAndWeReadWhatBoto3Wrote) {
  S3Options options = Options(run_prefix_);
  options.multipart_threshold = 6 * kMiB;
  options.part_size = 5 * kMiB;
  auto store = Store(options);
  const std::string small = RandomBytes(100 * 1024);
  const std::string large = RandomBytes(11 * kMiB + 3);
  ASSERT_TRUE(store->Put("photos/A-b_c.d/small", small, {"image/png"}).ok());
  ASSERT_TRUE(store->PutFile("photos/A-b_c.d/large", WriteFile(large), {}).ok());

  const testing::ProcessResult read =
      Boto3(R"py(
for key in args:
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    print(hashlib.sha256(body).hexdigest())
)py",
            {run_prefix_ + "photos/A-b_c.d/small", run_prefix_ + "photos/A-b_c.d/large"});
  EXPECT_EQ(read.out, Sha256Hex(small) + "\n" + Sha256Hex(large) + "\n");

  // boto3 writes random bytes and prints them as hex.
  const testing::ProcessResult wrote = Boto3(R"py(
import os
data = os.urandom(300000)
s3.put_object(Bucket=bucket, Key=args[0], Body=data)
print(data.hex())
)py",
                                             {run_prefix_ + "photos/from-boto3"});
  std::string expected_hex = wrote.out;
  while (!expected_hex.empty() && expected_hex.back() == '\n') expected_hex.pop_back();
  Result<BlobData> got = store->Get("photos/from-boto3");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(HexEncode(got->bytes), expected_hex);
}

// A fault-injecting proxy in front of moto fails one request of a multipart
// upload for good (a 400, which is never retried): the upload must be
// aborted, leaving no parts and no object.
struct FailingRequest {
  std::string name;
  std::string method;
  std::string query_prefix;
};

void PrintTo(const FailingRequest& failing, std::ostream* os) { *os << failing.name; }

class S3MotoAbortTest : public S3MotoTest, public ::testing::WithParamInterface<FailingRequest> {};

TEST_P(S3MotoAbortTest, AFailedMultipartUploadIsAborted) {
  const FailingRequest failing = GetParam();
  const int moto_port = world_->server->port();
  auto proxy = testing::LoopbackHttpServer::Start([&](const testing::RecordedRequest& r) {
    if (r.method == failing.method && r.query.starts_with(failing.query_prefix)) {
      testing::CannedResponse refused;
      refused.status = 400;
      refused.body = "<Error><Code>InvalidRequest</Code><Message>injected</Message></Error>";
      return refused;
    }
    return testing::ForwardTo(moto_port, r);
  });
  ASSERT_TRUE(proxy.ok()) << proxy.status().ToString();
  S3Options options = Options(run_prefix_);
  options.endpoint = (*proxy)->url();
  options.multipart_threshold = 5 * kMiB;
  options.part_size = 5 * kMiB;
  auto store = Store(options);
  const auto path = WriteFile(RandomBytes(12 * kMiB));

  const Status status = store->PutFile("photos/big/original", path, {});
  EXPECT_EQ(status.code(), ErrorCode::kInternal) << status.ToString();
  EXPECT_NE(status.message().find("injected"), std::string::npos) << status.message();

  const auto requests = (*proxy)->requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(requests.back().method, "DELETE");
  EXPECT_TRUE(requests.back().query.starts_with("uploadId=")) << requests.back().query;
  const testing::ProcessResult uploads = Boto3(
      "print(len(s3.list_multipart_uploads(Bucket=bucket, Prefix=args[0]).get('Uploads', [])))",
      {run_prefix_});
  EXPECT_EQ(uploads.out, "0\n");
  EXPECT_EQ(store->Head("photos/big/original").code(), ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(FailingStep, S3MotoAbortTest,
                         ::testing::Values(FailingRequest{"SecondPart", "PUT", "partNumber=2&"},
                                           FailingRequest{"Complete", "POST", "uploadId="}),
                         [](const auto& info) { return info.param.name; });

TEST_F(S3MotoTest, ServerSideEncryptionIsRequestedOnPutAndMultipart) {
  S3Options options = Options(run_prefix_);
  options.sse = "AES256";
  options.multipart_threshold = 5 * kMiB;
  options.part_size = 5 * kMiB;
  auto store = Store(options);
  ASSERT_TRUE(store->Put("photos/small", "x", {}).ok());
  ASSERT_TRUE(store->PutFile("photos/large", WriteFile(RandomBytes(6 * kMiB)), {}).ok());
  const testing::ProcessResult head =
      Boto3(R"py(
for key in args:
    print(s3.head_object(Bucket=bucket, Key=key).get("ServerSideEncryption"))
)py",
            {run_prefix_ + "photos/small", run_prefix_ + "photos/large"});
  EXPECT_EQ(head.out, "AES256\nAES256\n");
}

TEST_F(S3MotoTest, VirtualHostedAddressingWorksAgainstAnEndpointName) {
  S3Options options = Options(run_prefix_);
  options.endpoint = "http://localhost:" + std::to_string(world_->server->port());
  options.force_path_style = false;
  auto store = Store(options);
  ASSERT_TRUE(store->Put("photos/vhost", "virtual", {}).ok());
  Result<BlobData> got = store->Get("photos/vhost");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->bytes, "virtual");
  Result<ListPage> page = store->List("photos/", "", 10);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->blobs.size(), 1u);
  EXPECT_EQ(page->blobs[0].key, "photos/vhost");
}

// moto does not check presigned URLs (and cannot serve them with IAM on),
// so the URL is fetched from a server without IAM, and compared, parameter
// by parameter and signature included, with the URL botocore presigns for
// the same request, credentials and time.
TEST(S3MotoPresign, PresignedGetIsFetchableWithPlainHttpAndMatchesBotocore) {
  Result<testing::MotoServer*> moto = testing::SharedMotoWithoutIam();
  ASSERT_TRUE(moto.ok()) << moto.status().ToString();
  const std::string bucket = "presign-test";
  const testing::ProcessResult created = [&] {
    auto r = testing::RunPython(R"py(
import sys, boto3
boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="AKIAX",
             aws_secret_access_key="x").create_bucket(Bucket=sys.argv[2])
)py",
                                {(*moto)->endpoint(), bucket});
    EXPECT_TRUE(r.ok() && r->exit_code == 0) << (r.ok() ? r->err : r.status().ToString());
    return r.ok() ? *r : testing::ProcessResult{};
  }();
  (void)created;

  S3Options options;
  options.bucket = bucket;
  options.prefix = "gallery/";
  options.region = "us-east-1";
  options.endpoint = (*moto)->endpoint();
  const Credentials credentials{"AKIAPRESIGNEXAMPLE00", "presign/secret+key", "session/token=", {}};
  options.credentials = std::make_shared<StaticCredentialsProvider>(credentials);
  Result<std::unique_ptr<BlobStore>> store = NewS3BlobStore(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const std::string bytes = RandomBytes(5000);
  ASSERT_TRUE((*store)->Put("photos/p/original", bytes, {"image/jpeg"}).ok());

  const std::string disposition = "attachment; filename=\"holiday photo.jpg\"";
  const std::optional<std::string> url =
      (*store)->PresignGet("photos/p/original", std::chrono::seconds(300), disposition);
  ASSERT_TRUE(url.has_value());
  EXPECT_TRUE(url->starts_with((*moto)->endpoint() + "/presign-test/gallery/photos/p/original?"))
      << *url;

  auto http = NewCurlHttpClient();
  const HttpOutcome fetched = http->Send({"GET", *url, {}, nullptr}, {});
  ASSERT_TRUE(fetched.error.ok()) << fetched.error.ToString();
  EXPECT_EQ(fetched.response.status, 200);
  EXPECT_TRUE(fetched.response.body == bytes);
  // (moto ignores response-content-disposition; S3 answers with it. That
  // the parameter is in the URL and signed is checked against botocore.)

  const size_t date_at = url->find("X-Amz-Date=");
  ASSERT_NE(date_at, std::string::npos);
  const std::string amz_date = url->substr(date_at + 11, 16);
  Result<testing::ProcessResult> botocore = testing::RunPython(
      R"py(
import sys, datetime, urllib.parse
import boto3, botocore.auth
from botocore.config import Config
endpoint, bucket, key, key_id, secret, token, disposition, amz_date = sys.argv[1:9]
now = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ")
botocore.auth.get_current_datetime = lambda *args, **kwargs: now
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                  aws_access_key_id=key_id, aws_secret_access_key=secret, aws_session_token=token,
                  config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
url = s3.generate_presigned_url("get_object", ExpiresIn=300, Params={
    "Bucket": bucket, "Key": key, "ResponseContentDisposition": disposition})
parts = urllib.parse.urlsplit(url)
print(parts.path)
for name, value in sorted(urllib.parse.parse_qsl(parts.query)):
    print(name + "=" + value)
)py",
      {(*moto)->endpoint(), bucket, "gallery/photos/p/original", credentials.access_key_id,
       credentials.secret_access_key, credentials.session_token, disposition, amz_date});
  ASSERT_TRUE(botocore.ok()) << botocore.status().ToString();
  ASSERT_EQ(botocore->exit_code, 0) << botocore->err;
  // The same, from our URL.
  Result<testing::ProcessResult> ours = testing::RunPython(R"py(
import sys, urllib.parse
parts = urllib.parse.urlsplit(sys.argv[1])
print(parts.path)
for name, value in sorted(urllib.parse.parse_qsl(parts.query)):
    print(name + "=" + value)
)py",
                                                           {*url});
  ASSERT_TRUE(ours.ok());
  EXPECT_EQ(ours->out, botocore->out);
  EXPECT_NE(ours->out.find("X-Amz-Signature="), std::string::npos);
}

// An https endpoint (a self-hosted store with a private CA): verified with
// GALLERY_S3_CA_FILE, refused without it (and not retried).
TEST(S3MotoTls, HttpsEndpointVerifiedWithTheConfiguredCa) {
  testing::TempDir dir;
  const auto certificate = dir.path() / "cert.pem";
  const auto key = dir.path() / "key.pem";
  testing::ChildProcessOptions openssl;
  const auto openssl_path = testing::FindOnPath("openssl");
  ASSERT_TRUE(openssl_path.has_value()) << "openssl is not on PATH";
  openssl.argv = {openssl_path->string(),
                  "req",
                  "-x509",
                  "-newkey",
                  "rsa:2048",
                  "-nodes",
                  "-keyout",
                  key.string(),
                  "-out",
                  certificate.string(),
                  "-days",
                  "1",
                  "-subj",
                  "/CN=127.0.0.1",
                  "-addext",
                  "subjectAltName=IP:127.0.0.1"};
  Result<testing::ProcessResult> made = testing::RunProcess(openssl, std::chrono::seconds(30));
  ASSERT_TRUE(made.ok() && made->exit_code == 0)
      << (made.ok() ? made->err : made.status().ToString());

  testing::MotoServerOptions tls;
  tls.tls_certificate = certificate;
  tls.tls_key = key;
  Result<std::unique_ptr<testing::MotoServer>> moto = testing::MotoServer::Start(tls);
  ASSERT_TRUE(moto.ok()) << moto.status().ToString();
  ASSERT_TRUE((*moto)->endpoint().starts_with("https://"));
  Result<testing::ProcessResult> bucket =
      testing::RunPython(R"py(
import sys, boto3
boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1", verify=sys.argv[2],
             aws_access_key_id="AKIAX", aws_secret_access_key="x").create_bucket(Bucket="tls-test")
)py",
                         {(*moto)->endpoint(), certificate.string()});
  ASSERT_TRUE(bucket.ok() && bucket->exit_code == 0) << (bucket.ok() ? bucket->err : "");

  S3Options options;
  options.bucket = "tls-test";
  options.region = "us-east-1";
  options.endpoint = (*moto)->endpoint();
  options.ca_file = certificate.string();
  options.credentials =
      std::make_shared<StaticCredentialsProvider>(Credentials{"AKIAX", "secret", "", {}});
  Result<std::unique_ptr<BlobStore>> verified = NewS3BlobStore(options);
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  ASSERT_TRUE((*verified)->Put("photos/tls", "over tls", {}).ok());
  Result<BlobData> got = (*verified)->Get("photos/tls");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->bytes, "over tls");

  options.ca_file.clear();
  Result<std::unique_ptr<BlobStore>> unverified = NewS3BlobStore(options);
  ASSERT_TRUE(unverified.ok());
  const Status refused = (*unverified)->Ping();
  EXPECT_EQ(refused.code(), ErrorCode::kUnavailable);
  EXPECT_NE(refused.message().find("certificate"), std::string::npos) << refused.message();
  EXPECT_EQ(refused.message().find("gave up after"), std::string::npos) << refused.message();
}

}  // namespace
}  // namespace gallery::storage::s3
