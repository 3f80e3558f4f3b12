#pragma once

// /api/v1/auth: sign in (sets the session cookie), sign out, who am I (and
// the CSRF token again after a page reload), change my password.

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace gallery::api {

void RegisterAuthRoutes(http::Router& router, ApiContext& ctx);

}  // namespace gallery::api
