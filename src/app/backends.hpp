#pragma once

// Picks and opens the BlobStore and the database stores that the Config names.

#include <memory>

#include "app/config.hpp"
#include "db/album_store.hpp"
#include "db/metadata_store.hpp"
#include "db/share_store.hpp"
#include "db/user_store.hpp"
#include "storage/blob_store.hpp"

namespace gallery::app {

// Every store over the one database (one connection pool, one migration run).
struct DatabaseStores {
  std::unique_ptr<db::MetadataStore> metadata;
  std::unique_ptr<db::UserStore> users;
  std::unique_ptr<db::AlbumStore> albums;
  std::unique_ptr<db::ShareStore> shares;
};

struct Backends {
  std::unique_ptr<storage::BlobStore> blobs;
  std::unique_ptr<db::MetadataStore> metadata;
  std::unique_ptr<db::UserStore> users;
  std::unique_ptr<db::AlbumStore> albums;
  std::unique_ptr<db::ShareStore> shares;
};

// Opens the database (SQLite or PostgreSQL), applying migrations. Errors
// name the setting at fault.
Result<DatabaseStores> OpenDatabase(const Config& config);

// Opens the storage and the database. Errors name the setting at fault.
Result<Backends> OpenBackends(const Config& config);

}  // namespace gallery::app
