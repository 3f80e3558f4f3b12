#pragma once

// GET /: a plain page with the newest thumbnails and an upload form, so the
// server is usable from a browser before the full web UI exists.

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace gallery::api {

void RegisterIndexPage(http::Router& router, ApiContext& ctx);

}  // namespace gallery::api
