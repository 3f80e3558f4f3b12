#include "api/tokens_handler.hpp"

#include "api/authenticate.hpp"
#include "api/json_body.hpp"
#include "api/user_json.hpp"
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

}  // namespace

void RegisterTokenRoutes(http::Router& router, ApiContext& ctx) {
  router.Add(http::Verb::get, "/api/v1/tokens", [&ctx](Request& req) -> asio::awaitable<Response> {
    Result<Principal> who = co_await Authenticate(ctx, req);
    if (!who.ok()) co_return http::ProblemResponse(who.status(), req);
    const std::string& id = who->user_id;
    Result<std::vector<db::ApiTokenRecord>> tokens =
        co_await http::Offload(ctx.blocking, [&ctx, &id] { return ctx.auth.ListApiTokens(id); });
    if (!tokens.ok()) co_return http::ProblemResponse(tokens.status(), req);
    nlohmann::json list = nlohmann::json::array();
    for (const db::ApiTokenRecord& t : *tokens) list.push_back(ApiTokenJson(t));
    Response r = http::JsonResponse(HttpStatus::ok, {{"tokens", std::move(list)}});
    r.msg.set(field::field::cache_control, "no-store");
    co_return r;
  });

  router.Add(http::Verb::post, "/api/v1/tokens", [&ctx](Request& req) -> asio::awaitable<Response> {
    Result<Principal> who = co_await Authenticate(ctx, req);
    if (!who.ok()) co_return http::ProblemResponse(who.status(), req);
    Result<nlohmann::json> body = ParseJsonObject(req);
    if (!body.ok()) co_return http::ProblemResponse(body.status(), req);
    Result<std::string> name = RequiredString(*body, "name");
    if (!name.ok()) co_return http::ProblemResponse(name.status(), req);
    const std::string& id = who->user_id;
    Result<service::NewApiToken> made = co_await http::Offload(
        ctx.blocking, [&ctx, &id, &name] { return ctx.auth.CreateApiToken(id, *name); });
    if (!made.ok()) co_return http::ProblemResponse(made.status(), req);
    nlohmann::json out = ApiTokenJson(made->record);
    out["token"] = made->token;  // shown this once: only its hash is kept
    Response r = http::JsonResponse(HttpStatus::created, out);
    r.msg.set(field::field::cache_control, "no-store");
    co_return r;
  });

  router.Add(http::Verb::delete_, "/api/v1/tokens/{id}",
             [&ctx](Request& req) -> asio::awaitable<Response> {
               Result<Principal> who = co_await Authenticate(ctx, req);
               if (!who.ok()) co_return http::ProblemResponse(who.status(), req);
               const std::string& user = who->user_id;
               const std::string token = req.PathParam("id");
               Status s = co_await http::Offload(ctx.blocking, [&ctx, &user, &token] {
                 return ctx.auth.RevokeApiToken(user, token);
               });
               if (!s.ok()) co_return http::ProblemResponse(s, req);
               co_return http::EmptyResponse(HttpStatus::no_content);
             });
}

}  // namespace gallery::api
