#include "db/sqlite/sqlite_metadata_store.hpp"

#include <condition_variable>
#include <mutex>
#include <utility>
#include <vector>

#include "common/time.hpp"
#include "db/migrations.hpp"
#include "db/photo_checks.hpp"
#include "db/sqlite/sqlite_connection.hpp"

namespace gallery::db {
namespace {

// Readers served at once; more wait for one to come back. Reads are short
// index lookups, so a few cover the blocking pool's threads.
constexpr int kReaderConnections = 4;

#define PHOTO_COLUMNS                                                                       \
  "id, filename, content_type, bytes, width, height, frames, taken_at_ms, uploaded_at_ms, " \
  "sha256, exif_json, original_key, thumb_key, preview_key"

constexpr std::string_view kInsertPhoto =
    "INSERT INTO photos (" PHOTO_COLUMNS
    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
constexpr std::string_view kGetPhoto = "SELECT " PHOTO_COLUMNS " FROM photos WHERE id = ?1";
constexpr std::string_view kFindBySha256 = "SELECT " PHOTO_COLUMNS " FROM photos WHERE sha256 = ?1";
// Keyset pagination over the photos_newest_first index: a row-value
// comparison is one index range scan, however deep the page.
constexpr std::string_view kListFirstPage =
    "SELECT " PHOTO_COLUMNS " FROM photos ORDER BY sort_at_ms DESC, id DESC LIMIT ?1";
constexpr std::string_view kListAfter =
    "SELECT " PHOTO_COLUMNS
    " FROM photos WHERE (sort_at_ms, id) < (?1, ?2) ORDER BY sort_at_ms DESC, id DESC LIMIT ?3";
constexpr std::string_view kDeletePhoto = "DELETE FROM photos WHERE id = ?1";
constexpr std::string_view kCountPhotos = "SELECT count(*) FROM photos";
constexpr std::string_view kPing = "SELECT version FROM schema_migrations LIMIT 1";

#undef PHOTO_COLUMNS

PhotoRecord ReadPhoto(const SqliteStatement& row) {
  PhotoRecord p;
  p.id = row.Text(0);
  p.filename = row.Text(1);
  p.content_type = row.Text(2);
  p.bytes = static_cast<uint64_t>(row.Int64(3));
  p.width = static_cast<int>(row.Int64(4));
  p.height = static_cast<int>(row.Int64(5));
  p.frames = static_cast<int>(row.Int64(6));
  if (!row.IsNull(7)) p.taken_at = FromUnixMillis(row.Int64(7));
  p.uploaded_at = FromUnixMillis(row.Int64(8));
  p.sha256 = row.Text(9);
  p.exif_json = row.Text(10);
  p.original_key = row.Text(11);
  p.thumb_key = row.Text(12);
  p.preview_key = row.Text(13);
  return p;
}

// Applies migrations through the writer connection. BEGIN IMMEDIATE takes
// the write lock first, so two processes opening a new file at once apply
// each migration once: the second finds it recorded and does nothing.
class SqliteMigrationTarget final : public MigrationTarget {
 public:
  explicit SqliteMigrationTarget(SqliteConnection* conn) : conn_(conn) {}

  Result<std::map<int, std::string>> AppliedMigrations() override {
    GALLERY_RETURN_IF_ERROR(
        conn_->Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " version INTEGER NOT NULL PRIMARY KEY,"
                    " name TEXT NOT NULL,"
                    " applied_at_ms INTEGER NOT NULL) STRICT"));
    Result<SqliteStatement> stmt = conn_->Prepare("SELECT version, name FROM schema_migrations");
    if (!stmt.ok()) return stmt.status();
    std::map<int, std::string> applied;
    while (true) {
      Result<bool> row = stmt->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      applied[static_cast<int>(stmt->Int64(0))] = stmt->Text(1);
    }
    return applied;
  }

  Status Apply(const Migration& migration) override {
    GALLERY_RETURN_IF_ERROR(conn_->Exec("BEGIN IMMEDIATE"));
    Status s = ApplyInTransaction(migration);
    if (!s.ok()) {
      (void)conn_->Exec("ROLLBACK");  // the first error is the one to report
      return s;
    }
    return conn_->Exec("COMMIT");
  }

