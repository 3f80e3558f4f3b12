#pragma once

// /healthz (liveness, no I/O), /readyz (database and storage answer),
// /metrics (Prometheus text), /api/v1/openapi.json.

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace gallery::api {

void RegisterOperationsRoutes(http::Router& router, ApiContext& ctx);

// The OpenAPI 3 document of the API (openapi_document.cpp).
const char* OpenApiDocument();

}  // namespace gallery::api
