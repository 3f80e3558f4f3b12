#pragma once

// Share links.
//
// For their owner (signed in): POST /api/v1/shares (one album or one photo;
// expiry, password, downloads, camera details), GET /api/v1/shares (newest
// first, cursor-paginated), GET /api/v1/shares/{id}, DELETE
// /api/v1/shares/{id} (revokes). The token is in the creation answer only.
//
// For anyone holding a link (no account): GET /api/v1/shared/{token} (what
// the link shows, paginated), POST /api/v1/shared/{token}/unlock (checks
// the password once and sets a cookie scoped to the link, so that image
// requests need no header), and the photos' thumb, preview and (when
// allowed) original under /api/v1/shared/{token}/photos/{id}/. The password
// may also come in X-Share-Password on every call. See ShareService for the
// privacy rules.

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace gallery::api {

void RegisterShareRoutes(http::Router& router, ApiContext& ctx);

}  // namespace gallery::api
