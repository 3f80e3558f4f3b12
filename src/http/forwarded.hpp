#pragma once

// What the load balancer in front tells about a request: whether the client
// spoke HTTPS to it (X-Forwarded-Proto), and who the client is
// (X-Forwarded-For). The server itself speaks plain HTTP.

#include <string>
#include <string_view>

#include "http/message.hpp"

namespace gallery::http {

// True when the first X-Forwarded-Proto value is "https" (any case): the
// client's connection to the proxy was encrypted, so cookies may be Secure.
// Trusted whatever sends it: a client lying about it only denies itself
// its own cookie.
bool ForwardedHttps(const Fields& headers);

// The client's address. `peer` is the address of the connection; with
// `trusted_hops` reverse proxies in front (each appending the address it was
// reached from to X-Forwarded-For), the client is the entry that many places
// from the right: an entry further left could have been written by the
// client itself. With 0 hops, or no usable header, the peer. Entries that
// are not IP addresses make the header unusable.
std::string ClientAddress(std::string_view peer, const Fields& headers, int trusted_hops);

}  // namespace gallery::http
