#pragma once

// UploadStaging on a local directory (the embedded shape, or instances that
// share one data directory): upload <id> is the file <root>/<id>, written in
// place. An append writes its bytes at the committed offset, cuts the file
// there + their size (dropping what a failed earlier step left behind),
// fdatasyncs, and commits once. The state is always "". Assemble answers
// the file itself (not a copy).

#include <filesystem>
#include <memory>

#include "common/status.hpp"
#include "storage/upload_staging.hpp"

namespace gallery::storage {

// Opens the staging rooted at `root` (made absolute now), creating the
// directory if missing. kInvalidArgument for an empty root or one that is
// not a directory; the file system's error when it cannot be created.
Result<std::unique_ptr<UploadStaging>> NewLocalUploadStaging(const std::filesystem::path& root);

}  // namespace gallery::storage
