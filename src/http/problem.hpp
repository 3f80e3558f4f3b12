#pragma once

// The one mapping from ErrorCode to HTTP: status, problem+json `type` and
// title. Every error response of the server is rendered here.

#include <string>
#include <string_view>

#include "common/status.hpp"
#include "http/message.hpp"

namespace gallery::http {

struct ProblemKind {
  HttpStatus status;
  std::string_view title;
};

ProblemKind ProblemFor(ErrorCode code);

// The stable `type` URI of an error kind: "/errors/<slug>".
std::string ProblemType(ErrorCode code);

// An application/problem+json response for `status`. The detail shown is
// status.public_detail() when set, else the kind's title; the internal
// message is never shown. Adds Retry-After: status.retry_after() when set,
// else a default for kOverloaded/kUnavailable/kTimeout/kTooManyRequests.
Response ProblemResponse(const Status& status, const Request& request);

// A problem response for a code with an explicit public detail.
Response ProblemResponse(ErrorCode code, std::string detail, const Request& request);

}  // namespace gallery::http
