#include "api/authenticate.hpp"

#include <boost/beast/core/string.hpp>

#include "http/cookies.hpp"
#include "http/offload.hpp"

namespace gallery::api {
namespace {

Status NoCredentials(std::string message) {
  return Status(ErrorCode::kUnauthenticated, std::move(message),
                "Sign in, or send a personal API token as 'Authorization: Bearer <token>'");
}

bool ChangesState(http::Verb method) {
  return method == http::Verb::post || method == http::Verb::put || method == http::Verb::patch ||
         method == http::Verb::delete_;
}

}  // namespace

Result<std::optional<service::Credential>> CredentialOf(const http::Request& req) {
  auto authorization = req.headers.find(http::beast_http::field::authorization);
  if (authorization != req.headers.end()) {
    std::string_view value = authorization->value();
    constexpr std::string_view kScheme = "Bearer ";
    if (value.size() <= kScheme.size() ||
        !boost::beast::iequals(value.substr(0, kScheme.size()), kScheme)) {
      return NoCredentials("authorization header is not a bearer token");
    }
    value.remove_prefix(kScheme.size());
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    if (value.empty()) return NoCredentials("empty bearer token");
    return std::optional(service::Credential::ApiToken(std::string(value)));
  }
  std::optional<std::string> cookie = http::CookieValue(req.headers, kSessionCookie);
  if (cookie && !cookie->empty()) {
    return std::optional(service::Credential::Session(std::move(*cookie)));
  }
  return std::optional<service::Credential>();
}

boost::asio::awaitable<Result<Principal>> Authenticate(ApiContext& ctx, const http::Request& req) {
  Result<std::optional<service::Credential>> credential = CredentialOf(req);
  if (!credential.ok()) co_return credential.status();
  if (!*credential) co_return NoCredentials("no credentials");
  const service::Credential& c = **credential;

  std::shared_ptr<const service::Identity> identity = ctx.auth.PeekCached(c);
  if (!identity) {
    Result<std::shared_ptr<const service::Identity>> checked =
        co_await http::Offload(ctx.blocking, [&ctx, &c] { return ctx.auth.Authenticate(c); });
    if (!checked.ok()) co_return checked.status();
    identity = std::move(checked).value();
  }
  if (identity->via_session && ChangesState(req.method) &&
      !service::AuthService::CsrfTokenValid(*identity, req.Header(kCsrfHeader))) {
    co_return Status(ErrorCode::kCsrfTokenInvalid, "missing or wrong csrf token",
                     "This change needs the session's CSRF token in the X-CSRF-Token header "
                     "(from the sign-in answer or GET /api/v1/auth/me)");
  }
  Principal p;
  p.user_id = identity->user_id;
  p.email = identity->email;
  p.role = identity->role;
  p.quota_bytes = identity->quota_bytes;
  p.via_session = identity->via_session;
  co_return p;
}

}  // namespace gallery::api
