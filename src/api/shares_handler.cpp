#include "api/shares_handler.hpp"

#include "api/album_share_json.hpp"
#include "api/authenticated.hpp"
#include "api/json_body.hpp"
#include "api/photo_json.hpp"
#include "api/photos_handler.hpp"
#include "api/request_input.hpp"
#include "common/time.hpp"
#include "gallery/share_service.hpp"
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

constexpr char kShareCookie[] = "gallery_share";
constexpr char kSharePasswordHeader[] = "X-Share-Password";

std::string SharedPath(const std::string& token) { return "/api/v1/shared/" + token; }

Result<service::NewShare> ParseNewShare(const nlohmann::json& body) {
  service::NewShare share;
  Result<std::optional<std::string>> album = OptionalString(body, "album_id");
  if (!album.ok()) return album.status();
  Result<std::optional<std::string>> photo = OptionalString(body, "photo_id");
  if (!photo.ok()) return photo.status();
  share.album_id = *album;
  share.photo_id = *photo;
  Result<std::optional<std::string>> expires = OptionalString(body, "expires_at");
  if (!expires.ok()) return expires.status();
  if (*expires) {
    std::optional<db::Clock::time_point> at = ParseRfc3339(**expires);
    if (!at) {
      return Status(ErrorCode::kInvalidArgument, "bad expires_at",
                    "expires_at must be an RFC 3339 time, e.g. 2027-01-31T18:00:00Z");
    }
    share.expires_at = std::chrono::time_point_cast<std::chrono::milliseconds>(*at);
  }
  Result<std::optional<std::string>> password = OptionalString(body, "password");
  if (!password.ok()) return password.status();
  if (*password && (*password)->size() > 1024) {
    return Status(ErrorCode::kInvalidArgument, "long password",
                  "password must be at most 1024 bytes");
  }
  share.password = *password;
  Result<std::optional<bool>> download = OptionalBool(body, "allow_download");
  if (!download.ok()) return download.status();
  share.allow_download = download->value_or(false);
  Result<std::optional<bool>> exif = OptionalBool(body, "show_exif");
  if (!exif.ok()) return exif.status();
  share.show_exif = exif->value_or(false);
  return share;
}

// Opens the link of the request's {token} with whatever proof it carries.
// Blocks: call on the blocking pool.
Result<service::ShareAccess> OpenLink(ApiContext& ctx, const Request& req) {
  const std::string token = req.PathParam("token");
  std::optional<std::string> password;
  if (std::string header = req.Header(kSharePasswordHeader); !header.empty()) password = header;
  return ctx.shares.Open(token, password, http::CookieValue(req.headers, kShareCookie));
}

nlohmann::json ShareSummaryJson(const service::ShareAccess& access) {
  const db::ShareRecord& share = access.share;
  nlohmann::json summary = {
      {"kind", access.album ? "album" : "photo"},
      {"title", access.album ? nlohmann::json(access.album->title) : nlohmann::json(nullptr)},
      {"description",
       access.album ? nlohmann::json(access.album->description) : nlohmann::json(nullptr)},
      {"allow_download", share.allow_download},
      {"show_exif", share.show_exif},
      {"expires_at", share.expires_at ? nlohmann::json(FormatRfc3339(*share.expires_at)) : nullptr},
  };
  return summary;
}

// A download name that says nothing of the owner's file name.
std::string NeutralFilename(const db::PhotoRecord& photo) {
  // "image/jpeg" -> "jpeg": the type was sniffed from the bytes at upload.
  const size_t slash = photo.content_type.find('/');
  std::string ext = slash == std::string::npos ? "bin" : photo.content_type.substr(slash + 1);
  return "photo-" + photo.id.substr(0, 12) + "." + ext;
}

