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

class PostgresMetadataStore final : public MetadataStore {
 public:
  explicit PostgresMetadataStore(std::shared_ptr<PostgresDatabase> db) : db_(std::move(db)) {}

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
    return db_->Run(statement, params);
  }

  Result<PhotoRecord> FindOne(const PgStatement& statement, const std::string& key,
                              const std::string& what) {
    const PgParam params[] = {key};
    Result<PgResult> rows = Run(statement, params);
    if (!rows.ok()) return rows.status();
    if (rows->rows() == 0) return Status::NotFound(what);
    return ReadPhoto(*rows, 0);
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
