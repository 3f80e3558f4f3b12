#pragma once

// Who a request is: a session cookie (`gallery_session`) or a personal API
// token (`Authorization: Bearer <token>`). Handlers of every authenticated
// route start with
//
//   Result<Principal> who = co_await Authenticate(ctx, req);
//   if (!who.ok()) co_return http::ProblemResponse(who.status(), req);
//
// A Bearer token wins over a cookie when both are sent. A request
// authenticated by its cookie that changes state (POST, PUT, PATCH, DELETE)
// must carry the session's CSRF token in X-CSRF-Token; a Bearer token needs
// none (a cross-site page cannot make a browser send one).
//
// Cost: a credential validated in the last few seconds is answered from
// memory on the calling thread (no database call, no pool hop); otherwise
// one hop to the blocking pool.

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "api/api_context.hpp"
#include "common/status.hpp"
#include "db/user_store.hpp"
#include "http/message.hpp"

namespace gallery::api {

inline constexpr char kSessionCookie[] = "gallery_session";
inline constexpr char kCsrfHeader[] = "X-CSRF-Token";

struct Principal {
  std::string user_id;
  std::string email;
  db::UserRole role = db::UserRole::kUser;
  int64_t quota_bytes = 0;   // 0 = unlimited
  bool via_session = false;  // false: a personal API token

  bool admin() const { return role == db::UserRole::kAdmin; }
};

// kUnauthenticated (401) when there is no credential, or it is unknown,
// expired, signed out, revoked or its user disabled; kCsrfTokenInvalid (403)
// for a cookie-authenticated state change without the right X-CSRF-Token;
// kUnavailable and friends when the database does not answer.
boost::asio::awaitable<Result<Principal>> Authenticate(ApiContext& ctx, const http::Request& req);

// The credential the request carries (Bearer first, then the cookie), or
// nullopt when it carries none. kUnauthenticated for a malformed
// Authorization header.
Result<std::optional<service::Credential>> CredentialOf(const http::Request& req);

}  // namespace gallery::api
