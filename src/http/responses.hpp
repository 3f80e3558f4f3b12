#pragma once

// Building common responses.

#include <nlohmann/json.hpp>
#include <string>

#include "http/message.hpp"

namespace gallery::http {

Response JsonResponse(HttpStatus status, const nlohmann::json& body);
Response TextResponse(HttpStatus status, std::string body, std::string content_type);
Response EmptyResponse(HttpStatus status);

// True when the request's If-None-Match lists `etag` (or is "*").
bool IfNoneMatchHits(const Request& request, std::string_view etag);

}  // namespace gallery::http
