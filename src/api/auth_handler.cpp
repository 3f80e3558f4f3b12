#include "api/auth_handler.hpp"

#include <optional>

#include "api/authenticate.hpp"
#include "api/json_body.hpp"
#include "api/user_json.hpp"
#include "http/cookies.hpp"
#include "http/forwarded.hpp"
#include "http/offload.hpp"
#include "http/problem.hpp"
#include "http/responses.hpp"

namespace gallery::api {
namespace {

namespace asio = boost::asio;
namespace field = boost::beast::http;
using http::HttpStatus;
using http::Request;
using http::Response;

// The session cookie's attributes: HttpOnly (scripts never see it),
// SameSite=Lax (not sent on cross-site subrequests and form posts), Secure
// when the client reached us over HTTPS.
http::SetCookieOptions SessionCookieOptions(const Request& req) {
  http::SetCookieOptions o;
  o.path = "/";
  o.http_only = true;
  o.same_site = "Lax";
  o.secure = http::ForwardedHttps(req.headers);
  return o;
}

struct UserAnswer {
  db::UserRecord user;
  int64_t used_bytes = 0;
};

struct LoginAnswer {
  service::SignedIn signed_in;
  int64_t used_bytes = 0;
};

Response NoStore(Response r) {
  r.msg.set(field::field::cache_control, "no-store");
  return r;
}

}  // namespace

void RegisterAuthRoutes(http::Router& router, ApiContext& ctx) {
  router.Add(http::Verb::post, "/api/v1/auth/login",
             [&ctx](Request& req) -> asio::awaitable<Response> {
               Result<nlohmann::json> body = ParseJsonObject(req);
               if (!body.ok()) co_return http::ProblemResponse(body.status(), req);
               Result<std::string> email = RequiredString(*body, "email");
               if (!email.ok()) co_return http::ProblemResponse(email.status(), req);
               Result<std::string> password = RequiredString(*body, "password");
               if (!password.ok()) co_return http::ProblemResponse(password.status(), req);
               const std::string& address = req.remote_address;
               Result<LoginAnswer> answer = co_await http::Offload(
                   ctx.blocking, [&ctx, &email, &password, &address]() -> Result<LoginAnswer> {
                     Result<service::SignedIn> s = ctx.auth.SignIn(*email, *password, address);
                     if (!s.ok()) return s.status();
                     Result<int64_t> used = ctx.auth.UsedBytes(s->user.id);
                     if (!used.ok()) return used.status();
                     return LoginAnswer{std::move(s).value(), *used};
                   });
               if (!answer.ok()) co_return http::ProblemResponse(answer.status(), req);
               const service::SignedIn& s = answer->signed_in;
               Response r = NoStore(http::JsonResponse(
                   HttpStatus::ok,
                   {{"user", UserJson(s.user, answer->used_bytes)}, {"csrf_token", s.csrf_token}}));
               http::SetCookieOptions cookie = SessionCookieOptions(req);
               cookie.max_age =
                   std::chrono::ceil<std::chrono::seconds>(ctx.auth.options().session_lifetime);
               r.msg.set(field::field::set_cookie,
                         http::SetCookie(kSessionCookie, s.session_token, cookie));
               co_return r;
             });

  router.Add(http::Verb::post, "/api/v1/auth/logout",
             [&ctx](Request& req) -> asio::awaitable<Response> {
               Result<Principal> who = co_await Authenticate(ctx, req);
               if (!who.ok()) co_return http::ProblemResponse(who.status(), req);
               if (who->via_session) {
                 Result<std::optional<service::Credential>> c = CredentialOf(req);
                 if (c.ok() && *c) {
                   const service::Credential& credential = **c;
                   Status s = co_await http::Offload(
                       ctx.blocking, [&ctx, &credential] { return ctx.auth.SignOut(credential); });
                   if (!s.ok()) co_return http::ProblemResponse(s, req);
                 }
               }
               Response r = NoStore(http::EmptyResponse(HttpStatus::no_content));
               r.msg.set(field::field::set_cookie,
                         http::ClearCookie(kSessionCookie, SessionCookieOptions(req)));
               co_return r;
             });

  router.Add(http::Verb::get, "/api/v1/auth/me", [&ctx](Request& req) -> asio::awaitable<Response> {
    Result<Principal> who = co_await Authenticate(ctx, req);
    if (!who.ok()) co_return http::ProblemResponse(who.status(), req);
    const std::string& id = who->user_id;
    Result<UserAnswer> user =
        co_await http::Offload(ctx.blocking, [&ctx, &id]() -> Result<UserAnswer> {
          Result<db::UserRecord> u = ctx.auth.GetUser(id);
          if (!u.ok()) return u.status();
          Result<int64_t> used = ctx.auth.UsedBytes(id);
          if (!used.ok()) return used.status();
          return UserAnswer{std::move(u).value(), *used};
        });
    if (!user.ok()) co_return http::ProblemResponse(user.status(), req);
    nlohmann::json csrf = nullptr;
    if (who->via_session) {
      Result<std::optional<service::Credential>> c = CredentialOf(req);
      if (c.ok() && *c) csrf = service::AuthService::CsrfTokenFor((*c)->token);
    }
    co_return NoStore(http::JsonResponse(
        HttpStatus::ok, {{"user", UserJson(user->user, user->used_bytes)}, {"csrf_token", csrf}}));
  });

  router.Add(http::Verb::put, "/api/v1/auth/password",
             [&ctx](Request& req) -> asio::awaitable<Response> {
               Result<Principal> who = co_await Authenticate(ctx, req);
               if (!who.ok()) co_return http::ProblemResponse(who.status(), req);
               Result<nlohmann::json> body = ParseJsonObject(req);
               if (!body.ok()) co_return http::ProblemResponse(body.status(), req);
               Result<std::string> current = RequiredString(*body, "current_password");
               if (!current.ok()) co_return http::ProblemResponse(current.status(), req);
               Result<std::string> next = RequiredString(*body, "new_password");
               if (!next.ok()) co_return http::ProblemResponse(next.status(), req);
               // This session stays signed in; every other one ends.
               std::optional<service::Credential> keep;
               if (who->via_session) {
                 Result<std::optional<service::Credential>> c = CredentialOf(req);
                 if (c.ok()) keep = std::move(c).value();
               }
               const std::string& id = who->user_id;
               Status s = co_await http::Offload(ctx.blocking, [&ctx, &id, &current, &next, &keep] {
                 return ctx.auth.ChangePassword(id, *current, *next, keep ? &*keep : nullptr);
               });
               if (!s.ok()) co_return http::ProblemResponse(s, req);
               co_return NoStore(http::EmptyResponse(HttpStatus::no_content));
             });
}

}  // namespace gallery::api