void RegisterOwnerRoutes(http::Router& router, ApiContext& ctx) {
  router.Add(
      http::Verb::post, "/api/v1/shares",
      Authenticated(ctx, [&ctx](Request& req, const Principal& who) -> asio::awaitable<Response> {
        Result<nlohmann::json> body = ParseJsonObject(req);
        if (!body.ok()) co_return http::ProblemResponse(body.status(), req);
        Result<service::NewShare> request = ParseNewShare(*body);
        if (!request.ok()) co_return http::ProblemResponse(request.status(), req);
        std::optional<std::string> title;
        Result<service::CreatedShare> created =
            co_await http::Offload(ctx.blocking, [&ctx, &who, &request, &title] {
              Result<service::CreatedShare> c = ctx.shares.Create(who.user_id, *request);
              if (c.ok()) title = ctx.shares.TitleOf(c->share);
              return c;
            });
        if (!created.ok()) co_return http::ProblemResponse(created.status(), req);
        nlohmann::json json = ShareJson(created->share, title);
        json["token"] = created->token;
        json["url"] = ShareUrl(created->token);
        co_return http::JsonResponse(HttpStatus::created, json);
      }));

  router.Add(
      http::Verb::get, "/api/v1/shares",
      Authenticated(ctx, [&ctx](Request& req, const Principal& who) -> asio::awaitable<Response> {
        Result<int> limit = PageLimit(req);
        if (!limit.ok()) co_return http::ProblemResponse(limit.status(), req);
        auto cursor = PageCursor(req);
        if (!cursor.ok()) co_return http::ProblemResponse(cursor.status(), req);
        std::optional<db::ShareCursor> after;
        if (*cursor) after = db::ShareCursor{FromUnixMillis((*cursor)->first), (*cursor)->second};
        const int n = *limit;
        nlohmann::json shares = nlohmann::json::array();
        Result<db::SharePage> page =
            co_await http::Offload(ctx.blocking, [&ctx, &who, &after, n, &shares] {
              Result<db::SharePage> p = ctx.shares.List(who.user_id, after, n);
              if (p.ok()) {
                for (const db::ShareRecord& s : p->shares) {
                  shares.push_back(ShareJson(s, ctx.shares.TitleOf(s)));
                }
              }
              return p;
            });
        if (!page.ok()) co_return http::ProblemResponse(page.status(), req);
        nlohmann::json next = nullptr;
        if (page->next)
          next = EncodeKeyCursor(ToUnixMillis(page->next->created_at), page->next->id);
        co_return http::JsonResponse(HttpStatus::ok,
                                     {{"shares", std::move(shares)}, {"next_cursor", next}});
      }));

  router.Add(
      http::Verb::get, "/api/v1/shares/{id}",
      Authenticated(ctx, [&ctx](Request& req, const Principal& who) -> asio::awaitable<Response> {
        std::string id = req.PathParam("id");
        std::optional<std::string> title;
        Result<db::ShareRecord> share =
            co_await http::Offload(ctx.blocking, [&ctx, &who, &id, &title] {
              Result<db::ShareRecord> s = ctx.shares.Get(who.user_id, id);
              if (s.ok()) title = ctx.shares.TitleOf(*s);
              return s;
            });
        if (!share.ok()) co_return http::ProblemResponse(share.status(), req);
        co_return http::JsonResponse(HttpStatus::ok, ShareJson(*share, title));
      }));

  router.Add(
      http::Verb::delete_, "/api/v1/shares/{id}",
      Authenticated(ctx, [&ctx](Request& req, const Principal& who) -> asio::awaitable<Response> {
        std::string id = req.PathParam("id");
        Status s = co_await http::Offload(
            ctx.blocking, [&ctx, &who, &id] { return ctx.shares.Revoke(who.user_id, id); });
        if (!s.ok()) co_return http::ProblemResponse(s, req);
        co_return http::EmptyResponse(HttpStatus::no_content);
      }));
}

