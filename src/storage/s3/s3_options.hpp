#pragma once

// Settings of the S3 BlobStore. Each field names the configuration variable
// that sets it, so that validation messages can say which one is wrong.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "common/status.hpp"
#include "storage/s3/credentials.hpp"

namespace gallery::storage::s3 {

inline constexpr uint64_t kMiB = 1024 * 1024;
// S3's limits on multipart uploads.
inline constexpr uint64_t kMinPartSize = 5 * kMiB;
inline constexpr uint64_t kMaxPartSize = 5 * 1024 * kMiB;
inline constexpr uint64_t kMaxParts = 10000;
// S3's limit on one PUT, and on a key's length (prefix included).
inline constexpr uint64_t kMaxSinglePutSize = 5 * 1024 * kMiB;
inline constexpr size_t kMaxS3KeyLength = 1024;
// The longest GALLERY_S3_PREFIX: with it, every valid blob key (at most
// kMaxBlobKeyLength = 768 bytes) still fits in an S3 key.
inline constexpr size_t kMaxS3PrefixLength = 256;

struct S3Options {
  std::string bucket;  // GALLERY_S3_BUCKET
  // GALLERY_S3_PREFIX: every key is stored under it ("gallery/" stores
  // "photos/x" at "gallery/photos/x"). Empty, or ends with "/".
  std::string prefix;
  std::string region;  // GALLERY_S3_REGION, e.g. "eu-west-1"
  // GALLERY_S3_ENDPOINT: empty for AWS (https://s3.<region>.amazonaws.com),
  // else "http(s)://host[:port]" of an S3-compatible store (MinIO, Ceph,
  // Garage, ...).
  std::string endpoint;
  // GALLERY_S3_FORCE_PATH_STYLE: "<endpoint>/<bucket>/<key>" instead of
  // "<bucket>.<endpoint>/<key>". Path style is also used, whatever this
  // says, when the endpoint is an IP address, and over https when the
  // bucket name has dots (they break the wildcard certificate).
  bool force_path_style = false;
  // GALLERY_S3_SSE: server-side encryption of new objects: "" (bucket
  // default), "AES256" (SSE-S3) or "aws:kms" (SSE-KMS).
  std::string sse;
  // GALLERY_S3_KMS_KEY_ID: the KMS key for "aws:kms"; empty = the AWS
  // managed key.
  std::string kms_key_id;
  // GALLERY_S3_CA_FILE: PEM certificates to verify an https endpoint with
  // (a self-hosted store behind a private CA); empty = the system's CAs.
  std::string ca_file;

  // GALLERY_S3_CONNECT_TIMEOUT: TCP + TLS handshake of one connection.
  std::chrono::milliseconds connect_timeout{3000};
  // GALLERY_S3_REQUEST_TIMEOUT: one HTTP request, start to end (one part of
  // a multipart upload is one request).
  std::chrono::milliseconds request_timeout{60000};
  // GALLERY_S3_MAX_ATTEMPTS: tries per S3 request, first one included.
  // Retried: connection failures, timeouts, 5xx, throttling (429, 503
  // SlowDown); never other 4xx.
  int max_attempts = 4;
  // Backoff before retry n (n >= 1): a uniformly random wait in
  // [0, min(retry_max_delay, retry_base_delay * 2^(n-1))] ("full jitter").
  std::chrono::milliseconds retry_base_delay{100};
  std::chrono::milliseconds retry_max_delay{5000};
  // GALLERY_S3_OPERATION_TIMEOUT: one S3 request with all its retries never
  // takes longer than this.
  std::chrono::milliseconds operation_timeout{180000};

  // GALLERY_S3_MULTIPART_THRESHOLD: Put or PutFile of an object this large
  // or larger uses a multipart upload.
  uint64_t multipart_threshold = 16 * kMiB;
  // GALLERY_S3_PART_SIZE: bytes per part (raised automatically when a file
  // would need more than 10000 parts).
  uint64_t part_size = 8 * kMiB;

  // Where credentials come from; nullptr = the default AWS chain
  // (environment, web identity, shared files, container, instance
  // metadata). Tests set their own.
  std::shared_ptr<CredentialsProvider> credentials;
};

// OK when every field is usable; kInvalidArgument naming the setting and
// what it expects otherwise.
Status ValidateS3Options(const S3Options& options);

// Bucket naming rules of S3 (general purpose buckets).
Status ValidateBucketName(std::string_view bucket);

}  // namespace gallery::storage::s3
