#pragma once

#include <string>

#include "http/message.hpp"

namespace gallery::http {

// The request id for logs and the X-Request-Id response header: the client's
// X-Request-Id when it is a sane token (1-128 of [A-Za-z0-9._:=+/-]), else
// the Root of the load balancer's X-Amzn-Trace-Id, else a new random id.
std::string RequestIdFrom(const Fields& headers);

}  // namespace gallery::http