void RegisterVisitorRoutes(http::Router& router, ApiContext& ctx) {
  router.Add(
      http::Verb::get, "/api/v1/shared/{token}", [&ctx](Request& req) -> asio::awaitable<Response> {
        Result<int> limit = PageLimit(req);
        if (!limit.ok()) co_return http::ProblemResponse(limit.status(), req);
        auto cursor = PageCursor(req);
        if (!cursor.ok()) co_return http::ProblemResponse(cursor.status(), req);
        std::optional<db::AlbumPhotoCursor> after;
        if (*cursor) after = db::AlbumPhotoCursor{(*cursor)->first, (*cursor)->second};
        const int n = *limit;
        std::optional<service::ShareAccess> access;
        Result<service::SharedPhotosPage> page =
            co_await http::Offload(ctx.blocking, [&ctx, &req, &after, n, &access] {
              Result<service::ShareAccess> opened = OpenLink(ctx, req);
              if (!opened.ok()) return Result<service::SharedPhotosPage>(opened.status());
              access = std::move(*opened);
              return ctx.shares.ListPhotos(*access, after, n);
            });
        if (!page.ok()) co_return http::ProblemResponse(page.status(), req);
        const std::string token = req.PathParam("token");
        nlohmann::json photos = nlohmann::json::array();
        for (const db::PhotoRecord& p : page->photos) {
          photos.push_back(SharedPhotoJson(p, access->share, token));
        }
        nlohmann::json next = nullptr;
        if (page->next) next = EncodeKeyCursor(page->next->position, page->next->photo_id);
        Response r = http::JsonResponse(HttpStatus::ok, {{"share", ShareSummaryJson(*access)},
                                                         {"photos", std::move(photos)},
                                                         {"next_cursor", next}});
        r.msg.set(field::field::cache_control, "no-store");
        r.msg.set("Referrer-Policy", "no-referrer");
        co_return r;
      });

  router.Add(http::Verb::post, "/api/v1/shared/{token}/unlock",
             [&ctx](Request& req) -> asio::awaitable<Response> {
               Result<nlohmann::json> body = ParseJsonObject(req);
               if (!body.ok()) co_return http::ProblemResponse(body.status(), req);
               Result<std::string> password = RequiredString(*body, "password");
               if (!password.ok()) co_return http::ProblemResponse(password.status(), req);
               const std::string token = req.PathParam("token");
               Result<service::ShareAccess> access =
                   co_await http::Offload(ctx.blocking, [&ctx, &token, &password] {
                     return ctx.shares.Open(token, *password, std::nullopt);
                   });
               if (!access.ok()) co_return http::ProblemResponse(access.status(), req);
               Response r = http::EmptyResponse(HttpStatus::no_content);
               http::SetCookieOptions cookie;
               cookie.path = SharedPath(token);
               cookie.secure = http::ForwardedHttps(req.headers);
               cookie.same_site = "Strict";
               r.msg.set(field::field::set_cookie,
                         http::SetCookie(kShareCookie,
                                         service::ShareService::UnlockProof(token, access->share),
                                         cookie));
               r.msg.set(field::field::cache_control, "no-store");
               co_return r;
             });

  for (service::DerivativeKind kind :
       {service::DerivativeKind::kThumb, service::DerivativeKind::kPreview}) {
    std::string pattern =
        "/api/v1/shared/{token}/photos/{id}/" + std::string(service::DerivativeKindName(kind));
    router.Add(http::Verb::get, pattern, [&ctx, kind](Request& req) -> asio::awaitable<Response> {
      Result<image::OutputFormat> format = ChooseDerivativeFormat(req);
      if (!format.ok()) co_return http::ProblemResponse(format.status(), req);
      const image::OutputFormat f = *format;
      Result<service::DerivativeBlob> blob =
          co_await http::Offload(ctx.blocking, [&ctx, &req, kind, f] {
            Result<service::ShareAccess> access = OpenLink(ctx, req);
            if (!access.ok()) return Result<service::DerivativeBlob>(access.status());
            Result<db::PhotoRecord> photo = ctx.shares.GetPhoto(*access, req.PathParam("id"));
            if (!photo.ok()) return Result<service::DerivativeBlob>(photo.status());
            return ctx.photos.GetDerivativeOf(*photo, kind, f);
          });
      if (!blob.ok()) co_return http::ProblemResponse(blob.status(), req);
      co_return DerivativeResponse(req, std::move(blob->data), /*shared=*/true);
    });
  }

  router.Add(http::Verb::get, "/api/v1/shared/{token}/photos/{id}/original",
             [&ctx](Request& req) -> asio::awaitable<Response> {
               Result<db::PhotoRecord> photo = co_await http::Offload(ctx.blocking, [&ctx, &req] {
                 Result<service::ShareAccess> access = OpenLink(ctx, req);
                 if (!access.ok()) return Result<db::PhotoRecord>(access.status());
                 if (!access->share.allow_download) {
                   return Result<db::PhotoRecord>(
                       Status(ErrorCode::kForbidden, "downloads not allowed",
                              "The owner of this link does not allow downloading originals"));
                 }
                 return ctx.shares.GetPhoto(*access, req.PathParam("id"));
               });
               if (!photo.ok()) co_return http::ProblemResponse(photo.status(), req);
               Response r = co_await OriginalResponse(ctx, req, *photo, NeutralFilename(*photo));
               r.msg.set(field::field::cache_control, "private, no-cache");
               co_return r;
             });
}

}  // namespace

void RegisterShareRoutes(http::Router& router, ApiContext& ctx) {
  RegisterOwnerRoutes(router, ctx);
  RegisterVisitorRoutes(router, ctx);
}

}  // namespace gallery::api
