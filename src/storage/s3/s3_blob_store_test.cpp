// The S3 BlobStore's own logic (prefix, key rules, listing across pages,
// ranges, multipart bookkeeping, validation) against canned S3 answers on
// loopback.

#include "storage/s3/s3_blob_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <mutex>

#include "common/crypto.hpp"
#include "storage/s3/child_process_testing.hpp"
#include "storage/s3/loopback_http_server_testing.hpp"
#include "storage/s3/multipart_upload.hpp"
#include "storage/s3/s3_endpoint.hpp"
#include "storage/s3/uri_encode.hpp"

namespace gallery::storage::s3 {
namespace {

using testing::CannedResponse;
using testing::LoopbackHttpServer;
using testing::RecordedRequest;

// The value of query parameter `name` in `query`, decoded.
std::string QueryParam(const std::string& query, const std::string& name) {
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    const std::string pair = query.substr(start, end - start);
    if (pair.starts_with(name + "=")) return UriDecode(pair.substr(name.size() + 1));
    start = end + 1;
  }
  return "";
}

CannedResponse Xml(std::string body) {
  CannedResponse r;
  r.headers = {{"Content-Type", "application/xml"}};
  r.body = std::move(body);
  return r;
}

CannedResponse Error(int status, const std::string& code) {
  CannedResponse r = Xml("<Error><Code>" + code + "</Code></Error>");
  r.status = status;
  return r;
}

class S3BlobStoreTest : public ::testing::Test {
 protected:
  void Serve(LoopbackHttpServer::Handler handler) {
    auto server = LoopbackHttpServer::Start(std::move(handler));
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
  }

  S3Options Options() const {
    S3Options options;
    options.bucket = "bkt";
    options.prefix = "pre/";
    options.region = "us-east-1";
    options.endpoint = server_->url();
    options.max_attempts = 2;
    options.retry_base_delay = std::chrono::milliseconds(1);
    options.credentials =
        std::make_shared<StaticCredentialsProvider>(Credentials{"AKID", "SECRET", "", {}});
    return options;
  }

  std::unique_ptr<BlobStore> Store(const S3Options& options) {
    Result<std::unique_ptr<BlobStore>> store = NewS3BlobStore(options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  std::unique_ptr<LoopbackHttpServer> server_;
  testing::TempDir scratch_;
};

// A bucket of `count` keys "pre/k0000".. answering ListObjectsV2 pages of at
// most max-keys, as S3 does, with opaque continuation tokens.
CannedResponse ListFromBucket(const RecordedRequest& r, int count) {
  const std::string prefix = QueryParam(r.query, "prefix");
  const std::string start_after = QueryParam(r.query, "start-after");
  const std::string token = QueryParam(r.query, "continuation-token");
  const int max_keys = std::stoi(QueryParam(r.query, "max-keys"));
  std::vector<std::string> keys;
  for (int i = 0; i < count; ++i) {
    char key[16];
    std::snprintf(key, sizeof key, "pre/k%04d", i);
    if (std::string(key).starts_with(prefix) && key > start_after && key > token) {
      keys.push_back(key);
    }
  }
  std::string body = "<ListBucketResult><EncodingType>url</EncodingType>";
  const int n = std::min<int>(max_keys, static_cast<int>(keys.size()));
  for (int i = 0; i < n; ++i) {
    body += "<Contents><Key>" + UriEncode(keys[i], true) +
            "</Key><LastModified>2024-01-02T03:04:05.000Z</LastModified><Size>" +
            std::to_string(i) + "</Size></Contents>";
  }
  const bool truncated = n < static_cast<int>(keys.size());
  body += std::string("<IsTruncated>") + (truncated ? "true" : "false") + "</IsTruncated>";
  if (truncated) body += "<NextContinuationToken>" + keys[n - 1] + "</NextContinuationToken>";
  return Xml(body + "</ListBucketResult>");
}

TEST_F(S3BlobStoreTest, ListStripsThePrefixAndPagesThroughS3Pages) {
  Serve([](const RecordedRequest& r) { return ListFromBucket(r, 2500); });
  auto store = Store(Options());
  Result<ListPage> page = store->List("k", "", 2200);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->blobs.size(), 2200u);
  EXPECT_EQ(page->blobs.front().key, "k0000");
  EXPECT_EQ(page->blobs.back().key, "k2199");
  EXPECT_EQ(page->next_start_after, "k2199");
  EXPECT_EQ(page->blobs.front().last_modified, Clock::from_time_t(1704164645));
  // 1000 + 1000 + 200, the later ones with the continuation token.
  const auto requests = server_->requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(QueryParam(requests[0].query, "max-keys"), "1000");
  EXPECT_EQ(QueryParam(requests[0].query, "prefix"), "pre/k");
  EXPECT_EQ(QueryParam(requests[2].query, "max-keys"), "200");
  EXPECT_EQ(QueryParam(requests[2].query, "continuation-token"), "pre/k1999");

  page = store->List("k", *page->next_start_after, 1000);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->blobs.size(), 300u);
  EXPECT_FALSE(page->next_start_after.has_value());
  EXPECT_EQ(QueryParam(server_->requests().back().query, "start-after"), "pre/k2199");

