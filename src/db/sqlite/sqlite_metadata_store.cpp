#include "db/sqlite/sqlite_metadata_store.hpp"

#include <utility>

#include "common/time.hpp"
#include "db/photo_checks.hpp"
#include "db/sqlite/sqlite_connection.hpp"
#include "db/sqlite/sqlite_database.hpp"
#include "db/sqlite/sqlite_statements.hpp"

namespace gallery::db {
namespace {

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

class SqliteMetadataStore final : public MetadataStore {
 public:
  explicit SqliteMetadataStore(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}

  Status InsertPhoto(const PhotoRecord& photo) override {
    GALLERY_RETURN_IF_ERROR(CheckPhotoForInsert(photo));
    SqliteDatabase::WriterLock writer(db_.get());
    // A single statement in autocommit mode is one transaction.
    Result<SqliteStatement> stmt = writer->Prepare(kInsertPhoto);
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
    SqliteDatabase::ReaderLease reader(db_.get());
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
    SqliteDatabase::WriterLock writer(db_.get());
    Result<SqliteStatement> stmt = writer->Prepare(kDeletePhoto);
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, id);
    Result<bool> done = stmt->Step();
    if (!done.ok()) return done.status();
    if (writer->Changes() == 0) return Status::NotFound("photo " + id);
    return Status::Ok();
  }

  Result<int64_t> CountPhotos() override {
    SqliteDatabase::ReaderLease reader(db_.get());
    Result<SqliteStatement> stmt = reader->Prepare(kCountPhotos);
    if (!stmt.ok()) return stmt.status();
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Internal("sqlite: count(*) returned no row");
    return stmt->Int64(0);
  }

  Status Ping() override {
    SqliteDatabase::ReaderLease reader(db_.get());
    Result<SqliteStatement> stmt = reader->Prepare(kPing);
    if (!stmt.ok()) return stmt.status();
    return stmt->Step().status();
  }

 private:
  Result<PhotoRecord> FindOne(std::string_view sql, const std::string& key,
                              const std::string& what) {
    SqliteDatabase::ReaderLease reader(db_.get());
    return SqliteQueryOne(
        *reader, sql, what, [&key](SqliteStatement& st) { st.Bind(1, key); }, ReadPhoto);
  }

  std::shared_ptr<SqliteDatabase> db_;
};

}  // namespace

std::unique_ptr<MetadataStore> NewSqliteMetadataStore(std::shared_ptr<SqliteDatabase> db) {
  return std::make_unique<SqliteMetadataStore>(std::move(db));
}

Result<std::unique_ptr<MetadataStore>> OpenSqliteMetadataStore(const std::string& path) {
  Result<std::shared_ptr<SqliteDatabase>> db = OpenSqliteDatabase(path);
  if (!db.ok()) return db.status();
  return NewSqliteMetadataStore(std::move(*db));
}

}  // namespace gallery::db
