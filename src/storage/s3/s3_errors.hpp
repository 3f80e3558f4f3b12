#pragma once

// S3 error answers: what they say, whether to retry them, and which Status
// they become.

#include <string>
#include <string_view>

#include "common/status.hpp"
#include "storage/s3/http_client.hpp"

namespace gallery::storage::s3 {

struct S3Error {
  long http_status = 0;
  std::string code;     // "NoSuchKey", "SignatureDoesNotMatch", ...; empty when
                        // the answer had no XML body (HEAD)
  std::string message;  // S3's own words
  std::string request_id;
  std::string region;  // x-amz-bucket-region, when S3 says where the bucket is
};

// Reads an error answer (any non-2xx, or a 200 whose body is <Error>).
S3Error ParseS3Error(const HttpResponse& response);

// True when `response` is a 200 whose body is an <Error> document (S3 does
// this for CompleteMultipartUpload and copies that fail late).
bool IsErrorIn200(const HttpResponse& response);

// Transient: 5xx (but 501), 429, and the throttling/timeout codes S3 sends
// with a 400 or 503. Everything else is the request's or the
// configuration's fault and is never retried.
bool IsRetryableS3Error(const S3Error& error);

// The Status an S3 error becomes. `what` names the request for messages
// ("GetObject s3://bucket/key").
//   404 (NoSuchKey, or no code)          kNotFound
//   404 NoSuchBucket                     kUnavailable (configuration)
//   416                                  kRangeNotSatisfiable
//   403 credentials codes                kUnavailable "S3 rejected our credentials: <Code>"
//   403 RequestTimeTooSkewed             kUnavailable (the clock)
//   403 AccessDenied and other 403       kUnavailable "S3 denied access: <Code>"
//   301/400 wrong region or bucket name  kUnavailable
//   5xx, 429, throttling (after retries) kUnavailable
//   other 4xx                            kInternal (a request we should not have sent)
Status S3ErrorToStatus(const S3Error& error, std::string_view what);

}  // namespace gallery::storage::s3
