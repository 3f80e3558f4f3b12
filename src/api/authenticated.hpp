#pragma once

// Authenticated(ctx, handler): a route handler that first establishes who
// the caller is (Authenticate: session cookie with CSRF for changes, or a
// Bearer token) and answers 401/403 itself when that fails, so that no
// authenticated route can forget the check.

#include <boost/asio/awaitable.hpp>
#include <functional>

#include "api/api_context.hpp"
#include "api/authenticate.hpp"
#include "http/message.hpp"
#include "http/problem.hpp"
#include "http/router.hpp"

namespace gallery::api {

using PrincipalHandler =
    std::function<boost::asio::awaitable<http::Response>(http::Request&, const Principal&)>;

inline http::Handler Authenticated(ApiContext& ctx, PrincipalHandler handler) {
  return [&ctx, handler = std::move(handler)](
             http::Request& req) -> boost::asio::awaitable<http::Response> {
    Result<Principal> who = co_await Authenticate(ctx, req);
    if (!who.ok()) co_return http::ProblemResponse(who.status(), req);
    co_return co_await handler(req, *who);
  };
}

// `options` with an admission check: the caller must be signed in (and pass
// the CSRF check) before the server reads the request's body, so a large
// body from a stranger is refused unread.
inline http::RouteOptions SignedInBeforeBody(ApiContext& ctx, http::RouteOptions options) {
  options.admit = [&ctx](const http::Request& req) -> boost::asio::awaitable<Status> {
    Result<Principal> who = co_await Authenticate(ctx, req);
    co_return who.status();
  };
  return options;
}

}  // namespace gallery::api