  // Exactly as many keys as the limit: no next page.
  page = store->List("k24", "", 100);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->blobs.size(), 100u);
  EXPECT_FALSE(page->next_start_after.has_value());
  EXPECT_EQ(store->List("k", "", 0).code(), ErrorCode::kInvalidArgument);
}

TEST_F(S3BlobStoreTest, PingListsAtMostOneKeyUnderThePrefix) {
  Serve([](const RecordedRequest& r) { return ListFromBucket(r, 3); });
  auto store = Store(Options());
  EXPECT_TRUE(store->Ping().ok());
  const RecordedRequest r = server_->requests().at(0);
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.path, "/bkt");
  EXPECT_EQ(QueryParam(r.query, "prefix"), "pre/");
  EXPECT_EQ(QueryParam(r.query, "max-keys"), "1");
  EXPECT_EQ(QueryParam(r.query, "list-type"), "2");
}

TEST_F(S3BlobStoreTest, GetAsksForTheRangeAndCutsWhenTheServerIgnoresIt) {
  std::string ignore_range = "no";
  Serve([&](const RecordedRequest& r) {
    CannedResponse out;
    const std::string all = "0123456789";
    const auto range = r.Header("range");
    if (r.method == "HEAD") {
      out.headers = {{"Content-Length", r.path.ends_with("empty") ? "0" : "10"},
                     {"Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT"}};
      return out;
    }
    if (r.path.ends_with("empty")) {
      if (range) return Error(416, "InvalidRange");
      return out;
    }
    if (!range || ignore_range == "yes") {
      out.body = all;
      return out;
    }
    // "bytes=a-b" or "bytes=a-"
    const std::string spec = range->substr(6);
    const size_t dash = spec.find('-');
    const size_t first = std::stoul(spec.substr(0, dash));
    const size_t last = dash + 1 < spec.size() ? std::stoul(spec.substr(dash + 1)) : 9;
    if (first > 9) return Error(416, "InvalidRange");
    out.status = 206;
    const size_t end = std::min<size_t>(last, 9);
    out.headers = {
        {"Content-Range", "bytes " + std::to_string(first) + "-" + std::to_string(end) + "/10"}};
    out.body = all.substr(first, end - first + 1);
    return out;
  });
  auto store = Store(Options());
  for (const std::string mode : {"no", "yes"}) {
    ignore_range = mode;
    Result<BlobData> got = store->Get("k", {3, 4});
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(got->bytes, "3456") << mode;
    EXPECT_EQ(got->total_size, 10u);
    got = store->Get("k", {8, 100});
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(got->bytes, "89") << mode;
    got = store->Get("k", {0, std::nullopt});
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got->bytes, "0123456789");
    EXPECT_EQ(store->Get("k", {10, std::nullopt}).code(), ErrorCode::kRangeNotSatisfiable) << mode;
  }
  EXPECT_EQ(server_->requests()[0].Header("range"), "bytes=3-6");
  EXPECT_EQ(server_->requests()[1].Header("range"), "bytes=8-107");
  EXPECT_FALSE(server_->requests()[2].Header("range").has_value());

  // Zero bytes: the offset is checked against the size (HEAD).
  Result<BlobData> none = store->Get("k", {4, 0});
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_EQ(none->bytes, "");
  EXPECT_EQ(none->total_size, 10u);
  EXPECT_EQ(store->Get("k", {10, 0}).code(), ErrorCode::kRangeNotSatisfiable);
  // An empty object: S3 refuses every range, the contract does not.
  Result<BlobData> empty = store->Get("empty", {0, 5});
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_EQ(empty->bytes, "");
  EXPECT_EQ(empty->total_size, 0u);
}

