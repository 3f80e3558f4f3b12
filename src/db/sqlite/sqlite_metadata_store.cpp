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
  "sha256, exif_json, original_key, thumb_key, preview_key, owner_id, deleted_at_ms"

constexpr std::string_view kInsertPhoto =
    "INSERT INTO photos (" PHOTO_COLUMNS
    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, NULL)";
constexpr std::string_view kOwnerExists = "SELECT 1 FROM users WHERE id = ?1";
constexpr std::string_view kUsedBytes =
    "SELECT coalesce(sum(bytes), 0) FROM photos WHERE owner_id = ?1";
constexpr std::string_view kGetPhoto = "SELECT " PHOTO_COLUMNS " FROM photos WHERE id = ?1";
constexpr std::string_view kFindBySha256 =
    "SELECT " PHOTO_COLUMNS " FROM photos WHERE owner_id = ?1 AND sha256 = ?2";
// Keyset pagination over the photos_newest_first index: a row-value
// comparison is one index range scan, however deep the page.
constexpr std::string_view kListFirstPage =
    "SELECT " PHOTO_COLUMNS
    " FROM photos WHERE owner_id = ?1 AND deleted_at_ms IS NULL"
    " ORDER BY sort_at_ms DESC, id DESC LIMIT ?2";
constexpr std::string_view kListAfter =
    "SELECT " PHOTO_COLUMNS
    " FROM photos WHERE owner_id = ?1 AND deleted_at_ms IS NULL AND (sort_at_ms, id) < (?3, ?4)"
    " ORDER BY sort_at_ms DESC, id DESC LIMIT ?2";
constexpr std::string_view kTrashFirstPage =
    "SELECT " PHOTO_COLUMNS
    " FROM photos WHERE owner_id = ?1 AND deleted_at_ms IS NOT NULL"
    " ORDER BY deleted_at_ms DESC, id DESC LIMIT ?2";
constexpr std::string_view kTrashAfter =
    "SELECT " PHOTO_COLUMNS
    " FROM photos WHERE owner_id = ?1 AND deleted_at_ms IS NOT NULL"
    " AND (deleted_at_ms, id) < (?3, ?4) ORDER BY deleted_at_ms DESC, id DESC LIMIT ?2";
constexpr std::string_view kTrashedBefore =
    "SELECT " PHOTO_COLUMNS
    " FROM photos WHERE deleted_at_ms IS NOT NULL AND deleted_at_ms < ?1"
    " ORDER BY deleted_at_ms, id LIMIT ?2";
constexpr std::string_view kTrashPhoto =
    "UPDATE photos SET deleted_at_ms = ?2 WHERE id = ?1 AND deleted_at_ms IS NULL";
constexpr std::string_view kRestorePhoto =
    "UPDATE photos SET deleted_at_ms = NULL WHERE id = ?1 AND deleted_at_ms IS NOT NULL";
// Rows whose bytes the new owner already has stay unowned (the unique
// (owner_id, sha256) would refuse them).
constexpr std::string_view kAdoptUnowned =
    "UPDATE photos SET owner_id = ?1 WHERE owner_id IS NULL"
    " AND sha256 NOT IN (SELECT sha256 FROM photos WHERE owner_id = ?1)";
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
  if (!row.IsNull(14)) p.owner_id = row.Text(14);
  if (!row.IsNull(15)) p.deleted_at = FromUnixMillis(row.Int64(15));
  return p;
}

class SqliteMetadataStore final : public MetadataStore {
 public:
  explicit SqliteMetadataStore(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}

  Status InsertPhoto(const PhotoRecord& photo, int64_t quota_bytes) override {
    GALLERY_RETURN_IF_ERROR(CheckPhotoForInsert(photo));
    // One write transaction: the quota sum and the insert see the same
    // state, and the writer connection serialises every writer.
    return db_->WriteTransaction([&](SqliteConnection& conn) -> Status {
      const SqliteBinder owner = [&](SqliteStatement& st) { st.Bind(1, photo.owner_id); };
      Result<std::optional<int64_t>> exists = SqliteQueryInt(conn, kOwnerExists, owner);
      if (!exists.ok()) return exists.status();
      if (!*exists) return Status::NotFound("user " + photo.owner_id);
      if (quota_bytes > 0) {
        Result<std::optional<int64_t>> used = SqliteQueryInt(conn, kUsedBytes, owner);
        if (!used.ok()) return used.status();
        GALLERY_RETURN_IF_ERROR(CheckQuota(used->value_or(0), photo.bytes, quota_bytes));
      }
      return SqliteRun(conn, kInsertPhoto,
                       [&](SqliteStatement& st) {
                         st.Bind(1, photo.id);
                         st.Bind(2, photo.filename);
                         st.Bind(3, photo.content_type);
                         st.Bind(4, static_cast<int64_t>(photo.bytes));
                         st.Bind(5, int64_t{photo.width});
                         st.Bind(6, int64_t{photo.height});
                         st.Bind(7, int64_t{photo.frames});
                         if (photo.taken_at) {
                           st.Bind(8, ToUnixMillis(*photo.taken_at));
                         } else {
                           st.BindNull(8);
                         }
                         st.Bind(9, ToUnixMillis(photo.uploaded_at));
                         st.Bind(10, photo.sha256);
                         st.Bind(11, photo.exif_json);
                         st.Bind(12, photo.original_key);
                         st.Bind(13, photo.thumb_key);
                         st.Bind(14, photo.preview_key);
                         st.Bind(15, photo.owner_id);
                       })
          .status();
    });
  }

