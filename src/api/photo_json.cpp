#include "api/photo_json.hpp"

#include "api/request_input.hpp"
#include "common/time.hpp"

namespace gallery::api {

namespace {

nlohmann::json TimeOrNull(const std::optional<db::Clock::time_point>& t) {
  return t ? nlohmann::json(FormatRfc3339(*t)) : nlohmann::json(nullptr);
}

nlohmann::json ExifObject(const db::PhotoRecord& photo) {
  nlohmann::json exif = nlohmann::json::parse(photo.exif_json, nullptr, /*allow_exceptions=*/false);
  if (!exif.is_object()) exif = nlohmann::json::object();
  return exif;
}

}  // namespace

nlohmann::json SharedPhotoJson(const db::PhotoRecord& photo, const db::ShareRecord& share,
                               const std::string& token) {
  const std::string base = "/api/v1/shared/" + token + "/photos/" + photo.id;
  nlohmann::json exif = nlohmann::json::object();
  if (share.show_exif) {
    const nlohmann::json all = ExifObject(photo);
    for (const auto& [key, value] : all.items()) {
      if (key.rfind("gps", 0) != 0) exif[key] = value;
    }
  }
  nlohmann::json urls = {{"thumb", base + "/thumb"}, {"preview", base + "/preview"}};
  if (share.allow_download) urls["original"] = base + "/original";
  return {
      {"id", photo.id},
      {"content_type", photo.content_type},
      {"bytes", photo.bytes},
      {"width", photo.width},
      {"height", photo.height},
      {"frames", photo.frames},
      {"taken_at", share.show_exif ? TimeOrNull(photo.taken_at) : nlohmann::json(nullptr)},
      {"exif", std::move(exif)},
      {"urls", std::move(urls)},
  };
}

nlohmann::json PhotoJson(const db::PhotoRecord& photo, bool duplicate,
                         std::optional<db::Clock::time_point> purge_at) {
  const std::string base = "/api/v1/photos/" + photo.id;
  return {
      {"id", photo.id},
      {"filename", photo.filename},
      {"content_type", photo.content_type},
      {"bytes", photo.bytes},
      {"width", photo.width},
      {"height", photo.height},
      {"frames", photo.frames},
      {"taken_at", TimeOrNull(photo.taken_at)},
      {"uploaded_at", FormatRfc3339(photo.uploaded_at)},
      {"sha256", photo.sha256},
      {"duplicate", duplicate},
      {"exif", ExifObject(photo)},
      {"deleted_at", TimeOrNull(photo.deleted_at)},
      {"purge_at", photo.deleted_at ? TimeOrNull(purge_at) : nlohmann::json(nullptr)},
      {"urls",
       {{"original", base + "/original"},
        {"thumb", base + "/thumb"},
        {"preview", base + "/preview"}}},
  };
}

std::string EncodeCursor(const db::PhotoCursor& cursor) {
  return EncodeKeyCursor(ToUnixMillis(cursor.sort_time), cursor.id);
}

std::optional<db::PhotoCursor> DecodeCursor(const std::string& text) {
  auto key = DecodeKeyCursor(text);
  if (!key) return std::nullopt;
  return db::PhotoCursor{FromUnixMillis(key->first), std::move(key->second)};
}

}  // namespace gallery::api
