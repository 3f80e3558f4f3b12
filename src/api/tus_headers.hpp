#pragma once

// Parsing the request headers of the tus 1.0.0 protocol. Each parser answers
// kInvalidArgument with a public detail that names the header and what it
// must look like.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.hpp"
#include "gallery/upload_service.hpp"

namespace gallery::api {

inline constexpr std::string_view kTusVersion = "1.0.0";

// Upload-Length and Upload-Offset: a non-negative decimal integer, digits
// only, that fits in 63 bits.
Result<uint64_t> ParseTusInteger(std::string_view header_name, std::string_view value);

// Upload-Metadata: comma-separated "key base64value" (or just "key") pairs.
// Keys are unique, non-empty, ASCII without spaces or commas; values are
// standard base64. Returns key -> decoded value; "" gives an empty map.
Result<std::map<std::string, std::string>> ParseUploadMetadata(std::string_view value);

// Upload-Metadata for `filename` ("filename <base64>"), "" for no name.
std::string FormatUploadMetadata(const std::string& filename);

// Upload-Checksum: "<algorithm> <base64 digest>". An algorithm other than
// sha1 and sha256 is kInvalidArgument (tus: 400).
Result<service::ChunkChecksum> ParseUploadChecksum(std::string_view value);

}  // namespace gallery::api
