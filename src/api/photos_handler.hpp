#pragma once

// /api/v1/photos: upload (multipart), list, get, delete, original (Range,
// ETag, attachment), thumb and preview (ETag, 304, immutable, format from
// Accept with Vary: Accept).

#include "api/api_context.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "image/pipeline.hpp"

namespace gallery::api {

void RegisterPhotoRoutes(http::Router& router, ApiContext& ctx);

// The derivative format for a request: ?format=jpeg|webp|avif, else the
// best of AVIF, WebP, JPEG that Accept allows. kInvalidArgument for an
// unknown ?format.
Result<image::OutputFormat> ChooseDerivativeFormat(const http::Request& request);

}  // namespace gallery::api
