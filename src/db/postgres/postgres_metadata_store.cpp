#include "db/postgres/postgres_metadata_store.hpp"

#include <array>
#include <map>
#include <utility>

#include "common/time.hpp"
#include "db/migrations.hpp"
#include "db/photo_checks.hpp"
#include "db/postgres/pg_connection.hpp"
#include "db/postgres/pg_pool.hpp"

namespace gallery::db {
namespace {

using std::chrono::steady_clock;

// Past the server's statement_timeout, how long the client still waits for
// an answer before it declares the server gone. The server's own timeout
// normally fires first and leaves the connection usable.
constexpr std::chrono::milliseconds kClientGrace{1000};

// Key of the session advisory lock held while migrating ("gallery!").
constexpr int64_t kMigrationLockKey = 0x67616c6c65727921;

#define PHOTO_COLUMNS                                                                       \
  "id, filename, content_type, bytes, width, height, frames, taken_at_ms, uploaded_at_ms, " \
  "sha256, exif_json, original_key, thumb_key, preview_key"

constexpr PgStatement kInsertPhoto{
    "gallery_insert_photo",
    "INSERT INTO photos (" PHOTO_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"};
constexpr PgStatement kGetPhoto{"gallery_get_photo",
                                "SELECT " PHOTO_COLUMNS " FROM photos WHERE id = $1"};
constexpr PgStatement kFindBySha256{"gallery_find_photo_by_sha256",
                                    "SELECT " PHOTO_COLUMNS " FROM photos WHERE sha256 = $1"};
// Keyset pagination over the photos_newest_first index: the row comparison
// is one index range scan, however deep the page. id is COLLATE "C", so ties
// break in byte order, as in SQLite.
constexpr PgStatement kListFirstPage{"gallery_list_photos",
                                     "SELECT " PHOTO_COLUMNS
                                     " FROM photos ORDER BY sort_at_ms DESC, id DESC LIMIT $1"};
constexpr PgStatement kListAfter{
    "gallery_list_photos_after",
    "SELECT " PHOTO_COLUMNS
    " FROM photos WHERE (sort_at_ms, id) < ($1, $2) ORDER BY sort_at_ms DESC, id DESC LIMIT $3"};
constexpr PgStatement kDeletePhoto{"gallery_delete_photo", "DELETE FROM photos WHERE id = $1"};
constexpr PgStatement kCountPhotos{"gallery_count_photos", "SELECT count(*) FROM photos"};
constexpr PgStatement kPing{"gallery_ping", "SELECT 1"};

#undef PHOTO_COLUMNS

Result<PhotoRecord> ReadPhoto(const PgResult& r, int row) {
  PhotoRecord p;
  p.id = r.Text(row, 0);
  p.filename = r.Text(row, 1);
  p.content_type = r.Text(row, 2);
  std::array<int64_t, 4> numbers{};  // bytes, width, height, frames
  for (int i = 0; i < 4; ++i) {
    Result<int64_t> n = r.Int64(row, 3 + i);
    if (!n.ok()) return n.status();
    numbers[i] = *n;
  }
  p.bytes = static_cast<uint64_t>(numbers[0]);
  p.width = static_cast<int>(numbers[1]);
  p.height = static_cast<int>(numbers[2]);
  p.frames = static_cast<int>(numbers[3]);
  if (!r.IsNull(row, 7)) {
    Result<int64_t> taken = r.Int64(row, 7);
    if (!taken.ok()) return taken.status();
    p.taken_at = FromUnixMillis(*taken);
  }
  Result<int64_t> uploaded = r.Int64(row, 8);
  if (!uploaded.ok()) return uploaded.status();
  p.uploaded_at = FromUnixMillis(*uploaded);
  p.sha256 = r.Text(row, 9);
  p.exif_json = r.Text(row, 10);
  p.original_key = r.Text(row, 11);
  p.thumb_key = r.Text(row, 12);
  p.preview_key = r.Text(row, 13);
  return p;
}

// "database D on host:port as user": what messages name (no password).
Result<std::string> DescribeTarget(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    std::string why = error ? error : "out of memory";
    PQfreemem(error);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    return Status::InvalidArgument("postgres url is not valid: " + why);
  }
  std::map<std::string, std::string> values;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val != nullptr) values[o->keyword] = o->val;
  }
  PQconninfoFree(options);
  std::string host = values.count("host") ? values["host"] : "localhost";
  std::string port = values.count("port") ? values["port"] : "5432";
  std::string target = "database " + (values.count("dbname") ? values["dbname"] : "(default)") +
                       " on " + host + ":" + port;
  if (values.count("user")) target += " as " + values["user"];
  return target;
}

