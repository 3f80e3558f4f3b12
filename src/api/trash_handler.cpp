#include "api/trash_handler.hpp"

#include "api/authenticated.hpp"
#include "api/photos_handler.hpp"
#include "api/request_input.hpp"
#include "common/time.hpp"
#include "http/offload.hpp"
#include "http/problem.hpp"
#include "http/responses.hpp"

namespace gallery::api {

namespace asio = boost::asio;
using http::HttpStatus;
using http::Request;
using http::Response;

void RegisterTrashRoutes(http::Router& router, ApiContext& ctx) {
  router.Add(
      http::Verb::get, "/api/v1/trash",
      Authenticated(ctx, [&ctx](Request& req, const Principal& who) -> asio::awaitable<Response> {
        Result<int> limit = PageLimit(req);
        if (!limit.ok()) co_return http::ProblemResponse(limit.status(), req);
        auto cursor = PageCursor(req);
        if (!cursor.ok()) co_return http::ProblemResponse(cursor.status(), req);
        std::optional<db::TrashCursor> after;
        if (*cursor) after = db::TrashCursor{FromUnixMillis((*cursor)->first), (*cursor)->second};
        const int n = *limit;
        Result<db::TrashPage> page = co_await http::Offload(ctx.blocking, [&ctx, &who, &after, n] {
          return ctx.photos.ListTrash(who.user_id, after, n);
        });
        if (!page.ok()) co_return http::ProblemResponse(page.status(), req);
        nlohmann::json photos = nlohmann::json::array();
        for (const db::PhotoRecord& p : page->photos) photos.push_back(OwnerPhotoJson(ctx, p));
        nlohmann::json next = nullptr;
        if (page->next)
          next = EncodeKeyCursor(ToUnixMillis(page->next->deleted_at), page->next->id);
        co_return http::JsonResponse(HttpStatus::ok,
                                     {{"photos", std::move(photos)}, {"next_cursor", next}});
      }));

  router.Add(
      http::Verb::post, "/api/v1/photos/{id}/restore",
      Authenticated(ctx, [&ctx](Request& req, const Principal& who) -> asio::awaitable<Response> {
        std::string id = req.PathParam("id");
        Result<db::PhotoRecord> photo = co_await http::Offload(
            ctx.blocking, [&ctx, &who, &id] { return ctx.photos.Restore(who.user_id, id); });
        if (!photo.ok()) co_return http::ProblemResponse(photo.status(), req);
        co_return http::JsonResponse(HttpStatus::ok, OwnerPhotoJson(ctx, *photo));
      }));

  router.Add(
      http::Verb::delete_, "/api/v1/trash/{id}",
      Authenticated(ctx, [&ctx](Request& req, const Principal& who) -> asio::awaitable<Response> {
        std::string id = req.PathParam("id");
        Status s = co_await http::Offload(
            ctx.blocking, [&ctx, &who, &id] { return ctx.photos.PurgeFromTrash(who.user_id, id); });
        if (!s.ok()) co_return http::ProblemResponse(s, req);
        co_return http::EmptyResponse(HttpStatus::no_content);
      }));

  router.Add(
      http::Verb::delete_, "/api/v1/trash",
      Authenticated(ctx, [&ctx](Request& req, const Principal& who) -> asio::awaitable<Response> {
        Result<int64_t> purged = co_await http::Offload(
            ctx.blocking, [&ctx, &who] { return ctx.photos.EmptyTrash(who.user_id); });
        if (!purged.ok()) co_return http::ProblemResponse(purged.status(), req);
        co_return http::EmptyResponse(HttpStatus::no_content);
      }));
}

}  // namespace gallery::api
