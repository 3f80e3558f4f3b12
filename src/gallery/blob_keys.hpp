#pragma once

// Where a photo's blobs live. Keys are built from server-made ids only.
//   photos/<id>/original
//   photos/<id>/<kind>.<ext>     derivatives: thumb.jpg, preview.webp, ...

#include <string>
#include <string_view>

namespace gallery::service {

inline constexpr std::string_view kPhotosPrefix = "photos/";

inline std::string PhotoPrefix(std::string_view id) {
  return std::string(kPhotosPrefix) + std::string(id) + "/";
}
inline std::string OriginalKey(std::string_view id) { return PhotoPrefix(id) + "original"; }
inline std::string DerivativeKey(std::string_view id, std::string_view kind, std::string_view ext) {
  return PhotoPrefix(id) + std::string(kind) + "." + std::string(ext);
}

// The photo id of a key under kPhotosPrefix, or "" when the key is not one.
inline std::string PhotoIdOfKey(std::string_view key) {
  if (key.substr(0, kPhotosPrefix.size()) != kPhotosPrefix) return {};
  key.remove_prefix(kPhotosPrefix.size());
  size_t slash = key.find('/');
  return slash == std::string_view::npos ? std::string() : std::string(key.substr(0, slash));
}

}  // namespace gallery::service
