#pragma once

// Picks and opens the BlobStore and MetadataStore that the Config names.

#include <memory>

#include "app/config.hpp"
#include "db/metadata_store.hpp"
#include "storage/blob_store.hpp"

namespace gallery::app {

struct Backends {
  std::unique_ptr<storage::BlobStore> blobs;
  std::unique_ptr<db::MetadataStore> metadata;
};

// Opens both, applying database migrations. Errors name the setting at fault.
Result<Backends> OpenBackends(const Config& config);

}  // namespace gallery::app
