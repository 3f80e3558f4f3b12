#pragma once

// /api/v1/photos: upload (multipart), list, get, delete (to the trash),
// original (Range, ETag, attachment), thumb and preview (ETag, 304,
// immutable, format from Accept with Vary: Accept).

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "api/api_context.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "image/pipeline.hpp"

namespace gallery::api {

// Every route needs a signed-in caller and sees only the caller's photos.
void RegisterPhotoRoutes(http::Router& router, ApiContext& ctx);

// A Photo for its owner, with "purge_at" when it is in the trash.
nlohmann::json OwnerPhotoJson(ApiContext& ctx, const db::PhotoRecord& photo,
                              bool duplicate = false);

// The original's bytes (Range, If-Range, ETag, 304), or a redirect to a
// presigned URL when so configured; offered for download as
// `download_name`.
boost::asio::awaitable<http::Response> OriginalResponse(ApiContext& ctx, const http::Request& req,
                                                        const db::PhotoRecord& photo,
                                                        const std::string& download_name);

// A derivative's answer (ETag, 304, Vary: Accept). Private to the browser;
// `shared` (through a link) also makes the browser revalidate, so a revoked
// link stops showing it.
http::Response DerivativeResponse(const http::Request& req,
                                  std::shared_ptr<const service::CachedDerivative> data,
                                  bool shared);

// The derivative format for a request: ?format=jpeg|webp|avif, else the
// best of AVIF, WebP, JPEG that Accept allows. kInvalidArgument for an
// unknown ?format.
Result<image::OutputFormat> ChooseDerivativeFormat(const http::Request& request);

}  // namespace gallery::api
