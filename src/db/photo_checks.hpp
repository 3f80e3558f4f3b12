#pragma once

// Input checks and page shaping shared by every MetadataStore
// implementation, so that all of them reject the same inputs with the same
// code and message (the schemas repeat the checks as constraints, as a
// backstop) and cut pages the same way.

#include <vector>

#include "common/status.hpp"
#include "db/metadata_store.hpp"

namespace gallery::db {

inline constexpr int kMaxListLimit = 1000;

// OK, or kInvalidArgument naming the first bad field (see InsertPhoto).
Status CheckPhotoForInsert(const PhotoRecord& photo);

// OK when `used` + `adding` bytes fit in `quota` (> 0), else kQuotaExceeded
// with a detail for the client.
Status CheckQuota(int64_t used, uint64_t adding, int64_t quota);

// A listing page from the rows of a query that fetched `limit` + 1 rows: the
// extra row, when there, only says that another page follows (`next` is
// then the cursor of the page's last row).
PhotoPage PhotoPageOf(std::vector<PhotoRecord> rows, int limit);
TrashPage TrashPageOf(std::vector<PhotoRecord> rows, int limit);

// OK when 1 <= limit <= kMaxListLimit, else kInvalidArgument.
Status CheckListLimit(int limit);

}  // namespace gallery::db
