#pragma once

// Input checks shared by every MetadataStore implementation, so that all of
// them reject the same inputs with the same code and message (the schemas
// repeat the checks as constraints, as a backstop).

#include "common/status.hpp"
#include "db/metadata_store.hpp"

namespace gallery::db {

inline constexpr int kMaxListLimit = 1000;

// OK, or kInvalidArgument naming the first bad field (see InsertPhoto).
Status CheckPhotoForInsert(const PhotoRecord& photo);

// OK when `used` + `adding` bytes fit in `quota` (> 0), else kQuotaExceeded
// with a detail for the client.
Status CheckQuota(int64_t used, uint64_t adding, int64_t quota);

// OK when 1 <= limit <= kMaxListLimit, else kInvalidArgument.
Status CheckListLimit(int limit);

}  // namespace gallery::db
