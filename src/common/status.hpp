#pragma once

// The one error model of the project. Storage, db, image and services return
// Status or Result<T>; http/problem.cpp maps each ErrorCode to an HTTP status
// and a stable problem+json `type`. The message is internal (logged); the
// public detail shown to clients is chosen by the http layer from the code,
// unless the Status carries an explicit public detail.

#include <cassert>
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace gallery {

enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,        // the request or input is malformed
  kNotFound,               // the thing does not exist (or is not visible to the caller)
  kAlreadyExists,          // a unique key is taken (e.g. the same bytes uploaded twice)
  kUnsupportedMediaType,   // not an image format we accept (SVG, PDF, unknown bytes)
  kPayloadTooLarge,        // byte limit exceeded
  kHeadersTooLarge,        // request header fields over the limit
  kImageTooLarge,          // pixel limit exceeded (checked before decoding)
  kUnprocessableImage,     // recognised format, but the image cannot be decoded
  kRangeNotSatisfiable,    // a Range outside the object
  kQuotaExceeded,          // the upload would take the owner over their storage quota
  kChecksumMismatch,       // the bytes do not match the checksum the client sent
  kGone,                   // the thing existed but has expired (e.g. an abandoned upload)
  kPreconditionFailed,     // a protocol version or precondition the server does not meet
  kSharePasswordRequired,  // the share link has a password and none was given
  kCsrfTokenInvalid,       // a cookie-authenticated change without the session's CSRF token
  kUnauthenticated,        // no or bad credentials
  kForbidden,              // authenticated but not allowed
  kConflict,               // state conflict (e.g. offset mismatch)
  kLocked,                 // another request is changing the thing right now: retry shortly
  kTooManyRequests,        // rate limited
  kOverloaded,             // a bounded queue is full: retry later
  kUnavailable,            // a backend (database, storage) does not answer
  kTimeout,                // an operation took longer than its deadline
  kIoError,                // local I/O failed
  kInternal,               // a bug or an unexpected state
};

// Stable short name of a code ("not-found"); also the last path segment of
// the problem+json `type` URI.
std::string_view ErrorCodeSlug(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(ErrorCode code, std::string message, std::string public_detail = {})
      : code_(code), message_(std::move(message)), public_detail_(std::move(public_detail)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return {ErrorCode::kInvalidArgument, std::move(msg)};
  }
  static Status NotFound(std::string msg) { return {ErrorCode::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) {
    return {ErrorCode::kAlreadyExists, std::move(msg)};
  }
  static Status Unavailable(std::string msg) { return {ErrorCode::kUnavailable, std::move(msg)}; }
  static Status IoError(std::string msg) { return {ErrorCode::kIoError, std::move(msg)}; }
  static Status Internal(std::string msg) { return {ErrorCode::kInternal, std::move(msg)}; }

  // Builds a Status from errno after a failed system call on `context`
  // (usually a path). ENOENT becomes kNotFound, ENOSPC/EIO and the rest kIoError.
  static Status FromErrno(int err, std::string_view context);

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  // Internal message: goes to logs, never to clients unless it is also the
  // public detail.
  const std::string& message() const { return message_; }
  // Safe to show to the client; empty means "use the generic title".
  const std::string& public_detail() const { return public_detail_; }

  // How long the client should wait before trying again (the problem's
  // Retry-After), when the error knows it (a sign-in lock-out); zero means
  // the renderer's default for the code.
  std::chrono::seconds retry_after() const { return retry_after_; }
  // Returns a copy that carries `retry_after`.
  Status WithRetryAfter(std::chrono::seconds retry_after) const {
    Status s = *this;
    s.retry_after_ = retry_after;
    return s;
  }

  // Returns a copy with `context: ` prefixed to the internal message.
  Status WithContext(std::string_view context) const;
  std::string ToString() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  std::string public_detail_;
  std::chrono::seconds retry_after_{0};
};

// A value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : data_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(data_).ok() && "Result from an OK Status has no value");
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // OK when ok(), else the error.
  Status status() const { return ok() ? Status() : std::get<Status>(data_); }
  ErrorCode code() const { return ok() ? ErrorCode::kOk : std::get<Status>(data_).code(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace gallery

// Propagates a non-OK Status from an expression returning Status.
#define GALLERY_RETURN_IF_ERROR(expr)   \
  do {                                  \
    ::gallery::Status _status = (expr); \
    if (!_status.ok()) return _status;  \
  } while (0)
