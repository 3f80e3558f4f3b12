#include "api/albums_handler.hpp"

#include "api/album_share_json.hpp"
#include "api/authenticated.hpp"
#include "api/json_body.hpp"
#include "api/photos_handler.hpp"
#include "api/request_input.hpp"
#include "common/time.hpp"
#include "gallery/album_service.hpp"
#include "http/offload.hpp"
#include "http/problem.hpp"
#include "http/responses.hpp"

namespace gallery::api {
namespace {

namespace asio = boost::asio;
using http::HttpStatus;
using http::Request;
using http::Response;

// PATCH's body as an AlbumUpdate: absent members stay, "cover_photo_id":
// null clears the cover.
Result<db::AlbumUpdate> ParseAlbumUpdate(const nlohmann::json& body) {
  db::AlbumUpdate update;
  Result<std::optional<std::string>> title = OptionalString(body, "title");
  if (!title.ok()) return title.status();
  update.title = *title;
  Result<std::optional<std::string>> description = OptionalString(body, "description");
  if (!description.ok()) return description.status();
  update.description = *description;
  if (body.contains("cover_photo_id")) {
    Result<std::optional<std::string>> cover = OptionalString(body, "cover_photo_id");
    if (!cover.ok()) return cover.status();
    update.cover_photo_id = *cover;
  }
  return update;
}

}  // namespace

void RegisterAlbumRoutes(http::Router& router, ApiContext& ctx) {
  router.Add(
      http::Verb::get, "/api/v1/albums",
      Authenticated(ctx, [&ctx](Request& req, const Principal& who) -> asio::awaitable<Response> {
        Result<int> limit = PageLimit(req);
        if (!limit.ok()) co_return http::ProblemResponse(limit.status(), req);
        auto cursor = PageCursor(req);
        if (!cursor.ok()) co_return http::ProblemResponse(cursor.status(), req);
        std::optional<db::AlbumCursor> after;
        if (*cursor) after = db::AlbumCursor{FromUnixMillis((*cursor)->first), (*cursor)->second};
        const int n = *limit;
        Result<db::AlbumPage> page = co_await http::Offload(ctx.blocking, [&ctx, &who, &after, n] {
          return ctx.albums.List(who.user_id, after, n);
        });
        if (!page.ok()) co_return http::ProblemResponse(page.status(), req);
        nlohmann::json albums = nlohmann::json::array();
        for (const db::AlbumRecord& a : page->albums) albums.push_back(AlbumJson(a));
        nlohmann::json next = nullptr;
        if (page->next)
          next = EncodeKeyCursor(ToUnixMillis(page->next->created_at), page->next->id);
        co_return http::JsonResponse(HttpStatus::ok,
                                     {{"albums", std::move(albums)}, {"next_cursor", next}});
      }));

  router.Add(
      http::Verb::post, "/api/v1/albums",
      Authenticated(ctx, [&ctx](Request& req, const Principal& who) -> asio::awaitable<Response> {
        Result<nlohmann::json> body = ParseJsonObject(req);
        if (!body.ok()) co_return http::ProblemResponse(body.status(), req);
        Result<std::string> title = RequiredString(*body, "title");
        if (!title.ok()) co_return http::ProblemResponse(title.status(), req);
        Result<std::optional<std::string>> description = OptionalString(*body, "description");
        if (!description.ok()) co_return http::ProblemResponse(description.status(), req);
        service::NewAlbum album{*title, description->value_or("")};
        Result<db::AlbumRecord> made = co_await http::Offload(
            ctx.blocking, [&ctx, &who, &album] { return ctx.albums.Create(who.user_id, album); });
        if (!made.ok()) co_return http::ProblemResponse(made.status(), req);
        co_return http::JsonResponse(HttpStatus::created, AlbumJson(*made));
      }));

  router.Add(
      http::Verb::get, "/api/v1/albums/{id}",
      Authenticated(ctx, [&ctx](Request& req, const Principal& who) -> asio::awaitable<Response> {
        std::string id = req.PathParam("id");
        Result<db::AlbumRecord> album = co_await http::Offload(
            ctx.blocking, [&ctx, &who, &id] { return ctx.albums.Get(who.user_id, id); });
        if (!album.ok()) co_return http::ProblemResponse(album.status(), req);
        co_return http::JsonResponse(HttpStatus::ok, AlbumJson(*album));
      }));

  router.Add(
      http::Verb::patch, "/api/v1/albums/{id}",
      Authenticated(ctx, [&ctx](Request& req, const Principal& who) -> asio::awaitable<Response> {
        Result<nlohmann::json> body = ParseJsonObject(req);
        if (!body.ok()) co_return http::ProblemResponse(body.status(), req);
        Result<db::AlbumUpdate> update = ParseAlbumUpdate(*body);
        if (!update.ok()) co_return http::ProblemResponse(update.status(), req);
        std::string id = req.PathParam("id");
        Result<db::AlbumRecord> album = co_await http::Offload(
            ctx.blocking,
            [&ctx, &who, &id, &update] { return ctx.albums.Update(who.user_id, id, *update); });
        if (!album.ok()) co_return http::ProblemResponse(album.status(), req);
        co_return http::JsonResponse(HttpStatus::ok, AlbumJson(*album));
      }));

  router.Add(
      http::Verb::delete_, "/api/v1/albums/{id}",
      Authenticated(ctx, [&ctx](Request& req, const Principal& who) -> asio::awaitable<Response> {
        std::string id = req.PathParam("id");
        Status s = co_await http::Offload(
            ctx.blocking, [&ctx, &who, &id] { return ctx.albums.Delete(who.user_id, id); });
        if (!s.ok()) co_return http::ProblemResponse(s, req);
        co_return http::EmptyResponse(HttpStatus::no_content);
      }));

  router.Add(
      http::Verb::get, "/api/v1/albums/{id}/photos",
      Authenticated(ctx, [&ctx](Request& req, const Principal& who) -> asio::awaitable<Response> {
        Result<int> limit = PageLimit(req);
        if (!limit.ok()) co_return http::ProblemResponse(limit.status(), req);
        auto cursor = PageCursor(req);
        if (!cursor.ok()) co_return http::ProblemResponse(cursor.status(), req);
        std::optional<db::AlbumPhotoCursor> after;
        if (*cursor) after = db::AlbumPhotoCursor{(*cursor)->first, (*cursor)->second};
        std::string id = req.PathParam("id");
        const int n = *limit;
        Result<service::AlbumPhotosPage> page =
            co_await http::Offload(ctx.blocking, [&ctx, &who, &id, &after, n] {
              return ctx.albums.ListPhotos(who.user_id, id, after, n);
            });
        if (!page.ok()) co_return http::ProblemResponse(page.status(), req);
        nlohmann::json photos = nlohmann::json::array();
        for (const db::PhotoRecord& p : page->photos) photos.push_back(OwnerPhotoJson(ctx, p));
        nlohmann::json next = nullptr;
        if (page->next) next = EncodeKeyCursor(page->next->position, page->next->photo_id);
        co_return http::JsonResponse(HttpStatus::ok,
                                     {{"photos", std::move(photos)}, {"next_cursor", next}});
      }));

  // Adding and removing take {"photo_ids": [...]} and say how many changed.
  for (bool add : {true, false}) {
    router.Add(
        http::Verb::post, add ? "/api/v1/albums/{id}/photos" : "/api/v1/albums/{id}/photos/remove",
        Authenticated(
            ctx, [&ctx, add](Request& req, const Principal& who) -> asio::awaitable<Response> {
              Result<nlohmann::json> body = ParseJsonObject(req);
              if (!body.ok()) co_return http::ProblemResponse(body.status(), req);
              Result<std::vector<std::string>> ids = RequiredIdList(*body, "photo_ids");
              if (!ids.ok()) co_return http::ProblemResponse(ids.status(), req);
              std::string id = req.PathParam("id");
              Result<int64_t> changed =
                  co_await http::Offload(ctx.blocking, [&ctx, &who, &id, &ids, add] {
                    return add ? ctx.albums.AddPhotos(who.user_id, id, *ids)
                               : ctx.albums.RemovePhotos(who.user_id, id, *ids);
                  });
              if (!changed.ok()) co_return http::ProblemResponse(changed.status(), req);
              co_return http::JsonResponse(HttpStatus::ok, {{add ? "added" : "removed", *changed}});
            }));
  }

  router.Add(
      http::Verb::put, "/api/v1/albums/{id}/order",
      Authenticated(ctx, [&ctx](Request& req, const Principal& who) -> asio::awaitable<Response> {
        Result<nlohmann::json> body = ParseJsonObject(req);
        if (!body.ok()) co_return http::ProblemResponse(body.status(), req);
        Result<std::vector<std::string>> ids = RequiredIdList(*body, "photo_ids");
        if (!ids.ok()) co_return http::ProblemResponse(ids.status(), req);
        std::string id = req.PathParam("id");
        Status s = co_await http::Offload(ctx.blocking, [&ctx, &who, &id, &ids] {
          return ctx.albums.SetOrder(who.user_id, id, *ids);
        });
        if (!s.ok()) co_return http::ProblemResponse(s, req);
        co_return http::EmptyResponse(HttpStatus::no_content);
      }));

  router.Add(
      http::Verb::post, "/api/v1/albums/{id}/photos/move",
      Authenticated(ctx, [&ctx](Request& req, const Principal& who) -> asio::awaitable<Response> {
        Result<nlohmann::json> body = ParseJsonObject(req);
        if (!body.ok()) co_return http::ProblemResponse(body.status(), req);
        Result<std::string> photo_id = RequiredString(*body, "photo_id");
        if (!photo_id.ok()) co_return http::ProblemResponse(photo_id.status(), req);
        Result<std::optional<std::string>> after = OptionalString(*body, "after_photo_id");
        if (!after.ok()) co_return http::ProblemResponse(after.status(), req);
        std::string id = req.PathParam("id");
        Status s = co_await http::Offload(ctx.blocking, [&ctx, &who, &id, &photo_id, &after] {
          return ctx.albums.MovePhoto(who.user_id, id, *photo_id, *after);
        });
        if (!s.ok()) co_return http::ProblemResponse(s, req);
        co_return http::EmptyResponse(HttpStatus::no_content);
      }));
}

}  // namespace gallery::api
