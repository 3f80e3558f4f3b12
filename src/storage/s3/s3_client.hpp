#pragma once

// The S3 REST API operations the gallery needs, in S3's terms (full object
// keys, no BlobStore prefix or key rules). Every request is signed with
// SigV4 (payload hash signed), retried on transient failures with backoff
// (see RetryPolicy), bounded by timeouts, and its failure mapped to a Status
// by S3ErrorToStatus.
//
// Thread safety: safe for concurrent use; connections are pooled by the
// HttpClient.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "storage/s3/credentials.hpp"
#include "storage/s3/http_client.hpp"
#include "storage/s3/retry_policy.hpp"
#include "storage/s3/s3_endpoint.hpp"
#include "storage/s3/uri_encode.hpp"

namespace gallery::storage::s3 {

struct S3ClientConfig {
  S3Endpoint endpoint;
  std::string bucket;
  bool force_path_style = false;
  std::string region;
  RetryPolicy retry;
  HttpTimeouts timeouts;   // per attempt
  std::string sse;         // "", "AES256", "aws:kms": sent on PutObject and CreateMultipartUpload
  std::string kms_key_id;  // with "aws:kms"
};

struct ObjectMetadata {
  uint64_t size = 0;
  Clock::time_point last_modified;
  std::string etag;
};

struct GetObjectResult {
  long http_status = 0;  // 200 (whole object) or 206 (the range asked for)
  std::string bytes;
  // The whole object's size: from Content-Range on a 206, else bytes.size().
  uint64_t total_size = 0;
};

struct ListObjectsV2Request {
  std::string prefix;
  std::string start_after;         // empty: from the start
  std::string continuation_token;  // empty: first page
  int max_keys = 1000;             // 1..1000
};

struct ListedObject {
  std::string key;  // full key, decoded
  uint64_t size = 0;
  Clock::time_point last_modified;
};

struct ListObjectsV2Result {
  std::vector<ListedObject> objects;  // in key order
  bool is_truncated = false;
  std::string next_continuation_token;  // set when is_truncated
};

struct CompletedPart {
  int part_number = 0;
  std::string etag;
};

class S3Client final {
 public:
  S3Client(S3ClientConfig config, std::shared_ptr<CredentialsProvider> credentials,
           std::shared_ptr<HttpClient> http);

  const std::string& bucket() const { return config_.bucket; }
  const S3Addressing& addressing() const { return addressing_; }

  // PUT Object. `payload_sha256` is the hex SHA-256 of the body's bytes.
  Status PutObject(std::string_view key, HttpBody& body, std::string_view payload_sha256,
                   std::string_view content_type);

  // GET Object, with a Range header value ("bytes=0-99") when given.
  Result<GetObjectResult> GetObject(std::string_view key, const std::optional<std::string>& range);

  // HEAD Object. kNotFound when there is no object.
  Result<ObjectMetadata> HeadObject(std::string_view key);

  // DELETE Object (S3 answers 204 whether or not the key existed).
  Status DeleteObject(std::string_view key);

  // GET Bucket (ListObjectsV2) with encoding-type=url.
  Result<ListObjectsV2Result> ListObjectsV2(const ListObjectsV2Request& request);

  // Returns the upload id.
  Result<std::string> CreateMultipartUpload(std::string_view key, std::string_view content_type);
  // Returns the part's ETag.
  Result<std::string> UploadPart(std::string_view key, std::string_view upload_id, int part_number,
                                 HttpBody& body, std::string_view payload_sha256);
  Status CompleteMultipartUpload(std::string_view key, std::string_view upload_id,
                                 const std::vector<CompletedPart>& parts);
  Status AbortMultipartUpload(std::string_view key, std::string_view upload_id);

  // A presigned GET URL valid for `ttl`, clamped to 1 s .. 7 days and to
  // what is left of temporary credentials' lifetime; the answer carries
  // `content_disposition` when it is not empty. Fails only when there are no
  // credentials.
  Result<std::string> PresignGetObject(std::string_view key, std::chrono::seconds ttl,
                                       std::string_view content_disposition);

 private:
  struct Call;
  // Signs, sends, retries. Returns the 2xx answer, or the mapped error.
  Result<HttpResponse> Execute(const Call& call);

  const S3ClientConfig config_;
  const S3Addressing addressing_;
  const std::shared_ptr<CredentialsProvider> credentials_;
  const std::shared_ptr<HttpClient> http_;
};

}  // namespace gallery::storage::s3
