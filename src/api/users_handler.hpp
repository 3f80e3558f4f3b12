#pragma once

// /api/v1/users: user management, for admins only (others get 403).

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace gallery::api {

void RegisterUserRoutes(http::Router& router, ApiContext& ctx);

}  // namespace gallery::api
