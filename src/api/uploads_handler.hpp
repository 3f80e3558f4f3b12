#pragma once

// /api/v1/uploads: resumable uploads over tus 1.0.0 (https://tus.io), with
// the creation, termination, checksum (sha1, sha256) and expiration
// extensions, so stock clients (tus-js-client, Uppy) work as they are.
//
//   OPTIONS /api/v1/uploads          204: Tus-Version, Tus-Extension,
//                                    Tus-Max-Size, Tus-Checksum-Algorithm
//   POST    /api/v1/uploads          Upload-Length, Upload-Metadata
//                                    ("filename <base64>", or "name") ->
//                                    201, Location: /api/v1/uploads/<id>
//   HEAD    /api/v1/uploads/<id>     200: Upload-Offset, Upload-Length,
//                                    Upload-Metadata, Upload-Expires
//   PATCH   /api/v1/uploads/<id>     application/offset+octet-stream at
//                                    Upload-Offset -> 204, Upload-Offset
//   DELETE  /api/v1/uploads/<id>     204 (termination)
//   POST    /api/v1/uploads/<id>     with X-HTTP-Method-Override: PATCH,
//                                    DELETE or HEAD
//
// When the last byte has arrived, the PATCH that brought it answers 204
// with X-Photo-Id (the photo made from the file, exactly as POST
// /api/v1/photos makes one) and X-Photo-Duplicate (true when those bytes
// were a photo already); a HEAD of the finished upload carries
// X-Photo-Id too. tus-js-client's onSuccess({lastResponse}) reads it with
// lastResponse.getHeader("X-Photo-Id").
//
// Every answer carries Tus-Resumable: 1.0.0 and Cache-Control: no-store;
// errors are problem+json as everywhere (412 without a supported
// Tus-Resumable, 409 at a wrong offset, 460 on a checksum mismatch, 410 for
// an expired upload, 404 for an unknown one or another user's, 423 while
// another request writes to it). Same origin only: no CORS headers.

#include <boost/asio/awaitable.hpp>
#include <string>

#include "api/api_context.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace gallery::api {

void RegisterUploadRoutes(http::Router& router, ApiContext& ctx);

// Who is calling: the signed-in user's id (Authenticate: a session cookie
// with X-CSRF-Token on changes, or a Bearer token); 401/403 otherwise.
boost::asio::awaitable<Result<std::string>> CallerUserId(ApiContext& ctx, const http::Request& req);

}  // namespace gallery::api
