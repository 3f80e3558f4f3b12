#include "db/postgres/postgres_metadata_store.hpp"

#include <array>
#include <utility>

#include "common/time.hpp"
#include "db/photo_checks.hpp"
#include "db/postgres/pg_connection.hpp"
#include "db/postgres/pg_pool.hpp"
#include "db/postgres/postgres_database.hpp"

namespace gallery::db {
namespace {

#define PHOTO_COLUMNS                                                                       \
  "id, filename, content_type, bytes, width, height, frames, taken_at_ms, uploaded_at_ms, " \
  "sha256, exif_json, original_key, thumb_key, preview_key, owner_id, deleted_at_ms"

constexpr PgStatement kInsertPhoto{
    "gallery_insert_photo",
    "INSERT INTO photos (" PHOTO_COLUMNS
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, NULL)"};
// Locks the owner's row for the rest of the transaction: inserts of one
// owner queue here, so the quota sum below cannot be raced.
constexpr PgStatement kLockOwner{"gallery_lock_photo_owner",
                                 "SELECT 1 FROM users WHERE id = $1 FOR UPDATE"};
constexpr PgStatement kUsedBytes{
    "gallery_photo_bytes_used",
    "SELECT coalesce(sum(bytes), 0)::bigint FROM photos WHERE owner_id = $1"};
constexpr PgStatement kGetPhoto{"gallery_get_photo",
                                "SELECT " PHOTO_COLUMNS " FROM photos WHERE id = $1"};
constexpr PgStatement kFindBySha256{"gallery_find_photo_by_sha256",
                                    "SELECT " PHOTO_COLUMNS
                                    " FROM photos WHERE owner_id = $1 AND sha256 = $2"};
// Keyset pagination over the partial photos_newest_first index: the row
// comparison is one index range scan, however deep the page. id is
// COLLATE "C", so ties break in byte order, as in SQLite.
constexpr PgStatement kListFirstPage{"gallery_list_photos",
                                     "SELECT " PHOTO_COLUMNS
                                     " FROM photos WHERE owner_id = $1 AND deleted_at_ms IS NULL"
                                     " ORDER BY sort_at_ms DESC, id DESC LIMIT $2"};
constexpr PgStatement kListAfter{
    "gallery_list_photos_after",
    "SELECT " PHOTO_COLUMNS
    " FROM photos WHERE owner_id = $1 AND deleted_at_ms IS NULL AND (sort_at_ms, id) < ($3, $4)"
    " ORDER BY sort_at_ms DESC, id DESC LIMIT $2"};
constexpr PgStatement kTrashFirstPage{
    "gallery_list_trash", "SELECT " PHOTO_COLUMNS
                          " FROM photos WHERE owner_id = $1 AND deleted_at_ms IS NOT NULL"
                          " ORDER BY deleted_at_ms DESC, id DESC LIMIT $2"};
constexpr PgStatement kTrashAfter{
    "gallery_list_trash_after",
    "SELECT " PHOTO_COLUMNS
    " FROM photos WHERE owner_id = $1 AND deleted_at_ms IS NOT NULL"
    " AND (deleted_at_ms, id) < ($3, $4) ORDER BY deleted_at_ms DESC, id DESC LIMIT $2"};
constexpr PgStatement kTrashedBefore{
    "gallery_list_trashed_before",
    "SELECT " PHOTO_COLUMNS
    " FROM photos WHERE deleted_at_ms IS NOT NULL AND deleted_at_ms < $1"
    " ORDER BY deleted_at_ms, id LIMIT $2"};
constexpr PgStatement kTrashPhoto{
    "gallery_trash_photo",
    "UPDATE photos SET deleted_at_ms = $2 WHERE id = $1 AND deleted_at_ms IS NULL"};
constexpr PgStatement kRestorePhoto{
    "gallery_restore_photo",
    "UPDATE photos SET deleted_at_ms = NULL WHERE id = $1 AND deleted_at_ms IS NOT NULL"};
constexpr PgStatement kOwnerExists{"gallery_photo_owner_exists",
                                   "SELECT 1 FROM users WHERE id = $1"};
// Rows whose bytes the new owner already has stay unowned (the unique
// (owner_id, sha256) would refuse them).
constexpr PgStatement kAdoptUnowned{
    "gallery_adopt_unowned_photos",
    "UPDATE photos SET owner_id = $1 WHERE owner_id IS NULL"
    " AND sha256 NOT IN (SELECT sha256 FROM photos WHERE owner_id = $1)"};
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
  if (!r.IsNull(row, 14)) p.owner_id = r.Text(row, 14);
  if (!r.IsNull(row, 15)) {
    Result<int64_t> deleted = r.Int64(row, 15);
    if (!deleted.ok()) return deleted.status();
    p.deleted_at = FromUnixMillis(*deleted);
  }
  return p;
}

class PostgresMetadataStore final : public MetadataStore {
 public:
  explicit PostgresMetadataStore(std::shared_ptr<PostgresDatabase> db) : db_(std::move(db)) {}

