#pragma once

// GET /: a plain page with the newest thumbnails and an upload form, so the
// server is usable from a browser before the full web UI exists.

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace gallery::api {

void RegisterIndexPage(http::Router& router, ApiContext& ctx);

// Escapes & < > " ' for HTML text and attribute values.
std::string HtmlEscape(std::string_view text);

}  // namespace gallery::api
