#include "api/photo_json.hpp"

#include <charconv>

#include "common/crypto.hpp"
#include "common/time.hpp"

namespace gallery::api {

nlohmann::json PhotoJson(const db::PhotoRecord& photo, bool duplicate) {
  const std::string base = "/api/v1/photos/" + photo.id;
  nlohmann::json exif = nlohmann::json::parse(photo.exif_json, nullptr, /*allow_exceptions=*/false);
  if (!exif.is_object()) exif = nlohmann::json::object();
  return {
      {"id", photo.id},
      {"filename", photo.filename},
      {"content_type", photo.content_type},
      {"bytes", photo.bytes},
      {"width", photo.width},
      {"height", photo.height},
      {"frames", photo.frames},
      {"taken_at",
       photo.taken_at ? nlohmann::json(FormatRfc3339(*photo.taken_at)) : nlohmann::json(nullptr)},
      {"uploaded_at", FormatRfc3339(photo.uploaded_at)},
      {"sha256", photo.sha256},
      {"duplicate", duplicate},
      {"exif", std::move(exif)},
      {"urls",
       {{"original", base + "/original"},
        {"thumb", base + "/thumb"},
        {"preview", base + "/preview"}}},
  };
}

std::string EncodeCursor(const db::PhotoCursor& cursor) {
  return Base64UrlEncode(std::to_string(ToUnixMillis(cursor.sort_time)) + ":" + cursor.id);
}

std::optional<db::PhotoCursor> DecodeCursor(const std::string& text) {
  std::string raw;
  if (text.size() > 200 || !Base64UrlDecode(text, &raw)) return std::nullopt;
  size_t colon = raw.find(':');
  if (colon == std::string::npos || colon + 1 >= raw.size()) return std::nullopt;
  int64_t ms = 0;
  auto [ptr, ec] = std::from_chars(raw.data(), raw.data() + colon, ms);
  if (ec != std::errc() || ptr != raw.data() + colon) return std::nullopt;
  std::string id = raw.substr(colon + 1);
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return std::nullopt;
  }
  return db::PhotoCursor{FromUnixMillis(ms), std::move(id)};
}

}  // namespace gallery::api
