#pragma once

#include <string>

#include "http/message.hpp"

namespace gallery::http {

// The request id for logs and the X-Request-Id response header: the client's
// X-Request-Id when it is a sane token (1-128 of [A-Za-z0-9._:=+/-]), else
// the Root of the load balancer's X-Amzn-Trace-Id, else a new random id.
std::string RequestIdFrom(const Fields& headers);

// A new request id: 22 URL-safe characters, unique per process run with
// overwhelming probability. Cheap (no system call); not a secret.
std::string NewRequestId();

}  // namespace gallery::http