 private:
  Status ApplyInTransaction(const Migration& migration) {
    {
      Result<SqliteStatement> check =
          conn_->Prepare("SELECT 1 FROM schema_migrations WHERE version = ?1");
      if (!check.ok()) return check.status();
      check->Bind(1, int64_t{migration.version});
      Result<bool> recorded = check->Step();
      if (!recorded.ok()) return recorded.status();
      if (*recorded) return Status::Ok();  // another process applied it meanwhile
    }
    GALLERY_RETURN_IF_ERROR(conn_->Exec(migration.sql));
    Result<SqliteStatement> record = conn_->Prepare(
        "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?1, ?2, ?3)");
    if (!record.ok()) return record.status();
    record->Bind(1, int64_t{migration.version});
    record->Bind(2, migration.name);
    record->Bind(3, ToUnixMillis(Clock::now()));
    Result<bool> done = record->Step();
    return done.status();
  }

  SqliteConnection* conn_;
};

class SqliteMetadataStore final : public MetadataStore {
 public:
  SqliteMetadataStore(std::unique_ptr<SqliteConnection> writer,
                      std::vector<std::unique_ptr<SqliteConnection>> readers)
      : writer_(std::move(writer)), idle_readers_(std::move(readers)) {}

  Status InsertPhoto(const PhotoRecord& photo) override {
    GALLERY_RETURN_IF_ERROR(CheckPhotoForInsert(photo));
    std::lock_guard<std::mutex> lock(write_mu_);
    // A single statement in autocommit mode is one transaction.
    Result<SqliteStatement> stmt = writer_->Prepare(kInsertPhoto);
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, photo.id);
    stmt->Bind(2, photo.filename);
    stmt->Bind(3, photo.content_type);
    stmt->Bind(4, static_cast<int64_t>(photo.bytes));
    stmt->Bind(5, int64_t{photo.width});
    stmt->Bind(6, int64_t{photo.height});
    stmt->Bind(7, int64_t{photo.frames});
    if (photo.taken_at) {
      stmt->Bind(8, ToUnixMillis(*photo.taken_at));
    } else {
      stmt->BindNull(8);
    }
    stmt->Bind(9, ToUnixMillis(photo.uploaded_at));
    stmt->Bind(10, photo.sha256);
    stmt->Bind(11, photo.exif_json);
    stmt->Bind(12, photo.original_key);
    stmt->Bind(13, photo.thumb_key);
    stmt->Bind(14, photo.preview_key);
    return stmt->Step().status();
  }

  Result<PhotoRecord> GetPhoto(const std::string& id) override {
    return FindOne(kGetPhoto, id, "photo " + id);
  }

  Result<PhotoRecord> FindPhotoBySha256(const std::string& sha256) override {
    return FindOne(kFindBySha256, sha256, "photo with sha256 " + sha256);
  }

  Result<PhotoPage> ListPhotos(const std::optional<PhotoCursor>& after, int limit) override {
    GALLERY_RETURN_IF_ERROR(CheckListLimit(limit));
    ReaderLease reader(this);
    Result<SqliteStatement> stmt = reader->Prepare(after ? kListAfter : kListFirstPage);
    if (!stmt.ok()) return stmt.status();
    int limit_index = 1;
    if (after) {
      stmt->Bind(1, ToUnixMillis(after->sort_time));
      stmt->Bind(2, after->id);
      limit_index = 3;
    }
    // One row more than asked tells whether another page follows.
    stmt->Bind(limit_index, int64_t{limit} + 1);
    PhotoPage page;
    while (true) {
      Result<bool> row = stmt->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      if (static_cast<int>(page.photos.size()) == limit) {
        const PhotoRecord& last = page.photos.back();
        page.next = PhotoCursor{last.SortTime(), last.id};
        break;
      }
      page.photos.push_back(ReadPhoto(*stmt));
    }
    return page;
  }

