#pragma once

// The web UI: the built single-page app (web/dist) served from memory.
//
//   /assets/*          hashed build output: immutable for a year
//   /<other files>     favicon and the like: revalidated (no-cache)
//   /, /albums, /albums/{id}, /trash, /login, /settings, /s/{token}
//                      index.html (no-cache); the client routes them
//
// Only these paths are routed, so an unknown /api/... path still gets the
// server's problem+json 404. Every answer carries the UI's
// Content-Security-Policy: scripts, styles, images and requests from this
// origin only (blob: and data: images for upload previews and CSS).

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>

#include "http/router.hpp"
#include "http/static_assets.hpp"

namespace gallery::api {

// The UI's Content-Security-Policy (also checked by the browser tests).
extern const char kWebUiContentSecurityPolicy[];

// The client-side routes answered with index.html.
const std::vector<std::string>& WebUiRoutes();

struct WebUiOptions {
  // When set, GET /s/{token} answers 404 (still with the app, which shows
  // "this link is not valid") for a token this returns false for: unknown,
  // expired or revoked. A password-protected link is alive.
  std::function<boost::asio::awaitable<bool>(const std::string& token)> share_link_alive;
};

// Serves `ui` (loaded at start; must outlive the router).
void RegisterWebUiRoutes(http::Router& router, const http::StaticAssets& ui,
                         WebUiOptions options = {});

// When the UI was not built: / and the client routes answer 503 with a page
// telling the operator how to build it (`looked_in` is the web root tried).
void RegisterWebUiMissingPage(http::Router& router, std::string looked_in);

}  // namespace gallery::api
