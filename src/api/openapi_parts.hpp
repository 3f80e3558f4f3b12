#pragma once

// Parts of the OpenAPI document kept beside the handlers they describe;
// OpenApiDocument() (openapi_document.cpp) merges them into the base
// document (JSON merge patch: their paths and components are added).

namespace gallery::api {

// {"paths": {...}, "components": {...}} of /api/v1/auth, /tokens, /users.
const char* OpenApiAccountsPart();

// {"paths": {...}, "components": {...}} of /api/v1/albums, /shares, the
// public /api/v1/shared links, /trash and photo restore.
const char* OpenApiSharingPart();

}  // namespace gallery::api