  Status InsertPhoto(const PhotoRecord& photo, int64_t quota_bytes) override {
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
        photo.owner_id,
    };
    const PgParam owner[] = {photo.owner_id};
    return db_->InTransaction([&](PostgresDatabase::Transaction& tx) -> Status {
      Result<PgResult> locked = tx.Run(kLockOwner, owner);
      if (!locked.ok()) return locked.status();
      if (locked->rows() == 0) return Status::NotFound("user " + photo.owner_id);
      if (quota_bytes > 0) {
        Result<PgResult> used = tx.Run(kUsedBytes, owner);
        if (!used.ok()) return used.status();
        Result<int64_t> bytes = used->Int64(0, 0);
        if (!bytes.ok()) return bytes.status();
        GALLERY_RETURN_IF_ERROR(CheckQuota(*bytes, photo.bytes, quota_bytes));
      }
      return tx.Run(kInsertPhoto, params).status();
    });
  }

  Result<PhotoRecord> GetPhoto(const std::string& id) override {
    const PgParam params[] = {id};
    return FindOne(kGetPhoto, params, "photo " + id);
  }

  Result<PhotoRecord> FindPhotoBySha256(const std::string& owner_id,
                                        const std::string& sha256) override {
    const PgParam params[] = {owner_id, sha256};
    return FindOne(kFindBySha256, params, "photo with sha256 " + sha256);
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
    const PgParam params[] = {id, std::to_string(ToUnixMillis(at))};
    return UpdateOne(kTrashPhoto, params, id);
  }

  Status RestorePhoto(const std::string& id) override {
    const PgParam params[] = {id};
    return UpdateOne(kRestorePhoto, params, id);
  }

  Result<std::vector<PhotoRecord>> ListTrashedBefore(Clock::time_point before, int limit) override {
    GALLERY_RETURN_IF_ERROR(CheckListLimit(limit));
    const PgParam params[] = {std::to_string(ToUnixMillis(before)), std::to_string(limit)};
    Result<PgResult> rows = Run(kTrashedBefore, params);
    if (!rows.ok()) return rows.status();
    return ReadRows(*rows);
  }

  Result<int64_t> UsedBytes(const std::string& owner_id) override {
    const PgParam params[] = {owner_id};
    Result<PgResult> rows = Run(kUsedBytes, params);
    if (!rows.ok()) return rows.status();
    return rows->Int64(0, 0);
  }

  Result<int64_t> AdoptUnownedPhotos(const std::string& owner_id) override {
    const PgParam params[] = {owner_id};
    Result<PgResult> exists = Run(kOwnerExists, params);
    if (!exists.ok()) return exists.status();
    if (exists->rows() == 0) return Status::NotFound("user " + owner_id);
    Result<PgResult> done = Run(kAdoptUnowned, params);
    if (!done.ok()) return done.status();
    return done->AffectedRows();
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
    return db_->Run(statement, params);
  }

  Result<PhotoRecord> FindOne(const PgStatement& statement, std::span<const PgParam> params,
                              const std::string& what) {
    Result<PgResult> rows = Run(statement, params);
    if (!rows.ok()) return rows.status();
    if (rows->rows() == 0) return Status::NotFound(what);
    return ReadPhoto(*rows, 0);
  }

  static Result<std::vector<PhotoRecord>> ReadRows(const PgResult& rows) {
    std::vector<PhotoRecord> photos;
    photos.reserve(rows.rows());
    for (int i = 0; i < rows.rows(); ++i) {
      Result<PhotoRecord> photo = ReadPhoto(rows, i);
      if (!photo.ok()) return photo.status();
      photos.push_back(std::move(*photo));
    }
    return photos;
  }

  // One keyset page of an owner's rows: $1 owner, $2 limit, $3 and $4 the
  // cursor. Reads one row more than `limit`, which tells whether another
  // page follows.
  Result<std::vector<PhotoRecord>> ListPage(
      const PgStatement& statement, const std::string& owner_id,
      const std::optional<std::pair<int64_t, std::string>>& after, int limit) {
    const std::string fetch = std::to_string(limit + 1);
    Result<PgResult> rows = Status::Internal("unset");
    if (after) {
      const PgParam params[] = {owner_id, fetch, std::to_string(after->first), after->second};
      rows = Run(statement, params);
    } else {
      const PgParam params[] = {owner_id, fetch};
      rows = Run(statement, params);
    }
    if (!rows.ok()) return rows.status();
    return ReadRows(*rows);
  }

  // Runs an UPDATE of the photo `id`; kNotFound when it changed no row.
  Status UpdateOne(const PgStatement& statement, std::span<const PgParam> params,
                   const std::string& id) {
    Result<PgResult> done = Run(statement, params);
    if (!done.ok()) return done.status();
    if (done->AffectedRows() == 0)
      return Status::NotFound("photo " + id + " (or not in that state)");
    return Status::Ok();
  }

  std::shared_ptr<PostgresDatabase> db_;
};

}  // namespace

std::unique_ptr<MetadataStore> NewPostgresMetadataStore(std::shared_ptr<PostgresDatabase> db) {
  return std::make_unique<PostgresMetadataStore>(std::move(db));
}

Result<std::unique_ptr<MetadataStore>> OpenPostgresMetadataStore(const PostgresOptions& options) {
  Result<std::shared_ptr<PostgresDatabase>> db = OpenPostgresDatabase(options);
  if (!db.ok()) return db.status();
  return NewPostgresMetadataStore(std::move(*db));
}

}  // namespace gallery::db