  Result<PhotoRecord> GetPhoto(const std::string& id) override {
    return FindOne(kGetPhoto, id, "photo " + id);
  }

  Result<PhotoRecord> FindPhotoBySha256(const std::string& owner_id,
                                        const std::string& sha256) override {
    SqliteDatabase::ReaderLease reader(db_.get());
    return SqliteQueryOne(
        *reader, kFindBySha256, "photo with sha256 " + sha256,
        [&](SqliteStatement& st) {
          st.Bind(1, owner_id);
          st.Bind(2, sha256);
        },
        ReadPhoto);
  }

  Result<PhotoPage> ListPhotos(const std::string& owner_id, const std::optional<PhotoCursor>& after,
                               int limit) override {
    GALLERY_RETURN_IF_ERROR(CheckListLimit(limit));
    std::optional<std::pair<int64_t, std::string>> key;
    if (after) key.emplace(ToUnixMillis(after->sort_time), after->id);
    Result<std::vector<PhotoRecord>> rows =
        ListPage(after ? kListAfter : kListFirstPage, owner_id, key, limit);
    if (!rows.ok()) return rows.status();
    return PhotoPageOf(std::move(rows).value(), limit);
  }

  Result<TrashPage> ListTrash(const std::string& owner_id, const std::optional<TrashCursor>& after,
                              int limit) override {
    GALLERY_RETURN_IF_ERROR(CheckListLimit(limit));
    std::optional<std::pair<int64_t, std::string>> key;
    if (after) key.emplace(ToUnixMillis(after->deleted_at), after->id);
    Result<std::vector<PhotoRecord>> rows =
        ListPage(after ? kTrashAfter : kTrashFirstPage, owner_id, key, limit);
    if (!rows.ok()) return rows.status();
    return TrashPageOf(std::move(rows).value(), limit);
  }

  Status TrashPhoto(const std::string& id, Clock::time_point at) override {
    return UpdateOne(kTrashPhoto, id, [&](SqliteStatement& st) {
      st.Bind(1, id);
      st.Bind(2, ToUnixMillis(at));
    });
  }

  Status RestorePhoto(const std::string& id) override {
    return UpdateOne(kRestorePhoto, id, [&](SqliteStatement& st) { st.Bind(1, id); });
  }

  Result<std::vector<PhotoRecord>> ListTrashedBefore(Clock::time_point before, int limit) override {
    GALLERY_RETURN_IF_ERROR(CheckListLimit(limit));
    SqliteDatabase::ReaderLease reader(db_.get());
    return ReadRows(*reader, kTrashedBefore, [&](SqliteStatement& st) {
      st.Bind(1, ToUnixMillis(before));
      st.Bind(2, int64_t{limit});
    });
  }

  Result<int64_t> UsedBytes(const std::string& owner_id) override {
    SqliteDatabase::ReaderLease reader(db_.get());
    Result<std::optional<int64_t>> used =
        SqliteQueryInt(*reader, kUsedBytes, [&](SqliteStatement& st) { st.Bind(1, owner_id); });
    if (!used.ok()) return used.status();
    return used->value_or(0);
  }

  Result<int64_t> AdoptUnownedPhotos(const std::string& owner_id) override {
    SqliteDatabase::WriterLock writer(db_.get());
    Result<std::optional<int64_t>> exists =
        SqliteQueryInt(*writer, kOwnerExists, [&](SqliteStatement& st) { st.Bind(1, owner_id); });
    if (!exists.ok()) return exists.status();
    if (!*exists) return Status::NotFound("user " + owner_id);
    return SqliteRun(*writer, kAdoptUnowned, [&](SqliteStatement& st) { st.Bind(1, owner_id); });
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

  static Result<std::vector<PhotoRecord>> ReadRows(SqliteConnection& conn, std::string_view sql,
                                                   const SqliteBinder& bind) {
    Result<SqliteStatement> stmt = conn.Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    bind(*stmt);
    std::vector<PhotoRecord> rows;
    while (true) {
      Result<bool> row = stmt->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      rows.push_back(ReadPhoto(*stmt));
    }
    return rows;
  }

  // One keyset page of an owner's rows: ?1 owner, ?2 limit, ?3 and ?4 the
  // cursor. Reads one row more than `limit`, which tells whether another
  // page follows.
  Result<std::vector<PhotoRecord>> ListPage(
      std::string_view sql, const std::string& owner_id,
      const std::optional<std::pair<int64_t, std::string>>& after, int limit) {
    SqliteDatabase::ReaderLease reader(db_.get());
    return ReadRows(*reader, sql, [&](SqliteStatement& st) {
      st.Bind(1, owner_id);
      st.Bind(2, int64_t{limit} + 1);
      if (after) {
        st.Bind(3, after->first);
        st.Bind(4, after->second);
      }
    });
  }

  // Runs an UPDATE of the photo `id`; kNotFound when it changed no row.
  Status UpdateOne(std::string_view sql, const std::string& id, const SqliteBinder& bind) {
    SqliteDatabase::WriterLock writer(db_.get());
    Result<int64_t> n = SqliteRun(*writer, sql, bind);
    if (!n.ok()) return n.status();
    if (*n == 0) return Status::NotFound("photo " + id + " (or not in that state)");
    return Status::Ok();
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
