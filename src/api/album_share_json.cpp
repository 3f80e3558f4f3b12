#include "api/album_share_json.hpp"

#include "common/time.hpp"

namespace gallery::api {
namespace {

nlohmann::json TextOrNull(const std::optional<std::string>& text) {
  return text ? nlohmann::json(*text) : nlohmann::json(nullptr);
}

nlohmann::json TimeOrNull(const std::optional<db::Clock::time_point>& t) {
  return t ? nlohmann::json(FormatRfc3339(*t)) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json AlbumJson(const db::AlbumRecord& album) {
  nlohmann::json cover = nullptr;
  if (album.cover_photo_id) {
    cover = {{"thumb", "/api/v1/photos/" + *album.cover_photo_id + "/thumb"}};
  }
  return {
      {"id", album.id},
      {"title", album.title},
      {"description", album.description},
      {"cover_photo_id", TextOrNull(album.cover_photo_id)},
      {"cover", std::move(cover)},
      {"photo_count", album.photo_count},
      {"created_at", FormatRfc3339(album.created_at)},
      {"updated_at", FormatRfc3339(album.updated_at)},
  };
}

nlohmann::json ShareJson(const db::ShareRecord& share, const std::optional<std::string>& title) {
  return {
      {"id", share.id},
      {"album_id", TextOrNull(share.album_id)},
      {"photo_id", TextOrNull(share.photo_id)},
      {"title", TextOrNull(title)},
      {"expires_at", TimeOrNull(share.expires_at)},
      {"has_password", share.password_hash.has_value()},
      {"allow_download", share.allow_download},
      {"show_exif", share.show_exif},
      {"created_at", FormatRfc3339(share.created_at)},
      {"revoked_at", TimeOrNull(share.revoked_at)},
      {"active", share.ActiveAt(db::Clock::now())},
  };
}

std::string ShareUrl(const std::string& token) { return "/s/" + token; }

}  // namespace gallery::api
