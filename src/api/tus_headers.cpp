#include "api/tus_headers.hpp"

#include <charconv>
#include <limits>

#include "common/ascii.hpp"
#include "common/crypto.hpp"

namespace gallery::api {
namespace {

Status Bad(std::string_view header, std::string_view why) {
  return Status(ErrorCode::kInvalidArgument, std::string(header) + ": " + std::string(why),
                std::string(header) + " " + std::string(why));
}

bool IsKeyChar(char c) { return c > 0x20 && c < 0x7f && c != ','; }

}  // namespace

Result<uint64_t> ParseTusInteger(std::string_view header_name, std::string_view value) {
  if (value.empty()) return Bad(header_name, "is missing");
  uint64_t n = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return Bad(header_name, "must be a whole number of bytes");
  }
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || n > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return Bad(header_name, "is too large");
  }
  (void)end;
  return n;
}

Result<std::map<std::string, std::string>> ParseUploadMetadata(std::string_view value) {
  std::map<std::string, std::string> out;
  if (TrimBlanks(value).empty()) return out;
  while (true) {
    const size_t comma = value.find(',');
    std::string_view pair = TrimBlanks(value.substr(0, comma));
    const size_t space = pair.find(' ');
    std::string_view key = pair.substr(0, space);
    std::string_view encoded =
        space == std::string_view::npos ? "" : TrimBlanks(pair.substr(space + 1));
    if (key.empty()) return Bad("Upload-Metadata", "has an empty key");
    for (char c : key) {
      if (!IsKeyChar(c)) return Bad("Upload-Metadata", "keys are ASCII without spaces or commas");
    }
    if (encoded.find(' ') != std::string_view::npos) {
      return Bad("Upload-Metadata", "pairs are \"key base64value\", separated by commas");
    }
    std::string decoded;
    if (!Base64Decode(encoded, &decoded)) {
      return Bad("Upload-Metadata", "value of '" + std::string(key) + "' is not base64");
    }
    if (!out.emplace(std::string(key), std::move(decoded)).second) {
      return Bad("Upload-Metadata", "repeats the key '" + std::string(key) + "'");
    }
    if (comma == std::string_view::npos) return out;
    value.remove_prefix(comma + 1);
  }
}

std::string FormatUploadMetadata(const std::string& filename) {
  if (filename.empty()) return "";
  return "filename " + Base64Encode(filename);
}

Result<service::ChunkChecksum> ParseUploadChecksum(std::string_view value) {
  value = TrimBlanks(value);
  const size_t space = value.find(' ');
  if (space == std::string_view::npos) {
    return Bad("Upload-Checksum", "must be \"<algorithm> <base64 digest>\"");
  }
  std::optional<service::ChecksumAlgorithm> algorithm =
      service::ParseChecksumAlgorithm(value.substr(0, space));
  if (!algorithm) {
    return Bad("Upload-Checksum", "algorithm must be sha1 or sha256 (Tus-Checksum-Algorithm)");
  }
  service::ChunkChecksum checksum;
  checksum.algorithm = *algorithm;
  if (!Base64Decode(TrimBlanks(value.substr(space + 1)), &checksum.digest) ||
      checksum.digest.empty()) {
    return Bad("Upload-Checksum", "digest is not base64");
  }
  return checksum;
}

}  // namespace gallery::api
