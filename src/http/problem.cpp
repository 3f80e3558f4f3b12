#include "http/problem.hpp"

#include <nlohmann/json.hpp>

namespace gallery::http {

ProblemKind ProblemFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return {HttpStatus::ok, "OK"};
    case ErrorCode::kInvalidArgument:
      return {HttpStatus::bad_request, "Invalid request"};
    case ErrorCode::kNotFound:
      return {HttpStatus::not_found, "Not found"};
    case ErrorCode::kAlreadyExists:
      return {HttpStatus::conflict, "Already exists"};
    case ErrorCode::kUnsupportedMediaType:
      return {HttpStatus::unsupported_media_type,
              "Unsupported media type: upload JPEG, PNG, WebP, GIF, HEIC, AVIF or TIFF"};
    case ErrorCode::kPayloadTooLarge:
      return {HttpStatus::payload_too_large, "Payload too large"};
    case ErrorCode::kHeadersTooLarge:
      return {HttpStatus::request_header_fields_too_large, "Request header fields too large"};
    case ErrorCode::kImageTooLarge:
      return {HttpStatus::payload_too_large, "Image has too many pixels"};
    case ErrorCode::kUnprocessableImage:
      return {HttpStatus::unprocessable_entity, "Broken or unsupported image"};
    case ErrorCode::kRangeNotSatisfiable:
      return {HttpStatus::range_not_satisfiable, "Range not satisfiable"};
    case ErrorCode::kQuotaExceeded:
      return {HttpStatus::payload_too_large, "Storage quota exceeded"};
    case ErrorCode::kChecksumMismatch:
      // tus checksum extension: 460 Checksum Mismatch.
      return {static_cast<HttpStatus>(460), "Checksum mismatch"};
    case ErrorCode::kGone:
      return {HttpStatus::gone, "Gone"};
    case ErrorCode::kPreconditionFailed:
      return {HttpStatus::precondition_failed, "Precondition failed"};
    case ErrorCode::kSharePasswordRequired:
      return {HttpStatus::unauthorized, "This link needs its password"};
    case ErrorCode::kCsrfTokenInvalid:
      return {HttpStatus::forbidden, "Missing or wrong X-CSRF-Token"};
    case ErrorCode::kUnauthenticated:
      return {HttpStatus::unauthorized, "Authentication required"};
    case ErrorCode::kForbidden:
      return {HttpStatus::forbidden, "Forbidden"};
    case ErrorCode::kConflict:
      return {HttpStatus::conflict, "Conflict"};
    case ErrorCode::kLocked:
      // 423: what tus clients (tus-js-client, Uppy) retry after a pause.
      return {HttpStatus::locked, "Busy with another request, retry shortly"};
    case ErrorCode::kTooManyRequests:
      return {HttpStatus::too_many_requests, "Too many requests"};
    case ErrorCode::kOverloaded:
      return {HttpStatus::service_unavailable, "Server busy, retry shortly"};
    case ErrorCode::kUnavailable:
      return {HttpStatus::service_unavailable, "A backend is unavailable, retry shortly"};
    case ErrorCode::kTimeout:
      return {HttpStatus::service_unavailable, "A backend timed out"};
    case ErrorCode::kIoError:
      return {HttpStatus::internal_server_error, "Storage error"};
    case ErrorCode::kInternal:
      return {HttpStatus::internal_server_error, "Internal error"};
  }
  return {HttpStatus::internal_server_error, "Internal error"};
}

namespace {

// Retry-After for the codes that ask the client to come back later, when the
// Status does not know better.
void SetDefaultRetryAfter(ErrorCode code, Response* r) {
  if (code == ErrorCode::kOverloaded || code == ErrorCode::kUnavailable ||
      code == ErrorCode::kTimeout) {
    r->msg.set(beast_http::field::retry_after, "2");
  } else if (code == ErrorCode::kLocked) {
    r->msg.set(beast_http::field::retry_after, "1");
  } else if (code == ErrorCode::kTooManyRequests) {
    r->msg.set(beast_http::field::retry_after, "60");
  }
}

}  // namespace

std::string ProblemType(ErrorCode code) { return "/errors/" + std::string(ErrorCodeSlug(code)); }

Response ProblemResponse(ErrorCode code, std::string detail, const Request& request) {
  ProblemKind kind = ProblemFor(code);
  nlohmann::json body = {
      {"type", ProblemType(code)},
      {"title", kind.title},
      {"status", static_cast<int>(kind.status)},
      {"detail", detail.empty() ? std::string(kind.title) : std::move(detail)},
      {"request_id", request.request_id},
  };
  Response r;
  r.msg.result(kind.status);
  if (code == ErrorCode::kChecksumMismatch) r.msg.reason("Checksum Mismatch");
  r.msg.set(beast_http::field::content_type, "application/problem+json");
  r.msg.set(beast_http::field::cache_control, "no-store");
  SetDefaultRetryAfter(code, &r);
  r.msg.body() = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response ProblemResponse(const Status& status, const Request& request) {
  Response r = ProblemResponse(status.code(), status.public_detail(), request);
  if (status.retry_after().count() > 0) {
    r.msg.set(beast_http::field::retry_after, std::to_string(status.retry_after().count()));
  }
  return r;
}

}  // namespace gallery::http
