#pragma once

// The JSON shapes of albums and shares, for their owner.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "db/album_store.hpp"
#include "db/share_store.hpp"

namespace gallery::api {

// {"id", "title", "description", "cover_photo_id", "cover": {"thumb"} | null,
//  "photo_count", "created_at", "updated_at"}
nlohmann::json AlbumJson(const db::AlbumRecord& album);

// {"id", "album_id", "photo_id", "title", "expires_at", "has_password",
//  "allow_download", "show_exif", "created_at", "revoked_at", "active"}.
// `title` is the album's title for a share of an album.
nlohmann::json ShareJson(const db::ShareRecord& share, const std::optional<std::string>& title);

// The public page of a link: "/s/<token>".
std::string ShareUrl(const std::string& token);

}  // namespace gallery::api
