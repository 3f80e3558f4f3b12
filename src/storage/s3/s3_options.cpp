#include "storage/s3/s3_options.hpp"

#include <arpa/inet.h>

#include <filesystem>

#include "storage/blob_store.hpp"
#include "storage/s3/s3_endpoint.hpp"

namespace gallery::storage::s3 {
namespace {

Status Invalid(std::string_view setting, std::string_view value, std::string_view expected) {
  return Status::InvalidArgument(std::string(setting) + " \"" + std::string(value) +
                                 "\": " + std::string(expected));
}

Status InvalidNumber(std::string_view setting, int64_t value, std::string_view expected) {
  return Status::InvalidArgument(std::string(setting) + " " + std::to_string(value) + ": " +
                                 std::string(expected));
}

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

Status ValidateBucketName(std::string_view bucket) {
  constexpr std::string_view kSetting = "GALLERY_S3_BUCKET";
  if (bucket.size() < 3 || bucket.size() > 63) {
    return Invalid(kSetting, bucket, "a bucket name has 3 to 63 characters");
  }
  for (char c : bucket) {
    if (!IsLowerAlnum(c) && c != '.' && c != '-') {
      return Invalid(kSetting, bucket,
                     "a bucket name has only lower-case letters, digits, '.' and '-'");
    }
  }
  if (!IsLowerAlnum(bucket.front()) || !IsLowerAlnum(bucket.back())) {
    return Invalid(kSetting, bucket, "a bucket name starts and ends with a letter or digit");
  }
  if (bucket.find("..") != std::string_view::npos || bucket.find(".-") != std::string_view::npos ||
      bucket.find("-.") != std::string_view::npos) {
    return Invalid(kSetting, bucket, "a bucket name has no \"..\", \".-\" or \"-.\"");
  }
  in_addr addr{};
  if (inet_pton(AF_INET, std::string(bucket).c_str(), &addr) == 1) {
    return Invalid(kSetting, bucket, "a bucket name is not an IP address");
  }
  if (bucket.starts_with("xn--") || bucket.starts_with("sthree-") || bucket.ends_with("-s3alias") ||
      bucket.ends_with("--ol-s3")) {
    return Invalid(kSetting, bucket,
                   "the prefixes xn-- and sthree- and the suffixes -s3alias and --ol-s3 are "
                   "reserved by S3");
  }
  return Status::Ok();
}

Status ValidateS3Options(const S3Options& options) {
  GALLERY_RETURN_IF_ERROR(ValidateBucketName(options.bucket));

  if (!options.prefix.empty()) {
    constexpr std::string_view kSetting = "GALLERY_S3_PREFIX";
    if (!options.prefix.ends_with("/")) {
      return Invalid(kSetting, options.prefix,
                     "must be empty or end with \"/\" (e.g. \"gallery/\")");
    }
    const std::string_view inner(options.prefix.data(), options.prefix.size() - 1);
    if (!ValidateBlobKey(inner).ok()) {
      return Invalid(kSetting, options.prefix,
                     "must be segments of [A-Za-z0-9._-] joined and ended by \"/\", without "
                     "\".\", \"..\" or empty segments and without a leading \"/\"");
    }
    if (options.prefix.size() > kMaxS3PrefixLength) {
      return Invalid(kSetting, options.prefix,
                     "at most " + std::to_string(kMaxS3PrefixLength) + " characters");
    }
  }

  if (options.region.empty()) {
    return Invalid("GALLERY_S3_REGION", options.region,
                   "required: the bucket's AWS region, e.g. \"eu-west-1\" (S3-compatible stores "
                   "usually accept \"us-east-1\")");
  }
  for (char c : options.region) {
    if (!IsLowerAlnum(c) && c != '-') {
      return Invalid("GALLERY_S3_REGION", options.region,
                     "a region has only lower-case letters, digits and '-'");
    }
  }

  if (!options.endpoint.empty()) {
    Result<S3Endpoint> endpoint = ParseS3Endpoint(options.endpoint);
    if (!endpoint.ok()) return endpoint.status();
  }

  if (options.sse != "" && options.sse != "AES256" && options.sse != "aws:kms") {
    return Invalid("GALLERY_S3_SSE", options.sse,
                   "one of \"\" (bucket default), \"AES256\" (SSE-S3) or \"aws:kms\" (SSE-KMS)");
  }
  if (!options.kms_key_id.empty() && options.sse != "aws:kms") {
    return Invalid("GALLERY_S3_KMS_KEY_ID", options.kms_key_id,
                   "only meaningful with GALLERY_S3_SSE=aws:kms");
  }
  for (char c : options.kms_key_id) {
    if (c < 0x21 || c > 0x7e) {
      return Invalid("GALLERY_S3_KMS_KEY_ID", options.kms_key_id,
                     "a key id, alias or ARN without spaces or control characters");
    }
  }

  if (!options.ca_file.empty()) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(options.ca_file, error)) {
      return Invalid("GALLERY_S3_CA_FILE", options.ca_file, "must be a readable PEM file");
    }
  }
  if (options.connect_timeout.count() <= 0) {
    return InvalidNumber("GALLERY_S3_CONNECT_TIMEOUT", options.connect_timeout.count(),
                         "must be > 0 ms");
  }
  if (options.request_timeout.count() <= 0) {
    return InvalidNumber("GALLERY_S3_REQUEST_TIMEOUT", options.request_timeout.count(),
                         "must be > 0 ms");
  }
  if (options.operation_timeout < options.request_timeout) {
    return InvalidNumber("GALLERY_S3_OPERATION_TIMEOUT", options.operation_timeout.count(),
                         "must be >= GALLERY_S3_REQUEST_TIMEOUT (" +
                             std::to_string(options.request_timeout.count()) + " ms)");
  }
  if (options.max_attempts < 1 || options.max_attempts > 20) {
    return InvalidNumber("GALLERY_S3_MAX_ATTEMPTS", options.max_attempts, "must be 1 to 20");
  }
  if (options.retry_base_delay.count() < 0 || options.retry_max_delay < options.retry_base_delay) {
    return InvalidNumber("retry delays", options.retry_base_delay.count(),
                         "need 0 <= base delay <= max delay");
  }
  if (options.part_size < kMinPartSize || options.part_size > kMaxPartSize) {
    return InvalidNumber("GALLERY_S3_PART_SIZE", static_cast<int64_t>(options.part_size),
                         "must be 5 MiB (5242880) to 5 GiB: S3's limits for a part");
  }
  if (options.multipart_threshold < 1 || options.multipart_threshold > kMaxSinglePutSize) {
    return InvalidNumber("GALLERY_S3_MULTIPART_THRESHOLD",
                         static_cast<int64_t>(options.multipart_threshold),
                         "must be 1 byte to 5 GiB (S3's limit for one PUT)");
  }
  return Status::Ok();
}

}  // namespace gallery::storage::s3
