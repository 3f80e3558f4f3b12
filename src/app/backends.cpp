#include "app/backends.hpp"

#include "db/postgres/postgres_database.hpp"
#include "db/sqlite/sqlite_database.hpp"
#include "storage/local/local_blob_store.hpp"
#include "storage/local/local_upload_staging.hpp"
#include "storage/s3/s3_blob_store.hpp"
#include "storage/s3/s3_upload_staging.hpp"

namespace gallery::app {
namespace {

storage::s3::S3Options S3OptionsFor(const Config& config) {
  storage::s3::S3Options options;
  options.bucket = config.s3_bucket;
  options.prefix = config.s3_prefix;
  options.region = config.s3_region;
  options.endpoint = config.s3_endpoint;
  options.force_path_style = config.s3_force_path_style;
  options.sse = config.s3_sse;
  options.kms_key_id = config.s3_kms_key_id;
  options.ca_file = config.s3_ca_file;
  // One store call, retries included, ends within the backend timeout:
  // a hung store must not hold requests longer (a load balancer would
  // time them out first, and the client would get no problem+json).
  options.connect_timeout = std::min(config.s3_connect_timeout, config.backend_timeout);
  options.request_timeout = std::min(config.s3_request_timeout, config.backend_timeout);
  options.max_attempts = config.s3_max_attempts;
  options.operation_timeout = config.backend_timeout;
  return options;
}

Result<std::unique_ptr<storage::BlobStore>> OpenBlobStore(const Config& config) {
  if (config.storage == "s3") return storage::s3::NewS3BlobStore(S3OptionsFor(config));
  Result<std::unique_ptr<storage::BlobStore>> blobs =
      storage::NewLocalBlobStore(config.data_dir / "pictures");
  if (!blobs.ok()) return blobs.status().WithContext("GALLERY_DATA_DIR");
  return blobs;
}

// The URL with its password replaced by `password` (percent-encoded).
std::string WithPassword(const std::string& url, const std::string& password) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos || password.empty()) return url;
  size_t authority = scheme_end + 3;
  size_t at = url.find('@', authority);
  size_t slash = url.find('/', authority);
  if (at == std::string::npos || (slash != std::string::npos && at > slash)) return url;
  std::string userinfo = url.substr(authority, at - authority);
  std::string user = userinfo.substr(0, userinfo.find(':'));
  std::string encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : password) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return url.substr(0, authority) + user + ":" + encoded + url.substr(at);
}

Result<std::unique_ptr<storage::UploadStaging>> OpenUploadStaging(const Config& config) {
  if (config.storage == "s3") return storage::s3::NewS3UploadStaging(S3OptionsFor(config));
  Result<std::unique_ptr<storage::UploadStaging>> staging =
      storage::NewLocalUploadStaging(config.data_dir / "uploads");
  if (!staging.ok()) return staging.status().WithContext("GALLERY_DATA_DIR");
  return staging;
}

Result<DatabaseStores> OpenStores(const Config& config) {
  DatabaseStores stores;
  if (config.UsesPostgres()) {
    db::PostgresOptions options;
    options.url = WithPassword(config.database_url, config.database_password);
    options.pool_size = config.database_pool_size;
    options.connect_timeout = config.backend_timeout;
    options.statement_timeout = config.backend_timeout;
    options.acquire_timeout = config.backend_timeout;
    Result<std::shared_ptr<db::PostgresDatabase>> database = db::OpenPostgresDatabase(options);
    if (!database.ok()) return database.status();
    stores.metadata = db::NewPostgresMetadataStore(*database);
    stores.users = db::NewPostgresUserStore(*database);
    stores.albums = db::NewPostgresAlbumStore(*database);
    stores.shares = db::NewPostgresShareStore(*database);
    stores.uploads = db::NewPostgresUploadStore(*database);
    return stores;
  }
  std::filesystem::path path = config.SqlitePath();
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
  }
  Result<std::shared_ptr<db::SqliteDatabase>> database = db::OpenSqliteDatabase(path.string());
  if (!database.ok()) return database.status();
  stores.metadata = db::NewSqliteMetadataStore(*database);
  stores.users = db::NewSqliteUserStore(*database);
  stores.albums = db::NewSqliteAlbumStore(*database);
  stores.shares = db::NewSqliteShareStore(*database);
  stores.uploads = db::NewSqliteUploadStore(*database);
  return stores;
}

}  // namespace

Result<DatabaseStores> OpenDatabase(const Config& config) {
  Result<DatabaseStores> stores = OpenStores(config);
  if (!stores.ok()) return stores.status().WithContext("GALLERY_DATABASE_URL");
  return stores;
}

Result<Backends> OpenBackends(const Config& config) {
  Backends b;
  Result<std::unique_ptr<storage::BlobStore>> blobs = OpenBlobStore(config);
  if (!blobs.ok()) return blobs.status().WithContext("storage");
  b.blobs = std::move(blobs).value();
  Result<std::unique_ptr<storage::UploadStaging>> staging = OpenUploadStaging(config);
  if (!staging.ok()) return staging.status().WithContext("upload staging");
  b.staging = std::move(staging).value();
  Result<DatabaseStores> stores = OpenDatabase(config);
  if (!stores.ok()) return stores.status();
  b.metadata = std::move(stores->metadata);
  b.users = std::move(stores->users);
  b.albums = std::move(stores->albums);
  b.shares = std::move(stores->shares);
  b.uploads = std::move(stores->uploads);
  return b;
}

}  // namespace gallery::app
