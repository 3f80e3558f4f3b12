#include "api/web_ui.hpp"

#include "common/markup_escape.hpp"
#include "http/problem.hpp"
#include "http/responses.hpp"

namespace gallery::api {
namespace {

namespace asio = boost::asio;
namespace field = boost::beast::http;
using http::Request;
using http::Response;

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kRevalidate = "no-cache";

// Headers every UI answer carries.
void AddDocumentHeaders(Response& r, std::string_view csp) {
  r.msg.set("Content-Security-Policy", csp);
  r.msg.set("X-Frame-Options", "DENY");
  // Share links carry their token in the path: never send it on as a Referer.
  r.msg.set("Referrer-Policy", "no-referrer");
}

Response NotFound(const Request& req) {
  return http::ProblemResponse(
      Status(ErrorCode::kNotFound, "no such asset", "No such resource: " + req.path), req);
}

}  // namespace

const char kWebUiContentSecurityPolicy[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; worker-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const std::vector<std::string>& WebUiRoutes() {
  static const std::vector<std::string> kRoutes = {"/",      "/albums",   "/albums/{id}", "/trash",
                                                   "/login", "/settings", "/s/{token}"};
  return kRoutes;
}

void RegisterWebUiRoutes(http::Router& router, const http::StaticAssets& ui, WebUiOptions options) {
  const http::StaticFile* index = ui.Find("index.html");
  for (const std::string& route : WebUiRoutes()) {
    const bool share = route == "/s/{token}";
    router.Add(http::Verb::get, route,
               [index, share,
                alive = options.share_link_alive](Request& req) -> asio::awaitable<Response> {
                 bool dead = false;
                 if (share && alive) {
                   const std::string token = req.PathParam("token");
                   dead = !(co_await alive(token));
                 }
                 Response r;
                 if (dead) {
                   // The whole page (never a 304): the app explains the dead link.
                   Request fresh = req;
                   fresh.headers.erase(field::field::if_none_match);
                   r = http::StaticFileResponse(fresh, *index, "no-store");
                   r.msg.result(http::HttpStatus::not_found);
                 } else {
                   r = http::StaticFileResponse(req, *index, kRevalidate);
                 }
                 if (share) r.msg.set("X-Robots-Tag", "noindex, nofollow");
                 AddDocumentHeaders(r, kWebUiContentSecurityPolicy);
                 co_return r;
               });
  }

  router.Add(http::Verb::get, "/assets/{*path}", [&ui](Request& req) -> asio::awaitable<Response> {
    const http::StaticFile* file = ui.Find("assets/" + req.PathParam("path"));
    if (file == nullptr) co_return NotFound(req);
    Response r = http::StaticFileResponse(req, *file, kImmutable);
    AddDocumentHeaders(r, kWebUiContentSecurityPolicy);
    co_return r;
  });

  // The rest of the build output (favicon, robots.txt) under its own name.
  for (const auto& [path, file] : ui.files()) {
    if (path == "index.html" || path.rfind("assets/", 0) == 0 || path.rfind("api/", 0) == 0) {
      continue;
    }
    const http::StaticFile* f = &file;
    router.Add(http::Verb::get, "/" + path, [f](Request& req) -> asio::awaitable<Response> {
      Response r = http::StaticFileResponse(req, *f, kRevalidate);
      AddDocumentHeaders(r, kWebUiContentSecurityPolicy);
      co_return r;
    });
  }
}

void RegisterWebUiMissingPage(http::Router& router, std::string looked_in) {
  auto page = std::make_shared<const std::string>(
      "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>Picture Gallery: web UI not built</title>\n"
      "<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;"
      "padding:0 1rem;line-height:1.5}code{background:#8882;padding:.1em .3em;"
      "border-radius:4px}</style>\n</head>\n<body>\n"
      "<h1>The web UI has not been built</h1>\n"
      "<p>The server is running and its API answers under <code>/api/v1/</code>, but there "
      "is no built web UI in <code>" +
      EscapeMarkup(looked_in) +
      "</code>.</p>\n"
      "<p>Build it with <code>make web</code> (or <code>cd web &amp;&amp; npm ci &amp;&amp; "
      "npm run build</code>) and restart the server, or point <code>GALLERY_WEB_DIR</code> "
      "(<code>--web-dir</code>) at a built <code>web/dist</code> folder.</p>\n"
      "</body>\n</html>\n");
  for (const std::string& route : WebUiRoutes()) {
    router.Add(http::Verb::get, route, [page](Request&) -> asio::awaitable<Response> {
      Response r;
      r.msg.result(http::HttpStatus::service_unavailable);
      r.msg.set(field::field::content_type, "text/html; charset=utf-8");
      r.msg.set(field::field::cache_control, "no-store");
      r.shared_body = page;
      AddDocumentHeaders(r, "default-src 'none'; style-src 'unsafe-inline'");
      co_return r;
    });
  }
}

}  // namespace gallery::api
