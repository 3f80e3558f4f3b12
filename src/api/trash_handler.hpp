#pragma once

// The trash: GET /api/v1/trash (most recently deleted first),
// POST /api/v1/photos/{id}/restore, DELETE /api/v1/trash/{id} (purge one now)
// and DELETE /api/v1/trash (empty it). Photos get into the trash by
// DELETE /api/v1/photos/{id} and leave it for good after the retention time.

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace gallery::api {

void RegisterTrashRoutes(http::Router& router, ApiContext& ctx);

}  // namespace gallery::api
