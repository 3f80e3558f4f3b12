#include "storage/s3/s3_errors.hpp"

#include "storage/s3/xml.hpp"

namespace gallery::storage::s3 {
namespace {

bool OneOf(std::string_view code, std::initializer_list<std::string_view> codes) {
  for (std::string_view c : codes) {
    if (code == c) return true;
  }
  return false;
}

bool IsCredentialsCode(std::string_view code) {
  return OneOf(code, {"SignatureDoesNotMatch", "InvalidAccessKeyId", "ExpiredToken", "InvalidToken",
                      "TokenRefreshRequired", "InvalidClientTokenId", "MissingSecurityHeader"});
}

bool IsConfigurationCode(std::string_view code) {
  return OneOf(code, {"NoSuchBucket", "PermanentRedirect", "AuthorizationHeaderMalformed",
                      "IllegalLocationConstraintException", "InvalidBucketName",
                      "AllAccessDisabled", "AccountProblem", "InvalidRegion",
                      "KMS.NotFoundException", "KMS.DisabledException", "NotSignedUp"});
}

std::string Describe(const S3Error& error) {
  std::string out = error.code.empty()
                        ? "HTTP " + std::to_string(error.http_status)
                        : error.code + " (HTTP " + std::to_string(error.http_status) + ")";
  if (!error.message.empty()) out += ": " + error.message;
  if (!error.region.empty()) out += " [bucket region " + error.region + "]";
  if (!error.request_id.empty()) out += " [request id " + error.request_id + "]";
  return out;
}

}  // namespace

S3Error ParseS3Error(const HttpResponse& response) {
  S3Error error;
  error.http_status = response.status;
  if (auto id = response.Header("x-amz-request-id")) error.request_id = std::string(*id);
  if (auto region = response.Header("x-amz-bucket-region")) error.region = std::string(*region);
  if (response.body.empty()) return error;
  Result<XmlElement> xml = ParseXml(response.body);
  if (!xml.ok()) {
    // Not S3's XML (a proxy's HTML page, say): keep a bounded excerpt.
    error.message = response.body.substr(0, 200);
    return error;
  }
  // S3: <Error><Code/>...</Error>; STS and some S3-compatible stores:
  // <ErrorResponse><Error>...</Error></ErrorResponse>.
  const XmlElement* root = &xml.value();
  if (root->name != "Error" && root->Child("Error") != nullptr) root = root->Child("Error");
  error.code = root->ChildText("Code");
  error.message = root->ChildText("Message");
  if (error.request_id.empty()) error.request_id = root->ChildText("RequestId");
  if (error.region.empty()) error.region = root->ChildText("Region");
  return error;
}

bool IsErrorIn200(const HttpResponse& response) {
  if (response.status != 200) return false;
  const size_t start = response.body.find('<', response.body.starts_with("<?xml") ? 1 : 0);
  return start != std::string::npos && response.body.compare(start, 7, "<Error>") == 0;
}

bool IsRetryableS3Error(const S3Error& error) {
  if (OneOf(error.code,
            {"SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded",
             "RequestThrottled", "RequestThrottledException", "TooManyRequestsException",
             "RequestTimeout", "InternalError", "ServiceUnavailable"})) {
    return true;
  }
  if (error.http_status == 429) return true;
  return error.http_status >= 500 && error.http_status != 501;
}

Status S3ErrorToStatus(const S3Error& error, std::string_view what) {
  const std::string context = " [" + std::string(what) + "]";
  const long status = error.http_status;
  if (status == 404 && error.code != "NoSuchBucket" && error.code != "NoSuchUpload") {
    return Status::NotFound("S3: no such object: " + Describe(error) + context);
  }
  if (status == 416) {
    return Status(ErrorCode::kRangeNotSatisfiable,
                  "S3: range not satisfiable: " + Describe(error) + context);
  }
  if (error.code == "RequestTimeTooSkewed") {
    return Status::Unavailable(
        "S3 refused our request time (is the system clock right?): " + Describe(error) + context);
  }
  if (IsCredentialsCode(error.code)) {
    return Status::Unavailable("S3 rejected our credentials: " + Describe(error) + context);
  }
  if (status == 403) {
    if (error.code.empty()) {
      return Status::Unavailable(
          "S3 denied access: HTTP 403 without an error code (credentials or IAM policy)" + context);
    }
    return Status::Unavailable("S3 denied access: " + Describe(error) + context);
  }
  if (IsConfigurationCode(error.code) || status == 301 || status == 307) {
    return Status::Unavailable("S3 bucket configuration: " + Describe(error) + context);
  }
  if (IsRetryableS3Error(error)) {
    return Status::Unavailable("S3 unavailable: " + Describe(error) + context);
  }
  return Status::Internal("S3 refused the request: " + Describe(error) + context);
}

}  // namespace gallery::storage::s3
