#pragma once

// multipart/form-data (RFC 7578) over a body already in memory or mapped
// from the spool file. Parts are views into that body: no copies.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"

namespace gallery::http {

struct MultipartPart {
  std::string name;                     // the form field name
  std::optional<std::string> filename;  // from filename*= (UTF-8) or filename=
  std::string content_type;             // as the client said; never trusted for format
  std::string_view data;                // the part's bytes (view into the body)
};

// The boundary parameter of a multipart/form-data Content-Type, or
// kInvalidArgument when the type is not multipart/form-data or lacks one.
Result<std::string> MultipartBoundary(std::string_view content_type);

// Splits `body` into parts. kInvalidArgument (with a public detail saying
// what is wrong) when the body does not start with the boundary, a part's
// headers are malformed, or the closing delimiter is missing. At most
// `max_parts` parts.
Result<std::vector<MultipartPart>> ParseMultipart(std::string_view body, std::string_view boundary,
                                                  size_t max_parts = 1000);

}  // namespace gallery::http