Status ValidateOptions(const PostgresOptions& o) {
  if (o.url.rfind("postgres://", 0) != 0 && o.url.rfind("postgresql://", 0) != 0) {
    return Status::InvalidArgument("postgres url must start with postgres:// or postgresql://");
  }
  if (o.pool_size < 1 || o.pool_size > 1000) {
    return Status::InvalidArgument("postgres pool_size must be 1..1000, not " +
                                   std::to_string(o.pool_size));
  }
  const std::pair<const char*, std::chrono::milliseconds> timeouts[] = {
      {"connect_timeout", o.connect_timeout},
      {"statement_timeout", o.statement_timeout},
      {"acquire_timeout", o.acquire_timeout},
      {"migration_timeout", o.migration_timeout}};
  for (const auto& [name, value] : timeouts) {
    if (value.count() < 1 || value > std::chrono::hours(24)) {
      return Status::InvalidArgument(std::string("postgres ") + name +
                                     " must be between 1 ms and 24 h");
    }
  }
  return Status::Ok();
}

// Applies migrations on one connection that holds the advisory lock.
class PgMigrationTarget final : public MigrationTarget {
 public:
  PgMigrationTarget(PgConnection* conn, PgDeadline deadline) : conn_(conn), deadline_(deadline) {}

  Result<std::map<int, std::string>> AppliedMigrations() override {
    Result<PgResult> created = conn_->Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER NOT NULL PRIMARY KEY,"
        " name TEXT NOT NULL,"
        " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
        deadline_);
    if (!created.ok()) return created.status();
    Result<PgResult> rows = conn_->Exec("SELECT version, name FROM schema_migrations", deadline_);
    if (!rows.ok()) return rows.status();
    std::map<int, std::string> applied;
    for (int i = 0; i < rows->rows(); ++i) {
      Result<int64_t> version = rows->Int64(i, 0);
      if (!version.ok()) return version.status();
      applied[static_cast<int>(*version)] = rows->Text(i, 1);
    }
    return applied;
  }

  Status Apply(const Migration& migration) override {
    Result<PgResult> begun = conn_->Exec("BEGIN", deadline_);
    if (!begun.ok()) return begun.status();
    Status s = ApplyInTransaction(migration);
    if (!s.ok()) {
      (void)conn_->Exec("ROLLBACK", deadline_);  // the first error is the one to report
      return s;
    }
    return conn_->Exec("COMMIT", deadline_).status();
  }

 private:
  Status ApplyInTransaction(const Migration& migration) {
    // Under the advisory lock nobody else migrates, but a check inside the
    // transaction keeps Apply's contract on its own.
    const PgParam version[] = {std::to_string(migration.version)};
    Result<PgResult> recorded =
        conn_->ExecParams("SELECT 1 FROM schema_migrations WHERE version = $1", version, deadline_);
    if (!recorded.ok()) return recorded.status();
    if (recorded->rows() > 0) return Status::Ok();
    Result<PgResult> ran = conn_->Exec(migration.sql, deadline_);
    if (!ran.ok()) return ran.status();
    const PgParam record[] = {std::to_string(migration.version), std::string(migration.name)};
    return conn_
        ->ExecParams("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", record,
                     deadline_)
        .status();
  }

  PgConnection* conn_;
  PgDeadline deadline_;
};

Status Migrate(const PostgresOptions& options, const std::string& target) {
  const PgDeadline deadline = steady_clock::now() + options.migration_timeout;
  Result<std::unique_ptr<PgConnection>> conn =
      PgConnection::Connect(options.url, target, steady_clock::now() + options.connect_timeout,
                            options.migration_timeout);
  if (!conn.ok()) return conn.status();
  // Session lock: released by the unlock below, or by the server if this
  // process dies mid-way. Other instances wait here, then find nothing to do.
  const PgParam key[] = {std::to_string(kMigrationLockKey)};
  Result<PgResult> locked = (*conn)->ExecParams("SELECT pg_advisory_lock($1)", key, deadline);
  if (!locked.ok()) return locked.status().WithContext("waiting for the migration lock");
  PgMigrationTarget migration_target(conn->get(), deadline);
  Status migrated = RunMigrations(PostgresMigrations(), migration_target);
  if (!migrated.ok()) return migrated;  // closing the connection releases the lock
  return (*conn)->ExecParams("SELECT pg_advisory_unlock($1)", key, deadline).status();
}

class PostgresMetadataStore final : public MetadataStore {
 public:
  explicit PostgresMetadataStore(PgPoolOptions options) : pool_(std::move(options)) {}

