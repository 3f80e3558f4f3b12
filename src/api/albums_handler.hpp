#pragma once

// /api/v1/albums: a signed-in user's albums. Create, list (newest first,
// cursor-paginated), get, update (title, description, cover), delete; the
// photos of an album (list in album order, add, remove, move one, set the
// whole order). Another user's album answers 404, as if it did not exist.

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace gallery::api {

void RegisterAlbumRoutes(http::Router& router, ApiContext& ctx);

}  // namespace gallery::api
