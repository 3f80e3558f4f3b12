#pragma once

// Input checks shared by every AlbumStore implementation, so that all of them
// reject the same inputs with the same code.

#include <string>
#include <vector>

#include "common/status.hpp"
#include "db/album_store.hpp"

namespace gallery::db {

inline constexpr size_t kMaxAlbumTitleBytes = 500;
inline constexpr size_t kMaxAlbumDescriptionBytes = 10000;
inline constexpr size_t kMaxPhotoIdsPerCall = 1000;
inline constexpr size_t kMaxAlbumOrderIds = 100000;
// Positions are spaced this far apart, so a move usually fits between two
// neighbours without renumbering the album.
inline constexpr int64_t kAlbumPositionStep = 1 << 16;

inline Status CheckAlbumTitle(const std::string& title) {
  if (title.empty() || title.size() > kMaxAlbumTitleBytes) {
    return Status::InvalidArgument("album title must be 1.." + std::to_string(kMaxAlbumTitleBytes) +
                                   " bytes");
  }
  return Status::Ok();
}

inline Status CheckAlbumDescription(const std::string& description) {
  if (description.size() > kMaxAlbumDescriptionBytes) {
    return Status::InvalidArgument("album description must be at most " +
                                   std::to_string(kMaxAlbumDescriptionBytes) + " bytes");
  }
  return Status::Ok();
}

inline Status CheckAlbumForCreate(const AlbumRecord& album) {
  if (album.id.empty() || album.owner_id.empty()) {
    return Status::InvalidArgument("album id and owner_id must be set");
  }
  GALLERY_RETURN_IF_ERROR(CheckAlbumTitle(album.title));
  return CheckAlbumDescription(album.description);
}

inline Status CheckAlbumUpdate(const AlbumUpdate& update) {
  if (update.title) GALLERY_RETURN_IF_ERROR(CheckAlbumTitle(*update.title));
  if (update.description) GALLERY_RETURN_IF_ERROR(CheckAlbumDescription(*update.description));
  return Status::Ok();
}

inline Status CheckPhotoIdList(const std::vector<std::string>& ids, size_t max) {
  if (ids.size() > max) {
    return Status::InvalidArgument("at most " + std::to_string(max) + " photo ids per call");
  }
  for (const std::string& id : ids) {
    if (id.empty()) return Status::InvalidArgument("a photo id is empty");
  }
  return Status::Ok();
}

}  // namespace gallery::db
