#include "app/backends.hpp"

#include "db/sqlite/sqlite_metadata_store.hpp"
#include "storage/local/local_blob_store.hpp"

namespace gallery::app {

Result<Backends> OpenBackends(const Config& config) {
  Backends b;
  if (config.storage == "local") {
    Result<std::unique_ptr<storage::BlobStore>> blobs =
        storage::NewLocalBlobStore(config.data_dir / "pictures");
    if (!blobs.ok()) return blobs.status().WithContext("GALLERY_DATA_DIR");
    b.blobs = std::move(blobs).value();
  } else {
    return Status::InvalidArgument("GALLERY_STORAGE=s3 is not available in this build yet");
  }

  if (config.UsesPostgres()) {
    return Status::InvalidArgument(
        "GALLERY_DATABASE_URL=postgres:// is not available in this build yet");
  }
  std::filesystem::path path = config.SqlitePath();
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
  }
  Result<std::unique_ptr<db::MetadataStore>> metadata = db::OpenSqliteMetadataStore(path.string());
  if (!metadata.ok()) return metadata.status().WithContext("GALLERY_DATABASE_URL");
  b.metadata = std::move(metadata).value();
  return b;
}

}  // namespace gallery::app
