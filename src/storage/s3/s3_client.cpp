#include "storage/s3/s3_client.hpp"

#include <algorithm>
#include <charconv>
#include <thread>

#include "common/crypto.hpp"
#include "common/log.hpp"
#include "common/markup_escape.hpp"
#include "common/time.hpp"
#include "storage/s3/http_date.hpp"
#include "storage/s3/s3_errors.hpp"
#include "storage/s3/sigv4.hpp"
#include "storage/s3/xml.hpp"

namespace gallery::storage::s3 {
namespace {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

bool ParseUint(std::string_view text, uint64_t* out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

// "bytes 0-99/1234" -> 1234.
std::optional<uint64_t> TotalFromContentRange(std::string_view value) {
  const size_t slash = value.rfind('/');
  uint64_t total;
  if (!value.starts_with("bytes ") || slash == std::string_view::npos ||
      !ParseUint(value.substr(slash + 1), &total)) {
    return std::nullopt;
  }
  return total;
}

}  // namespace

struct S3Client::Call {
  Call(std::string_view operation, std::string method, std::string_view key)
      : operation(operation), method(std::move(method)), key(key) {}

  std::string_view operation;  // "GetObject", for messages
  std::string method;
  std::string_view key;  // empty: the bucket
  QueryParams query;
  HeaderList headers;  // besides Host and the signing headers
  HttpBody* body = nullptr;
  std::string payload_hash = std::string(kEmptyPayloadHash);
  // The operation may answer 200 with an <Error> body.
  bool error_in_200 = false;
};

S3Client::S3Client(S3ClientConfig config, std::shared_ptr<CredentialsProvider> credentials,
                   std::shared_ptr<HttpClient> http)
    : config_(std::move(config)),
      addressing_(config_.endpoint, config_.bucket, config_.force_path_style),
      credentials_(std::move(credentials)),
      http_(std::move(http)) {}

Result<HttpResponse> S3Client::Execute(const Call& call) {
  const std::string query = EncodeQuery(call.query);
  const S3Address address = addressing_.Resolve(call.key, query);
  const std::string what =
      std::string(call.operation) + " s3://" + config_.bucket + "/" + std::string(call.key);
  const auto start = SteadyClock::now();
  const auto deadline = start + config_.retry.total_timeout;

  Status last;
  int attempt = 0;
  while (true) {
    const auto remaining = std::chrono::duration_cast<milliseconds>(deadline - SteadyClock::now());
    if (remaining <= milliseconds(0)) break;
    ++attempt;
    Result<Credentials> credentials = credentials_->GetCredentials();
    if (!credentials.ok()) {
      return Status::Unavailable(
          "S3: no usable AWS credentials: " + credentials.status().message() + " [" + what + "]");
    }
    SignableRequest signable;
    signable.method = call.method;
    signable.path = address.path;
    signable.query = query;
    signable.headers = call.headers;
    signable.headers.emplace_back("Host", address.host);
    signable.payload_hash = call.payload_hash;
    SignRequest(signable, *credentials, {config_.region, "s3", Clock::now()}, SigningOptions{});

    const HttpTimeouts timeouts{std::min(config_.timeouts.connect, remaining),
                                std::min(config_.timeouts.total, remaining)};
    HttpOutcome outcome =
        http_->Send({call.method, address.url, std::move(signable.headers), call.body}, timeouts);

    bool retryable;
    if (!outcome.error.ok()) {
      last = Status(outcome.error.code(), "S3: " + outcome.error.message() + " [" + what + "]");
      retryable = outcome.retryable;
    } else if (outcome.response.status / 100 == 2 &&
               !(call.error_in_200 && IsErrorIn200(outcome.response))) {
      return std::move(outcome.response);
    } else {
      const S3Error error = ParseS3Error(outcome.response);
      last = S3ErrorToStatus(error, what);
      retryable = IsRetryableS3Error(error);
    }
    if (!retryable || attempt >= config_.retry.max_attempts) break;
    const milliseconds delay = BackoffDelay(config_.retry, attempt);
    if (SteadyClock::now() + delay >= deadline) break;
    Log(LogLevel::kDebug, "s3 request retried",
        {{"request", what},
         {"attempt", attempt},
         {"delay_ms", delay.count()},
         {"error", last.message()}});
    std::this_thread::sleep_for(delay);
  }
  if (attempt > 1) {
    const auto elapsed = std::chrono::duration_cast<milliseconds>(SteadyClock::now() - start);
    last = Status(last.code(), last.message() + " (gave up after " + std::to_string(attempt) +
                                   " attempts in " + std::to_string(elapsed.count()) + " ms)");
  }
  if (last.ok()) {
    last = Status(ErrorCode::kTimeout, "S3: operation timeout of " +
                                           std::to_string(config_.retry.total_timeout.count()) +
                                           " ms expired [" + what + "]");
  }
  return last;
}

Status S3Client::PutObject(std::string_view key, HttpBody& body, std::string_view payload_sha256,
                           std::string_view content_type) {
  Call call("PutObject", "PUT", key);
  call.headers.emplace_back("Content-Type", std::string(content_type));
  if (!config_.sse.empty()) {
    call.headers.emplace_back("x-amz-server-side-encryption", config_.sse);
    if (!config_.kms_key_id.empty()) {
      call.headers.emplace_back("x-amz-server-side-encryption-aws-kms-key-id", config_.kms_key_id);
    }
  }
  call.body = &body;
  call.payload_hash = std::string(payload_sha256);
  return Execute(call).status();
}

Result<GetObjectResult> S3Client::GetObject(std::string_view key,
                                            const std::optional<std::string>& range) {
  Call call("GetObject", "GET", key);
  if (range) call.headers.emplace_back("Range", *range);
  Result<HttpResponse> response = Execute(call);
  if (!response.ok()) return response.status();
  GetObjectResult result;
  result.http_status = response->status;
  result.bytes = std::move(response->body);
  result.total_size = result.bytes.size();
  if (response->status == 206) {
    const auto content_range = response->Header("content-range");
    const auto total = content_range ? TotalFromContentRange(*content_range) : std::nullopt;
    if (!total) {
      return Status::Internal("S3 GetObject s3://" + config_.bucket + "/" + std::string(key) +
                              ": 206 without a usable Content-Range");
    }
    result.total_size = *total;
  }
  return result;
}

Result<ObjectMetadata> S3Client::HeadObject(std::string_view key) {
  Result<HttpResponse> response = Execute(Call("HeadObject", "HEAD", key));
  if (!response.ok()) return response.status();
  ObjectMetadata metadata;
  const auto length = response->Header("content-length");
  const auto modified = response->Header("last-modified");
  const auto time = modified ? ParseHttpDate(*modified) : std::nullopt;
  if (!length || !ParseUint(*length, &metadata.size) || !time) {
    return Status::Internal("S3 HeadObject s3://" + config_.bucket + "/" + std::string(key) +
                            ": answer without a usable Content-Length or Last-Modified");
  }
  metadata.last_modified = *time;
  metadata.etag = std::string(response->Header("etag").value_or(""));
  return metadata;
}

Status S3Client::DeleteObject(std::string_view key) {
  return Execute(Call("DeleteObject", "DELETE", key)).status();
}

Result<ListObjectsV2Result> S3Client::ListObjectsV2(const ListObjectsV2Request& request) {
  Call call("ListObjectsV2", "GET", "");
  call.query = {{"list-type", "2"},
                {"encoding-type", "url"},
                {"max-keys", std::to_string(std::clamp(request.max_keys, 1, 1000))},
                {"prefix", request.prefix}};
  if (!request.start_after.empty()) call.query.emplace_back("start-after", request.start_after);
  if (!request.continuation_token.empty()) {
    call.query.emplace_back("continuation-token", request.continuation_token);
  }
  Result<HttpResponse> response = Execute(call);
  if (!response.ok()) return response.status();

  const std::string where = "S3 ListObjectsV2 s3://" + config_.bucket + "/" + request.prefix;
  Result<XmlElement> xml = ParseXml(response->body);
  if (!xml.ok()) return xml.status().WithContext(where);
  if (xml->name != "ListBucketResult") {
    return Status::Internal(where + ": unexpected answer <" + xml->name + ">");
  }
  const bool url_encoded = xml->ChildText("EncodingType") == "url";
  ListObjectsV2Result result;
  result.is_truncated = xml->ChildText("IsTruncated") == "true";
  result.next_continuation_token = xml->ChildText("NextContinuationToken");
  for (const XmlElement* contents : xml->Children("Contents")) {
    ListedObject object;
    const std::string key = contents->ChildText("Key");
    object.key = url_encoded ? UriDecode(key, /*plus_as_space=*/true) : key;
    const auto modified = ParseRfc3339(contents->ChildText("LastModified"));
    if (!ParseUint(contents->ChildText("Size"), &object.size) || !modified) {
      return Status::Internal(where + ": entry \"" + object.key +
                              "\" without a usable Size or LastModified");
    }
    object.last_modified = *modified;
    result.objects.push_back(std::move(object));
  }
  if (result.is_truncated && result.next_continuation_token.empty()) {
    return Status::Internal(where + ": truncated answer without NextContinuationToken");
  }
  return result;
}

Result<std::string> S3Client::CreateMultipartUpload(std::string_view key,
                                                    std::string_view content_type) {
  Call call("CreateMultipartUpload", "POST", key);
  call.query = {{"uploads", ""}};
  call.headers.emplace_back("Content-Type", std::string(content_type));
  if (!config_.sse.empty()) {
    call.headers.emplace_back("x-amz-server-side-encryption", config_.sse);
    if (!config_.kms_key_id.empty()) {
      call.headers.emplace_back("x-amz-server-side-encryption-aws-kms-key-id", config_.kms_key_id);
    }
  }
  Result<HttpResponse> response = Execute(call);
  if (!response.ok()) return response.status();
  Result<XmlElement> xml = ParseXml(response->body);
  std::string upload_id = xml.ok() ? xml->ChildText("UploadId") : "";
  if (upload_id.empty()) {
    return Status::Internal("S3 CreateMultipartUpload s3://" + config_.bucket + "/" +
                            std::string(key) + ": answer without an UploadId");
  }
  return upload_id;
}

Result<std::string> S3Client::UploadPart(std::string_view key, std::string_view upload_id,
                                         int part_number, HttpBody& body,
                                         std::string_view payload_sha256) {
  Call call("UploadPart", "PUT", key);
  call.query = {{"partNumber", std::to_string(part_number)}, {"uploadId", std::string(upload_id)}};
  call.body = &body;
  call.payload_hash = std::string(payload_sha256);
  Result<HttpResponse> response = Execute(call);
  if (!response.ok()) return response.status();
  const auto etag = response->Header("etag");
  if (!etag || etag->empty()) {
    return Status::Internal("S3 UploadPart " + std::to_string(part_number) + " of s3://" +
                            config_.bucket + "/" + std::string(key) + ": answer without an ETag");
  }
  return std::string(*etag);
}

Status S3Client::CompleteMultipartUpload(std::string_view key, std::string_view upload_id,
                                         const std::vector<CompletedPart>& parts) {
  std::string body = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
  for (const CompletedPart& part : parts) {
    body += "<Part><PartNumber>" + std::to_string(part.part_number) + "</PartNumber><ETag>" +
            EscapeMarkup(part.etag) + "</ETag></Part>";
  }
  body += "</CompleteMultipartUpload>";
  StringBody request_body(body);
  Call call("CompleteMultipartUpload", "POST", key);
  call.query = {{"uploadId", std::string(upload_id)}};
  call.headers.emplace_back("Content-Type", "application/xml");
  call.body = &request_body;
  call.payload_hash = Sha256Hex(body);
  call.error_in_200 = true;
  return Execute(call).status();
}

Status S3Client::AbortMultipartUpload(std::string_view key, std::string_view upload_id) {
  Call call("AbortMultipartUpload", "DELETE", key);
  call.query = {{"uploadId", std::string(upload_id)}};
  return Execute(call).status();
}

Result<std::string> S3Client::PresignGetObject(std::string_view key, std::chrono::seconds ttl,
                                               std::string_view content_disposition) {
  Result<Credentials> credentials = credentials_->GetCredentials();
  if (!credentials.ok()) return credentials.status();
  const S3Address address = addressing_.Resolve(key, "");
  PresignParams params;
  params.host = address.host;
  params.path = address.path;
  params.expires = ttl;
  if (credentials->expiration) {
    // The URL stops working when the credentials that signed it expire:
    // do not promise more.
    const auto left =
        std::chrono::duration_cast<std::chrono::seconds>(*credentials->expiration - Clock::now());
    params.expires = std::max(std::chrono::seconds(1), std::min(ttl, left));
  }
  if (!content_disposition.empty()) {
    params.query.emplace_back("response-content-disposition", std::string(content_disposition));
  }
  return address.url + "?" +
         PresignQueryString(params, *credentials, {config_.region, "s3", Clock::now()});
}

}  // namespace gallery::storage::s3