  Status InsertPhoto(const PhotoRecord& photo) override {
    GALLERY_RETURN_IF_ERROR(CheckPhotoForInsert(photo));
    const PgParam params[] = {
        photo.id,
        photo.filename,
        photo.content_type,
        std::to_string(photo.bytes),
        std::to_string(photo.width),
        std::to_string(photo.height),
        std::to_string(photo.frames),
        photo.taken_at ? PgParam(std::to_string(ToUnixMillis(*photo.taken_at))) : std::nullopt,
        std::to_string(ToUnixMillis(photo.uploaded_at)),
        photo.sha256,
        photo.exif_json,
        photo.original_key,
        photo.thumb_key,
        photo.preview_key,
    };
    // One statement in autocommit mode: one transaction.
    return Run(kInsertPhoto, params).status();
  }

  Result<PhotoRecord> GetPhoto(const std::string& id) override {
    return FindOne(kGetPhoto, id, "photo " + id);
  }

  Result<PhotoRecord> FindPhotoBySha256(const std::string& sha256) override {
    return FindOne(kFindBySha256, sha256, "photo with sha256 " + sha256);
  }

  Result<PhotoPage> ListPhotos(const std::optional<PhotoCursor>& after, int limit) override {
    GALLERY_RETURN_IF_ERROR(CheckListLimit(limit));
    // One row more than asked tells whether another page follows.
    const std::string fetch = std::to_string(limit + 1);
    Result<PgResult> rows = Status::Internal("unset");
    if (after) {
      const PgParam params[] = {std::to_string(ToUnixMillis(after->sort_time)), after->id, fetch};
      rows = Run(kListAfter, params);
    } else {
      const PgParam params[] = {fetch};
      rows = Run(kListFirstPage, params);
    }
    if (!rows.ok()) return rows.status();
    PhotoPage page;
    const int n = std::min(rows->rows(), limit);
    page.photos.reserve(n);
    for (int i = 0; i < n; ++i) {
      Result<PhotoRecord> photo = ReadPhoto(*rows, i);
      if (!photo.ok()) return photo.status();
      page.photos.push_back(std::move(*photo));
    }
    if (rows->rows() > limit) {
      page.next = PhotoCursor{page.photos.back().SortTime(), page.photos.back().id};
    }
    return page;
  }

  Status DeletePhoto(const std::string& id) override {
    const PgParam params[] = {id};
    Result<PgResult> done = Run(kDeletePhoto, params);
    if (!done.ok()) return done.status();
    if (done->AffectedRows() == 0) return Status::NotFound("photo " + id);
    return Status::Ok();
  }

  Result<int64_t> CountPhotos() override {
    Result<PgResult> rows = Run(kCountPhotos, {});
    if (!rows.ok()) return rows.status();
    if (rows->rows() != 1) return Status::Internal("postgres: count(*) returned no row");
    return rows->Int64(0, 0);
  }

  Status Ping() override { return Run(kPing, {}).status(); }

 private:
  Result<PgResult> Run(const PgStatement& statement, std::span<const PgParam> params) {
    Result<PgPool::Lease> conn = pool_.Acquire();
    if (!conn.ok()) return conn.status();
    PgDeadline deadline = steady_clock::now() + pool_.options().statement_timeout + kClientGrace;
    return (*conn)->ExecPrepared(statement, params, deadline);
  }

  Result<PhotoRecord> FindOne(const PgStatement& statement, const std::string& key,
                              const std::string& what) {
    const PgParam params[] = {key};
    Result<PgResult> rows = Run(statement, params);
    if (!rows.ok()) return rows.status();
    if (rows->rows() == 0) return Status::NotFound(what);
    return ReadPhoto(*rows, 0);
  }

  PgPool pool_;
};

}  // namespace

Result<std::unique_ptr<MetadataStore>> OpenPostgresMetadataStore(const PostgresOptions& options) {
  GALLERY_RETURN_IF_ERROR(ValidateOptions(options));
  Result<std::string> target = DescribeTarget(options.url);
  if (!target.ok()) return target.status();
  GALLERY_RETURN_IF_ERROR(Migrate(options, *target));
  PgPoolOptions pool;
  pool.url = options.url;
  pool.target = *target;
  pool.size = options.pool_size;
  pool.connect_timeout = options.connect_timeout;
  pool.statement_timeout = options.statement_timeout;
  pool.acquire_timeout = options.acquire_timeout;
  return std::unique_ptr<MetadataStore>(new PostgresMetadataStore(std::move(pool)));
}

}  // namespace gallery::db
