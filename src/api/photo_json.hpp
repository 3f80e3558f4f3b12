#pragma once

// The JSON shapes of API.md: Photo (for its owner and for share visitors),
// and the opaque listing cursor.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "db/metadata_store.hpp"
#include "db/share_store.hpp"

namespace gallery::api {

// A Photo object as in API.md, for its owner; plus "deleted_at" and
// "purge_at" (null unless the photo is in the trash; `purge_at` is then
// when it goes for good).
nlohmann::json PhotoJson(const db::PhotoRecord& photo, bool duplicate = false,
                         std::optional<db::Clock::time_point> purge_at = std::nullopt);

// A Photo as a share visitor sees it: no file name, owner, checksum or
// upload time; EXIF (never GPS) and the taken time only when the share
// shows them; URLs through the link, the original only when downloads are
// allowed.
nlohmann::json SharedPhotoJson(const db::PhotoRecord& photo, const db::ShareRecord& share,
                               const std::string& token);

std::string EncodeCursor(const db::PhotoCursor& cursor);
// nullopt for anything EncodeCursor did not make.
std::optional<db::PhotoCursor> DecodeCursor(const std::string& text);

}  // namespace gallery::api
