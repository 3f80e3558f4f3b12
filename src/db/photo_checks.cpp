#include "db/photo_checks.hpp"

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

namespace gallery::db {

Status CheckPhotoForInsert(const PhotoRecord& photo) {
  if (photo.id.empty()) return Status::InvalidArgument("photo id is empty");
  if (photo.owner_id.empty()) return Status::InvalidArgument("photo owner_id is empty");
  if (photo.deleted_at) return Status::InvalidArgument("a new photo cannot be in the trash");
  if (photo.sha256.empty()) return Status::InvalidArgument("photo sha256 is empty");
  if (photo.bytes > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return Status::InvalidArgument("photo bytes " + std::to_string(photo.bytes) +
                                   " is above the largest storable size");
  }
  if (photo.width < 0 || photo.height < 0) {
    return Status::InvalidArgument("photo dimensions are negative");
  }
  if (photo.frames < 1) return Status::InvalidArgument("photo frames must be at least 1");
  nlohmann::json exif = nlohmann::json::parse(photo.exif_json, nullptr, /*allow_exceptions=*/false);
  if (exif.is_discarded() || !exif.is_object()) {
    return Status::InvalidArgument(R"(photo exif_json is not a JSON object ("{}" when no EXIF))");
  }
  return Status::Ok();
}

Status CheckQuota(int64_t used, uint64_t adding, int64_t quota) {
  if (static_cast<uint64_t>(used) + adding <= static_cast<uint64_t>(quota)) return Status::Ok();
  auto mib = [](uint64_t bytes) { return std::to_string((bytes + (1 << 20) - 1) >> 20) + " MiB"; };
  return Status(ErrorCode::kQuotaExceeded,
                "quota " + std::to_string(quota) + " bytes, used " + std::to_string(used),
                "This upload would exceed your storage quota (" + mib(static_cast<uint64_t>(used)) +
                    " of " + mib(static_cast<uint64_t>(quota)) +
                    " used). Empty the trash or delete photos to make room.");
}

PhotoPage PhotoPageOf(std::vector<PhotoRecord> rows, int limit) {
  PhotoPage page;
  page.photos = std::move(rows);
  if (static_cast<int>(page.photos.size()) > limit) {
    page.photos.resize(limit);
    page.next = PhotoCursor{page.photos.back().SortTime(), page.photos.back().id};
  }
  return page;
}

TrashPage TrashPageOf(std::vector<PhotoRecord> rows, int limit) {
  TrashPage page;
  page.photos = std::move(rows);
  if (static_cast<int>(page.photos.size()) > limit) {
    page.photos.resize(limit);
    page.next = TrashCursor{*page.photos.back().deleted_at, page.photos.back().id};
  }
  return page;
}

Status CheckListLimit(int limit) {
  if (limit < 1 || limit > kMaxListLimit) {
    return Status::InvalidArgument("list limit " + std::to_string(limit) + " is outside 1.." +
                                   std::to_string(kMaxListLimit));
  }
  return Status::Ok();
}

}  // namespace gallery::db