  Status DeletePhoto(const std::string& id) override {
    std::lock_guard<std::mutex> lock(write_mu_);
    Result<SqliteStatement> stmt = writer_->Prepare(kDeletePhoto);
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, id);
    Result<bool> done = stmt->Step();
    if (!done.ok()) return done.status();
    if (writer_->Changes() == 0) return Status::NotFound("photo " + id);
    return Status::Ok();
  }

  Result<int64_t> CountPhotos() override {
    ReaderLease reader(this);
    Result<SqliteStatement> stmt = reader->Prepare(kCountPhotos);
    if (!stmt.ok()) return stmt.status();
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Internal("sqlite: count(*) returned no row");
    return stmt->Int64(0);
  }

  Status Ping() override {
    ReaderLease reader(this);
    Result<SqliteStatement> stmt = reader->Prepare(kPing);
    if (!stmt.ok()) return stmt.status();
    return stmt->Step().status();
  }

 private:
  // Borrows an idle reader connection for its lifetime, waiting for one if
  // all are busy.
  class ReaderLease {
   public:
    explicit ReaderLease(SqliteMetadataStore* store) : store_(store) {
      std::unique_lock<std::mutex> lock(store_->readers_mu_);
      store_->reader_returned_.wait(lock, [this] { return !store_->idle_readers_.empty(); });
      conn_ = std::move(store_->idle_readers_.back());
      store_->idle_readers_.pop_back();
    }
    ~ReaderLease() {
      {
        std::lock_guard<std::mutex> lock(store_->readers_mu_);
        store_->idle_readers_.push_back(std::move(conn_));
      }
      store_->reader_returned_.notify_one();
    }
    ReaderLease(const ReaderLease&) = delete;
    ReaderLease& operator=(const ReaderLease&) = delete;

    SqliteConnection* operator->() const { return conn_.get(); }

   private:
    SqliteMetadataStore* store_;
    std::unique_ptr<SqliteConnection> conn_;
  };

  Result<PhotoRecord> FindOne(std::string_view sql, const std::string& key,
                              const std::string& what) {
    ReaderLease reader(this);
    Result<SqliteStatement> stmt = reader->Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, key);
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound(what);
    return ReadPhoto(*stmt);
  }

  std::mutex write_mu_;
  std::unique_ptr<SqliteConnection> writer_;  // GUARDED_BY(write_mu_)

  std::mutex readers_mu_;
  std::condition_variable reader_returned_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_readers_;  // GUARDED_BY(readers_mu_)
};

}  // namespace

Result<std::unique_ptr<MetadataStore>> OpenSqliteMetadataStore(const std::string& path) {
  Result<std::unique_ptr<SqliteConnection>> writer =
      SqliteConnection::Open(path, SqliteConnection::Role::kWriter);
  if (!writer.ok()) return writer.status();
  {
    // WAL is a property of the file: set once here, every later connection
    // (and process) uses it.
    Result<SqliteStatement> wal = (*writer)->Prepare("PRAGMA journal_mode = WAL");
    if (!wal.ok()) return wal.status().WithContext(path);
    Result<bool> row = wal->Step();
    if (!row.ok()) return row.status().WithContext(path);
    if (!*row || wal->Text(0) != "wal") {
      return Status::IoError("sqlite: " + path + ": cannot use WAL mode (journal_mode is " +
                             (*row ? wal->Text(0) : std::string("unknown")) + ")");
    }
  }
  SqliteMigrationTarget target(writer->get());
  Status migrated = RunMigrations(SqliteMigrations(), target);
  if (!migrated.ok()) return migrated.WithContext(path);

  std::vector<std::unique_ptr<SqliteConnection>> readers;
  for (int i = 0; i < kReaderConnections; ++i) {
    Result<std::unique_ptr<SqliteConnection>> reader =
        SqliteConnection::Open(path, SqliteConnection::Role::kReader);
    if (!reader.ok()) return reader.status();
    readers.push_back(std::move(*reader));
  }
  return std::unique_ptr<MetadataStore>(
      new SqliteMetadataStore(std::move(*writer), std::move(readers)));
}

}  // namespace gallery::db
