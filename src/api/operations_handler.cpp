#include "api/operations_handler.hpp"

#include "common/log.hpp"
#include "http/offload.hpp"
#include "http/problem.hpp"
#include "http/responses.hpp"

namespace gallery::api {

namespace asio = boost::asio;
using http::HttpStatus;
using http::Request;
using http::Response;

void RegisterOperationsRoutes(http::Router& router, ApiContext& ctx) {
  router.Add(http::Verb::get, "/healthz", [](Request&) -> asio::awaitable<Response> {
    Response r = http::JsonResponse(HttpStatus::ok, {{"status", "ok"}});
    r.msg.set(boost::beast::http::field::cache_control, "no-store");
    co_return r;
  });

  router.Add(http::Verb::get, "/readyz", [&ctx](Request& req) -> asio::awaitable<Response> {
    Status s = co_await http::Offload(ctx.blocking, [&ctx] { return ctx.photos.CheckReady(); });
    if (!s.ok()) {
      LogWarn("not ready", {{"error", s.message()}});
      // Operators need the reason; it names the backend and its error.
      co_return http::ProblemResponse(
          Status(ErrorCode::kUnavailable, s.message(), "Not ready: " + s.message()), req);
    }
    Response r = http::JsonResponse(HttpStatus::ok, {{"status", "ready"}});
    r.msg.set(boost::beast::http::field::cache_control, "no-store");
    co_return r;
  });

  router.Add(http::Verb::get, "/metrics", [&ctx](Request&) -> asio::awaitable<Response> {
    co_return http::TextResponse(HttpStatus::ok, ctx.metrics.RenderPrometheus(),
                                 "text/plain; version=0.0.4; charset=utf-8");
  });

  router.Add(http::Verb::get, "/api/v1/openapi.json", [](Request&) -> asio::awaitable<Response> {
    co_return http::TextResponse(HttpStatus::ok, OpenApiDocument(), "application/json");
  });
}

}  // namespace gallery::api
