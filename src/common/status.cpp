#include "common/status.hpp"

#include <cerrno>
#include <cstring>

namespace gallery {

std::string_view ErrorCodeSlug(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return "ok";
    case ErrorCode::kInvalidArgument:
      return "invalid-request";
    case ErrorCode::kNotFound:
      return "not-found";
    case ErrorCode::kAlreadyExists:
      return "already-exists";
    case ErrorCode::kUnsupportedMediaType:
      return "unsupported-media-type";
    case ErrorCode::kPayloadTooLarge:
      return "payload-too-large";
    case ErrorCode::kHeadersTooLarge:
      return "headers-too-large";
    case ErrorCode::kImageTooLarge:
      return "image-too-large";
    case ErrorCode::kUnprocessableImage:
      return "unprocessable-image";
    case ErrorCode::kRangeNotSatisfiable:
      return "range-not-satisfiable";
    case ErrorCode::kQuotaExceeded:
      return "quota-exceeded";
    case ErrorCode::kChecksumMismatch:
      return "checksum-mismatch";
    case ErrorCode::kGone:
      return "gone";
    case ErrorCode::kPreconditionFailed:
      return "precondition-failed";
    case ErrorCode::kSharePasswordRequired:
      return "share-password-required";
    case ErrorCode::kCsrfTokenInvalid:
      return "csrf-token-invalid";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kLocked:
      return "locked";
    case ErrorCode::kTooManyRequests:
      return "too-many-requests";
    case ErrorCode::kOverloaded:
      return "overloaded";
    case ErrorCode::kUnavailable:
      return "service-unavailable";
    case ErrorCode::kTimeout:
      return "timeout";
    case ErrorCode::kIoError:
      return "io-error";
    case ErrorCode::kInternal:
      return "internal-error";
  }
  return "internal-error";
}

Status Status::FromErrno(int err, std::string_view context) {
  std::string msg = std::string(context) + ": " + std::strerror(err);
  switch (err) {
    case ENOENT:
      return {ErrorCode::kNotFound, std::move(msg)};
    case EEXIST:
      return {ErrorCode::kAlreadyExists, std::move(msg)};
    default:
      return {ErrorCode::kIoError, std::move(msg)};
  }
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  Status s = *this;
  s.message_ = std::string(context) + ": " + message_;
  return s;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(ErrorCodeSlug(code_)) + ": " + message_;
}

}  // namespace gallery
