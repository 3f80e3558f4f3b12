#pragma once

// /api/v1/tokens: the signed-in user's personal API tokens (list, create:
// the token is shown once, revoke).

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace gallery::api {

void RegisterTokenRoutes(http::Router& router, ApiContext& ctx);

}  // namespace gallery::api
