#pragma once

// Picks and opens the BlobStore, the database's stores and the upload
// staging that the Config names.

#include <memory>

#include "app/config.hpp"
#include "db/metadata_store.hpp"
#include "db/upload_store.hpp"
#include "storage/blob_store.hpp"
#include "storage/upload_staging.hpp"

namespace gallery::app {

struct Backends {
  std::unique_ptr<storage::BlobStore> blobs;
  std::unique_ptr<db::MetadataStore> metadata;
  std::unique_ptr<db::UploadStore> uploads;  // over the same database
  // Resumable uploads' bytes: <data dir>/uploads on local storage, the
  // bucket (multipart uploads) on S3.
  std::unique_ptr<storage::UploadStaging> staging;
};

// Opens them all, applying database migrations. Errors name the setting at
// fault.
Result<Backends> OpenBackends(const Config& config);

}  // namespace gallery::app