TEST_F(S3BlobStoreTest, RejectsBadKeysAndContentTypesWithoutSendingAnything) {
  Serve([](const RecordedRequest&) { return CannedResponse{}; });
  auto store = Store(Options());
  for (const std::string key : {"", "/a", "a/", "a//b", "a/../b", "a b", "a\nb"}) {
    EXPECT_EQ(store->Put(key, "x", {}).code(), ErrorCode::kInvalidArgument) << key;
    EXPECT_EQ(store->Get(key).code(), ErrorCode::kInvalidArgument) << key;
    EXPECT_EQ(store->Head(key).code(), ErrorCode::kInvalidArgument) << key;
    EXPECT_EQ(store->Delete(key).code(), ErrorCode::kInvalidArgument) << key;
    EXPECT_FALSE(store->PresignGet(key, std::chrono::seconds(60), "").has_value()) << key;
  }
  EXPECT_EQ(store->Put("k", "x", {"image/jpeg\r\nX-Evil: 1"}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(store->PutFile("k", scratch_.path() / "missing", {}).code(), ErrorCode::kNotFound);
  // Keys over kMaxBlobKeyLength are refused before any request (with the
  // longest prefix, the longest key fills S3's 1024 bytes exactly).
  const std::string long_key = "a/" + std::string(kMaxBlobKeyLength - 1, 'b');
  EXPECT_EQ(store->Put(long_key, "x", {}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(server_->request_count(), 0u);
}

TEST_F(S3BlobStoreTest, MultipartSendsFileSizedPartsAndReportsAFailedAbort) {
  std::mutex mu;
  std::vector<size_t> part_sizes;
  Serve([&](const RecordedRequest& r) {
    CannedResponse out;
    if (r.method == "POST" && r.query == "uploads=") {
      return Xml(
          "<InitiateMultipartUploadResult><UploadId>U-1</UploadId>"
          "</InitiateMultipartUploadResult>");
    }
    if (r.method == "PUT" && r.query.starts_with("partNumber=")) {
      std::lock_guard lock(mu);
      part_sizes.push_back(r.body.size());
      EXPECT_EQ(r.Header("x-amz-content-sha256"), Sha256Hex(r.body));
      out.headers = {{"ETag", "\"p" + QueryParam(r.query, "partNumber") + "\""}};
      return out;
    }
    if (r.method == "POST") return Error(400, "InvalidPart");
    if (r.method == "DELETE") return Error(403, "AccessDenied");
    return Error(500, "InternalError");
  });
  S3Options options = Options();
  options.multipart_threshold = 5 * kMiB;
  options.part_size = 5 * kMiB;
  auto store = Store(options);
  const auto path = scratch_.path() / "big";
  std::ofstream(path, std::ios::binary) << RandomBytes(11 * kMiB + 5);

  const Status status = store->PutFile("photos/big", path, {"image/jpeg"});
  EXPECT_EQ(status.code(), ErrorCode::kInternal);
  EXPECT_NE(status.message().find("InvalidPart"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("aborting multipart upload U-1 failed too"), std::string::npos)
      << status.message();
  EXPECT_NE(status.message().find("AccessDenied"), std::string::npos) << status.message();
  EXPECT_EQ(part_sizes, (std::vector<size_t>{5 * kMiB, 5 * kMiB, kMiB + 5}));
  const auto requests = server_->requests();
  EXPECT_EQ(requests.back().method, "DELETE");
  EXPECT_EQ(requests.back().query, "uploadId=U-1");
  EXPECT_EQ(requests.back().path, "/bkt/pre/photos/big");
}

TEST_F(S3BlobStoreTest, PutFromMemoryGoesMultipartAtTheThresholdAndAbortsOnFailure) {
  std::mutex mu;
  std::vector<std::string> parts;
  std::vector<std::string> single_puts;
  Serve([&](const RecordedRequest& r) {
    CannedResponse out;
    if (r.method == "POST" && r.query == "uploads=") {
      return Xml(
          "<InitiateMultipartUploadResult><UploadId>U-2</UploadId>"
          "</InitiateMultipartUploadResult>");
    }
    if (r.method == "PUT" && r.query.starts_with("partNumber=")) {
      std::lock_guard lock(mu);
      parts.push_back(r.body);
      EXPECT_EQ(r.Header("x-amz-content-sha256"), Sha256Hex(r.body));
      if (QueryParam(r.query, "partNumber") == "3") return Error(400, "InvalidRequest");
      out.headers = {{"ETag", "\"p" + QueryParam(r.query, "partNumber") + "\""}};
      return out;
    }
    if (r.method == "PUT") {
      std::lock_guard lock(mu);
      single_puts.push_back(r.body);
      return out;
    }
    if (r.method == "DELETE") return out;  // the abort
    return Error(500, "InternalError");
  });
  S3Options options = Options();
  options.multipart_threshold = 6 * kMiB;
  options.part_size = 5 * kMiB;
  auto store = Store(options);

  // Below the threshold: one PutObject.
  const std::string below = RandomBytes(6 * kMiB - 1);
  ASSERT_TRUE(store->Put("photos/a/original", below, {"image/jpeg"}).ok());
  ASSERT_EQ(single_puts.size(), 1u);
  EXPECT_TRUE(single_puts[0] == below);
  EXPECT_TRUE(parts.empty());

  // At the threshold and above: parts cut from the caller's bytes; a part
  // refused for good aborts the upload.
  const std::string bytes = RandomBytes(11 * kMiB + 7);
  const Status status = store->Put("photos/b/original", bytes, {"image/jpeg"});
  EXPECT_EQ(status.code(), ErrorCode::kInternal) << status.ToString();
  EXPECT_NE(status.message().find("InvalidRequest"), std::string::npos) << status.message();
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_TRUE(parts[0] == bytes.substr(0, 5 * kMiB));
  EXPECT_TRUE(parts[1] == bytes.substr(5 * kMiB, 5 * kMiB));
  EXPECT_TRUE(parts[2] == bytes.substr(10 * kMiB));
  EXPECT_EQ(single_puts.size(), 1u);
  const auto requests = server_->requests();
  EXPECT_EQ(requests.back().method, "DELETE");
  EXPECT_EQ(requests.back().query, "uploadId=U-2");
  EXPECT_EQ(requests.back().path, "/bkt/pre/photos/b/original");
}

TEST(S3Multipart, PartSizeGrowsToStayWithin10000Parts) {
  EXPECT_EQ(EffectivePartSize(20 * kMiB, 8 * kMiB), 8 * kMiB);
  EXPECT_EQ(EffectivePartSize(80000 * kMiB, 8 * kMiB), 8 * kMiB);
  EXPECT_EQ(EffectivePartSize(80000 * kMiB + 1, 8 * kMiB), 9 * kMiB);
  const uint64_t huge = 5ull * 1024 * 1024 * kMiB;  // 5 TiB, S3's largest object
  const uint64_t part = EffectivePartSize(huge, 8 * kMiB);
  EXPECT_LE((huge + part - 1) / part, kMaxParts);
  EXPECT_EQ(part % kMiB, 0u);
}

TEST(S3BlobStoreFactory, ValidatesOptionsNamingTheSetting) {
  const auto message = [](const std::function<void(S3Options&)>& change) {
    S3Options options;
    options.bucket = "my-bucket";
    options.region = "eu-west-1";
    options.credentials =
        std::make_shared<StaticCredentialsProvider>(Credentials{"A", "B", "", {}});
    change(options);
    Result<std::unique_ptr<BlobStore>> store = NewS3BlobStore(options);
    return store.ok() ? std::string("OK") : store.status().message();
  };
  EXPECT_EQ(message([](S3Options&) {}), "OK");
  EXPECT_EQ(message([](S3Options& o) { o.prefix = "gallery/photos/"; }), "OK");
  EXPECT_EQ(message([](S3Options& o) { o.endpoint = "http://127.0.0.1:9000"; }), "OK");
  EXPECT_EQ(message([](S3Options& o) { o.sse = "aws:kms", o.kms_key_id = "alias/x"; }), "OK");
  for (const std::string& bucket : std::vector<std::string>{
           "", "ab", "My-Bucket", "-bucket", "bucket-", "a..b", "192.168.1.1", "xn--bucket",
           "bucket-s3alias", "bucket_name", std::string(64, 'a')}) {
    EXPECT_TRUE(message([&](S3Options& o) { o.bucket = bucket; }).starts_with("GALLERY_S3_BUCKET"))
        << bucket;
  }
  for (const std::string prefix : {"gallery", "/gallery/", "a//", "./", "a/../", "a b/"}) {
    EXPECT_TRUE(message([&](S3Options& o) { o.prefix = prefix; }).starts_with("GALLERY_S3_PREFIX"))
        << prefix;
  }
  EXPECT_TRUE(message([](S3Options& o) { o.region = ""; }).starts_with("GALLERY_S3_REGION"));
  EXPECT_TRUE(message([](S3Options& o) { o.region = "EU West"; }).starts_with("GALLERY_S3_REGION"));
  for (const std::string endpoint : {"ftp://x", "http://", "http://h/path", "https://h:0",
                                     "https://h:99999", "http://user@h", "minio:9000"}) {
    EXPECT_TRUE(
        message([&](S3Options& o) { o.endpoint = endpoint; }).starts_with("GALLERY_S3_ENDPOINT"))
        << endpoint;
  }
  EXPECT_TRUE(message([](S3Options& o) { o.sse = "aes256"; }).starts_with("GALLERY_S3_SSE"));
  EXPECT_TRUE(
      message([](S3Options& o) { o.kms_key_id = "alias/k"; }).starts_with("GALLERY_S3_KMS_KEY_ID"));
  EXPECT_TRUE(
      message([](S3Options& o) { o.part_size = kMiB; }).starts_with("GALLERY_S3_PART_SIZE"));
  EXPECT_TRUE(message([](S3Options& o) {
                o.multipart_threshold = 0;
              }).starts_with("GALLERY_S3_MULTIPART_THRESHOLD"));
  EXPECT_TRUE(
      message([](S3Options& o) { o.max_attempts = 0; }).starts_with("GALLERY_S3_MAX_ATTEMPTS"));
  EXPECT_TRUE(message([](S3Options& o) {
                o.connect_timeout = {};
              }).starts_with("GALLERY_S3_CONNECT_TIMEOUT"));
  EXPECT_TRUE(message([](S3Options& o) {
                o.request_timeout = {};
              }).starts_with("GALLERY_S3_REQUEST_TIMEOUT"));
}

TEST(S3Endpoint, ParsesAndAddresses) {
  Result<S3Endpoint> minio = ParseS3Endpoint("http://minio.local:9000/");
  ASSERT_TRUE(minio.ok());
  EXPECT_EQ(minio->Authority(), "minio.local:9000");
  EXPECT_EQ(S3Addressing(*minio, "b", true).Resolve("a b/c", "x=1").url,
            "http://minio.local:9000/b/a%20b/c?x=1");
  const S3Address vhost = S3Addressing(*minio, "b", false).Resolve("k", "");
  EXPECT_EQ(vhost.url, "http://b.minio.local:9000/k");
  EXPECT_EQ(vhost.host, "b.minio.local:9000");
  EXPECT_EQ(vhost.path, "/k");
  EXPECT_EQ(S3Addressing(*minio, "b", false).Resolve("", "list-type=2").url,
            "http://b.minio.local:9000/?list-type=2");

  Result<S3Endpoint> ipv6 = ParseS3Endpoint("https://[::1]:8443");
  ASSERT_TRUE(ipv6.ok());
  EXPECT_EQ(ipv6->Authority(), "[::1]:8443");
  EXPECT_TRUE(S3Addressing(*ipv6, "b", false).path_style());  // an IP cannot have subdomains
  EXPECT_TRUE(S3Addressing({"http", "10.0.0.5", 0}, "b", false).path_style());
  EXPECT_EQ(ParseS3Endpoint("https://s3.example.com:443")->Authority(), "s3.example.com");

  const S3Endpoint aws = AwsS3Endpoint("eu-west-1");
  EXPECT_EQ(S3Addressing(aws, "photos", false).Resolve("k", "").url,
            "https://photos.s3.eu-west-1.amazonaws.com/k");
  // Dots in the bucket break the wildcard certificate: path style.
  EXPECT_EQ(S3Addressing(aws, "my.photos", false).Resolve("k", "").url,
            "https://s3.eu-west-1.amazonaws.com/my.photos/k");
  EXPECT_EQ(AwsS3Endpoint("cn-north-1").host, "s3.cn-north-1.amazonaws.com.cn");
}

}  // namespace
}  // namespace gallery::storage::s3
