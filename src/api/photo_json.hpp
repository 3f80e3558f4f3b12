#pragma once

// The JSON shapes of API.md: Photo, and the opaque listing cursor.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "db/metadata_store.hpp"

namespace gallery::api {

// A Photo object as in API.md.
nlohmann::json PhotoJson(const db::PhotoRecord& photo, bool duplicate = false);

std::string EncodeCursor(const db::PhotoCursor& cursor);
// nullopt for anything EncodeCursor did not make.
std::optional<db::PhotoCursor> DecodeCursor(const std::string& text);

}  // namespace gallery::api
