#pragma once

// Picks and opens the BlobStore, the database's stores and the upload
// staging that the Config names.

#include <memory>

#include "app/config.hpp"
#include "db/album_store.hpp"
#include "db/metadata_store.hpp"
#include "db/share_store.hpp"
#include "db/upload_store.hpp"
#include "db/user_store.hpp"
#include "storage/blob_store.hpp"
#include "storage/upload_staging.hpp"

namespace gallery::app {

// Every store over the one database (one connection pool, one migration run).
struct DatabaseStores {
  std::unique_ptr<db::MetadataStore> metadata;
  std::unique_ptr<db::UserStore> users;
  std::unique_ptr<db::AlbumStore> albums;
  std::unique_ptr<db::ShareStore> shares;
  std::unique_ptr<db::UploadStore> uploads;
};

struct Backends {
  std::unique_ptr<storage::BlobStore> blobs;
  std::unique_ptr<db::MetadataStore> metadata;
  std::unique_ptr<db::UserStore> users;
  std::unique_ptr<db::AlbumStore> albums;
  std::unique_ptr<db::ShareStore> shares;
  std::unique_ptr<db::UploadStore> uploads;
  // Resumable uploads' bytes: <data dir>/uploads on local storage, the
  // bucket (multipart uploads) on S3.
  std::unique_ptr<storage::UploadStaging> staging;
};

// Opens the database (SQLite or PostgreSQL), applying migrations. Errors
// name the setting at fault.
Result<DatabaseStores> OpenDatabase(const Config& config);

// Opens them all, applying database migrations. Errors name the setting at
// fault.
Result<Backends> OpenBackends(const Config& config);

}  // namespace gallery::app
