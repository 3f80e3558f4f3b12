// AlbumStore over PostgreSQL: see album_store.hpp for the contract and
// postgres_database.hpp for the connections.
//
// Every change to an album's photos or fields runs in one transaction that
// first locks the album's row (SELECT ... FOR UPDATE). Changes to one album
// are so serialised across every instance sharing the database, as under
// SQLite's single writer: two AddPhotos never read the same last position,
// and a move or reorder never sees half of another. Changes to different
// albums do not wait for each other.
//
// Lists of photo ids travel as one text[] parameter, so a call costs a few
// round trips however many photos it names.

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "db/album_store_checks.hpp"
#include "db/photo_checks.hpp"
#include "db/postgres/pg_rows.hpp"
#include "db/postgres/postgres_database.hpp"

namespace gallery::db {
namespace {

#define ALBUM_SELECT                                                                     \
  "SELECT a.id, a.owner_id, a.title, a.description, a.cover_photo_id, a.created_at_ms, " \
  "a.updated_at_ms, (SELECT count(*) FROM album_photos ap WHERE ap.album_id = a.id) "    \
  "FROM albums a "

constexpr PgStatement kInsertAlbum{
    "gallery_albums_insert",
    "INSERT INTO albums (id, owner_id, title, description, cover_photo_id, created_at_ms,"
    " updated_at_ms) VALUES ($1, $2, $3, $4, NULL, $5, $6)"};
constexpr PgStatement kGetAlbum{"gallery_albums_get", ALBUM_SELECT "WHERE a.id = $1"};
// Taken first by every change to an album: see the top of the file.
constexpr PgStatement kLockAlbum{"gallery_albums_lock",
                                 "SELECT 1 FROM albums WHERE id = $1 FOR UPDATE"};
constexpr PgStatement kAlbumExists{"gallery_albums_exists", "SELECT 1 FROM albums WHERE id = $1"};
constexpr PgStatement kUpdateAlbum{
    "gallery_albums_update",
    "UPDATE albums SET title = coalesce($2, title), description = coalesce($3, description),"
    " cover_photo_id = CASE WHEN $4::boolean THEN $5 ELSE cover_photo_id END, updated_at_ms = $6"
    " WHERE id = $1"};
constexpr PgStatement kTouchAlbum{"gallery_albums_touch",
                                  "UPDATE albums SET updated_at_ms = $2 WHERE id = $1"};
// After removals: also clears a cover that is no longer in the album.
constexpr PgStatement kTouchAlbumAfterRemoval{
    "gallery_albums_touch_after_removal",
    "UPDATE albums SET updated_at_ms = $2, cover_photo_id = CASE WHEN EXISTS"
    " (SELECT 1 FROM album_photos ap"
    " WHERE ap.album_id = $1 AND ap.photo_id = albums.cover_photo_id)"
    " THEN cover_photo_id END WHERE id = $1"};
constexpr PgStatement kDeleteAlbum{"gallery_albums_delete", "DELETE FROM albums WHERE id = $1"};
// id is COLLATE "C", so ties break in byte order, as in SQLite.
constexpr PgStatement kListAlbumsFirst{
    "gallery_albums_list",
    ALBUM_SELECT "WHERE a.owner_id = $1 ORDER BY a.created_at_ms DESC, a.id DESC LIMIT $2"};
constexpr PgStatement kListAlbumsAfter{
    "gallery_albums_list_after", ALBUM_SELECT
    "WHERE a.owner_id = $1 AND (a.created_at_ms, a.id) < ($2, $3)"
    " ORDER BY a.created_at_ms DESC, a.id DESC LIMIT $4"};

constexpr PgStatement kMemberPosition{
    "gallery_album_photos_position",
    "SELECT position FROM album_photos WHERE album_id = $1 AND photo_id = $2"};
// The first of the ids ($1, a text[]) that names no photo, if any.
constexpr PgStatement kFirstMissingPhoto{
    "gallery_album_photos_first_missing",
    "SELECT u.id FROM unnest($1::text[]) WITH ORDINALITY AS u (id, n)"
    " WHERE NOT EXISTS (SELECT 1 FROM photos p WHERE p.id = u.id) ORDER BY u.n LIMIT 1"};
// Appends the ids ($2) not yet in the album after its last position, in the
// order of their first appearance in the list. Returns one row per photo
// added.
constexpr PgStatement kAppendMembers{
    "gallery_album_photos_append",
    "INSERT INTO album_photos (album_id, photo_id, position, added_at_ms)"
    " SELECT $1::text, fresh.id, (SELECT coalesce(max(position), 0) FROM album_photos"
    " WHERE album_id = $1) + $3::bigint * row_number() OVER (ORDER BY fresh.n), $4::bigint"
    " FROM (SELECT u.id, min(u.n) AS n FROM unnest($2::text[]) WITH ORDINALITY AS u (id, n)"
    " WHERE NOT EXISTS (SELECT 1 FROM album_photos ap"
    " WHERE ap.album_id = $1 AND ap.photo_id = u.id)"
    " GROUP BY u.id) AS fresh"};
constexpr PgStatement kDeleteMembers{
    "gallery_album_photos_delete",
    "DELETE FROM album_photos WHERE album_id = $1 AND photo_id = ANY ($2::text[])"};
constexpr PgStatement kCountMembers{"gallery_album_photos_count",
                                    "SELECT count(*) FROM album_photos WHERE album_id = $1"};
constexpr PgStatement kSetPosition{
    "gallery_album_photos_set_position",
    "UPDATE album_photos SET position = $3 WHERE album_id = $1 AND photo_id = $2"};
// Positions step, 2 step, ... in the order of the ids ($2). Changes one row
// per id that is in the album.
constexpr PgStatement kSetOrder{
    "gallery_album_photos_set_order",
    "UPDATE album_photos SET position = u.n * $3::bigint"
    " FROM unnest($2::text[]) WITH ORDINALITY AS u (id, n)"
    " WHERE album_photos.album_id = $1 AND album_photos.photo_id = u.id"};
// The first photo after (position, photo_id) other than the one moving.
constexpr PgStatement kNextMember{
    "gallery_album_photos_next",
    "SELECT position FROM album_photos WHERE album_id = $1 AND (position, photo_id) > ($2, $3)"
    " AND photo_id <> $4 ORDER BY position, photo_id LIMIT 1"};
constexpr PgStatement kFirstMember{
    "gallery_album_photos_first",
    "SELECT position FROM album_photos WHERE album_id = $1 AND photo_id <> $2"
    " ORDER BY position, photo_id LIMIT 1"};
// Spreads the album's positions evenly again, keeping the order.
constexpr PgStatement kRenumber{
    "gallery_album_photos_renumber",
    "UPDATE album_photos SET position = r.n * $2::bigint FROM (SELECT photo_id, row_number() OVER"
    " (ORDER BY position, photo_id) AS n FROM album_photos WHERE album_id = $1) AS r"
    " WHERE album_photos.album_id = $1 AND album_photos.photo_id = r.photo_id"};
// An album's page in one statement (one snapshot): no row when the album
// does not exist, one row of NULLs when the page is empty.
#define MEMBERS_OF_ALBUM(after)                                                      \
  "SELECT m.position, m.photo_id FROM albums a LEFT JOIN LATERAL (SELECT position, " \
  "photo_id FROM album_photos WHERE album_id = a.id " after                          \
  " ORDER BY position, photo_id LIMIT $2) AS m ON true WHERE a.id = $1 "             \
  "ORDER BY m.position, m.photo_id"
constexpr PgStatement kListMembersFirst{"gallery_album_photos_list", MEMBERS_OF_ALBUM("")};
constexpr PgStatement kListMembersAfter{"gallery_album_photos_list_after",
                                        MEMBERS_OF_ALBUM("AND (position, photo_id) > ($3, $4)")};
#undef MEMBERS_OF_ALBUM

constexpr PgStatement kAlbumsOfPhoto{"gallery_album_photos_albums_of",
                                     "SELECT album_id FROM album_photos WHERE photo_id = $1"};

#undef ALBUM_SELECT

using Transaction = PostgresDatabase::Transaction;

AlbumRecord ReadAlbum(PgRow& row) {
  AlbumRecord a;
  a.id = row.Text(0);
  a.owner_id = row.Text(1);
  a.title = row.Text(2);
  a.description = row.Text(3);
  a.cover_photo_id = row.OptionalText(4);
  a.created_at = row.Millis(5);
  a.updated_at = row.Millis(6);
  a.photo_count = row.Int64(7);
  return a;
}

AlbumPhotoCursor ReadMember(PgRow& row) { return {row.Int64(0), row.Text(1)}; }

int64_t ReadPosition(PgRow& row) { return row.Int64(0); }

// Locks the album's row until the transaction ends; kNotFound when there is
// no such album.
Status LockAlbum(Transaction& tx, const std::string& album_id) {
  const PgParam params[] = {album_id};
  Result<PgResult> rows = tx.Run(kLockAlbum, params);
  if (!rows.ok()) return rows.status();
  if (rows->rows() == 0) return Status::NotFound("album " + album_id);
  return Status::Ok();
}

// The photo's position in the album; nullopt when it is not in it.
Result<std::optional<int64_t>> PositionOf(Transaction& tx, const std::string& album_id,
                                          const std::string& photo_id) {
  const PgParam params[] = {album_id, photo_id};
  Result<int64_t> position = PgReadOne(tx.Run(kMemberPosition, params), "", ReadPosition);
  if (position.code() == ErrorCode::kNotFound) return std::optional<int64_t>();
  if (!position.ok()) return position.status();
  return std::optional<int64_t>(*position);
}

Status TouchAlbum(Transaction& tx, const std::string& album_id, Clock::time_point at) {
  const PgParam params[] = {album_id, PgMillis(at)};
  return tx.Run(kTouchAlbum, params).status();
}

class PostgresAlbumStore final : public AlbumStore {
 public:
  explicit PostgresAlbumStore(std::shared_ptr<PostgresDatabase> db) : db_(std::move(db)) {}

  Status CreateAlbum(const AlbumRecord& album) override {
    GALLERY_RETURN_IF_ERROR(CheckAlbumForCreate(album));
    const PgParam params[] = {album.id,
                              album.owner_id,
                              album.title,
                              album.description,
                              PgMillis(album.created_at),
                              PgMillis(album.updated_at)};
    Status s = db_->Run(kInsertAlbum, params).status();
    if (s.code() == ErrorCode::kConflict) return Status::NotFound("user " + album.owner_id);
    return s;
  }

  Result<AlbumRecord> GetAlbum(const std::string& id) override {
    const PgParam params[] = {id};
    return PgReadOne(db_->Run(kGetAlbum, params), "album " + id, ReadAlbum);
  }

  Status UpdateAlbum(const std::string& id, const AlbumUpdate& update,
                     Clock::time_point at) override {
    GALLERY_RETURN_IF_ERROR(CheckAlbumUpdate(update));
    const bool set_cover = update.cover_photo_id.has_value();
    const PgParam new_cover = set_cover ? *update.cover_photo_id : std::nullopt;
    Status s = db_->InTransaction([&](Transaction& tx) -> Status {
      GALLERY_RETURN_IF_ERROR(LockAlbum(tx, id));
      if (new_cover) {
        Result<std::optional<int64_t>> member = PositionOf(tx, id, *new_cover);
        if (!member.ok()) return member.status();
        if (!*member) {
          return Status::InvalidArgument("cover photo " + *new_cover + " is not in album " + id);
        }
      }
      const PgParam params[] = {id,        update.title, update.description, PgBool(set_cover),
                                new_cover, PgMillis(at)};
      return tx.Run(kUpdateAlbum, params).status();
    });
    // The cover's photo row deleted between the check and the update (its
    // delete does not take the album's lock): it is no longer in the album.
    if (s.code() == ErrorCode::kConflict) {
      return Status::InvalidArgument("cover photo " + new_cover.value_or("") + " is not in album " +
                                     id);
    }
    return s;
  }

  Status DeleteAlbum(const std::string& id) override {
    const PgParam params[] = {id};
    Result<PgResult> done = db_->Run(kDeleteAlbum, params);
    if (!done.ok()) return done.status();
    if (done->AffectedRows() == 0) return Status::NotFound("album " + id);
    return Status::Ok();
  }

  Result<AlbumPage> ListAlbums(const std::string& owner_id, const std::optional<AlbumCursor>& after,
                               int limit) override {
    GALLERY_RETURN_IF_ERROR(CheckListLimit(limit));
    const PgParam fetch = PgInt(int64_t{limit} + 1);  // one more tells whether a page follows
    Result<PgResult> rows = Status::Internal("unset");
    if (after) {
      const PgParam params[] = {owner_id, PgMillis(after->created_at), after->id, fetch};
      rows = db_->Run(kListAlbumsAfter, params);
    } else {
      const PgParam params[] = {owner_id, fetch};
      rows = db_->Run(kListAlbumsFirst, params);
    }
    auto page = PgReadPage<AlbumCursor>(rows, limit, ReadAlbum, [](const AlbumRecord& a) {
      return AlbumCursor{a.created_at, a.id};
    });
    if (!page.ok()) return page.status();
    return AlbumPage{std::move(page->first), std::move(page->second)};
  }

  Result<int64_t> AddPhotos(const std::string& album_id, const std::vector<std::string>& photo_ids,
                            Clock::time_point at) override {
    GALLERY_RETURN_IF_ERROR(CheckPhotoIdList(photo_ids, kMaxPhotoIdsPerCall));
    if (photo_ids.empty()) return ExistsOrNotFound(album_id, 0);
    const PgParam ids = PgTextArray(photo_ids);
    int64_t added = 0;
    Status s = db_->InTransaction([&](Transaction& tx) -> Status {
      GALLERY_RETURN_IF_ERROR(LockAlbum(tx, album_id));
      // Named, rather than left to the foreign key, so the error says which.
      const PgParam check[] = {ids};
      Result<PgResult> missing = tx.Run(kFirstMissingPhoto, check);
      if (!missing.ok()) return missing.status();
      if (missing->rows() > 0) return Status::NotFound("photo " + missing->Text(0, 0));
      const PgParam params[] = {album_id, ids, PgInt(kAlbumPositionStep), PgMillis(at)};
      Result<PgResult> done = tx.Run(kAppendMembers, params);
      // A photo row deleted since the check (without the album's lock).
      if (done.code() == ErrorCode::kConflict) return Status::NotFound("a photo to add");
      if (!done.ok()) return done.status();
      added = done->AffectedRows();
      if (added > 0) return TouchAlbum(tx, album_id, at);
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return added;
  }

  Result<int64_t> RemovePhotos(const std::string& album_id,
                               const std::vector<std::string>& photo_ids,
                               Clock::time_point at) override {
    GALLERY_RETURN_IF_ERROR(CheckPhotoIdList(photo_ids, kMaxPhotoIdsPerCall));
    if (photo_ids.empty()) return ExistsOrNotFound(album_id, 0);
    int64_t removed = 0;
    Status s = db_->InTransaction([&](Transaction& tx) -> Status {
      GALLERY_RETURN_IF_ERROR(LockAlbum(tx, album_id));
      const PgParam params[] = {album_id, PgTextArray(photo_ids)};
      Result<PgResult> done = tx.Run(kDeleteMembers, params);
      if (!done.ok()) return done.status();
      removed = done->AffectedRows();
      if (removed == 0) return Status::Ok();
      const PgParam touch[] = {album_id, PgMillis(at)};
      return tx.Run(kTouchAlbumAfterRemoval, touch).status();
    });
    if (!s.ok()) return s;
    return removed;
  }

  Status MovePhoto(const std::string& album_id, const std::string& photo_id,
                   const std::optional<std::string>& after_photo_id,
                   Clock::time_point at) override {
    if (after_photo_id && *after_photo_id == photo_id) {
      return Status::InvalidArgument("a photo cannot move after itself");
    }
    return db_->InTransaction([&](Transaction& tx) -> Status {
      GALLERY_RETURN_IF_ERROR(LockAlbum(tx, album_id));
      Result<std::optional<int64_t>> own = PositionOf(tx, album_id, photo_id);
      if (!own.ok()) return own.status();
      if (!*own) return Status::NotFound("photo " + photo_id + " in album " + album_id);
      for (int attempt = 0; attempt < 2; ++attempt) {
        Result<std::optional<int64_t>> target =
            TargetPosition(tx, album_id, photo_id, after_photo_id);
        if (!target.ok()) return target.status();
        if (*target) {
          const PgParam params[] = {album_id, photo_id, PgInt(**target)};
          GALLERY_RETURN_IF_ERROR(tx.Run(kSetPosition, params).status());
          return TouchAlbum(tx, album_id, at);
        }
        // No room between the neighbours: spread the positions, try again.
        const PgParam params[] = {album_id, PgInt(kAlbumPositionStep)};
        GALLERY_RETURN_IF_ERROR(tx.Run(kRenumber, params).status());
      }
      return Status::Internal("album " + album_id + ": no room to move a photo after renumbering");
    });
  }

  Status SetOrder(const std::string& album_id, const std::vector<std::string>& photo_ids,
                  Clock::time_point at) override {
    GALLERY_RETURN_IF_ERROR(CheckPhotoIdList(photo_ids, kMaxAlbumOrderIds));
    if (std::set<std::string>(photo_ids.begin(), photo_ids.end()).size() != photo_ids.size()) {
      return Status::InvalidArgument("the new order names a photo twice");
    }
    return db_->InTransaction([&](Transaction& tx) -> Status {
      GALLERY_RETURN_IF_ERROR(LockAlbum(tx, album_id));
      const PgParam album[] = {album_id};
      Result<int64_t> count = PgReadInt(tx.Run(kCountMembers, album));
      if (!count.ok()) return count.status();
      if (*count != static_cast<int64_t>(photo_ids.size())) {
        return Status::InvalidArgument("the new order must name each of the album's " +
                                       std::to_string(*count) + " photos once");
      }
      if (photo_ids.empty()) return TouchAlbum(tx, album_id, at);
      const PgParam params[] = {album_id, PgTextArray(photo_ids), PgInt(kAlbumPositionStep)};
      Result<PgResult> done = tx.Run(kSetOrder, params);
      if (!done.ok()) return done.status();
      // As many distinct ids as the album holds, but not all of them in it
      // (returning the error rolls the positions back).
      if (done->AffectedRows() != *count) {
        return Status::InvalidArgument("the new order names photos that are not in album " +
                                       album_id);
      }
      return TouchAlbum(tx, album_id, at);
    });
  }

  Result<AlbumPhotoPage> ListAlbumPhotoIds(const std::string& album_id,
                                           const std::optional<AlbumPhotoCursor>& after,
                                           int limit) override {
    GALLERY_RETURN_IF_ERROR(CheckListLimit(limit));
    const PgParam fetch = PgInt(int64_t{limit} + 1);  // one more tells whether a page follows
    Result<PgResult> rows = Status::Internal("unset");
    if (after) {
      const PgParam params[] = {album_id, fetch, PgInt(after->position), after->photo_id};
      rows = db_->Run(kListMembersAfter, params);
    } else {
      const PgParam params[] = {album_id, fetch};
      rows = db_->Run(kListMembersFirst, params);
    }
    if (!rows.ok()) return rows.status();
    if (rows->rows() == 0) return Status::NotFound("album " + album_id);
    AlbumPhotoPage page;
    if (rows->IsNull(0, 1)) return page;  // the album, without photos (past the cursor)
    auto members = PgReadPage<AlbumPhotoCursor>(rows, limit, ReadMember,
                                                [](const AlbumPhotoCursor& m) { return m; });
    if (!members.ok()) return members.status();
    for (AlbumPhotoCursor& m : members->first) page.photo_ids.push_back(std::move(m.photo_id));
    page.next = std::move(members->second);
    return page;
  }

  Result<std::vector<std::string>> ListAlbumsOfPhoto(const std::string& photo_id) override {
    const PgParam params[] = {photo_id};
    return PgReadRows(db_->Run(kAlbumsOfPhoto, params), [](PgRow& row) { return row.Text(0); });
  }

 private:
  // `value` when the album exists, else kNotFound: the answer of a change
  // that names no photo.
  Result<int64_t> ExistsOrNotFound(const std::string& album_id, int64_t value) {
    const PgParam params[] = {album_id};
    Result<PgResult> rows = db_->Run(kAlbumExists, params);
    if (!rows.ok()) return rows.status();
    if (rows->rows() == 0) return Status::NotFound("album " + album_id);
    return value;
  }

  // Where the photo goes: just after `after_photo_id` (or first). nullopt
  // when the neighbours leave no integer between them.
  static Result<std::optional<int64_t>> TargetPosition(
      Transaction& tx, const std::string& album_id, const std::string& photo_id,
      const std::optional<std::string>& after_photo_id) {
    if (!after_photo_id) {
      const PgParam params[] = {album_id, photo_id};
      Result<int64_t> first = PgReadOne(tx.Run(kFirstMember, params), "", ReadPosition);
      if (first.code() == ErrorCode::kNotFound) return PositionOf(tx, album_id, photo_id);  // alone
      if (!first.ok()) return first.status();
      return std::optional<int64_t>(*first - kAlbumPositionStep);
    }
    Result<std::optional<int64_t>> anchor = PositionOf(tx, album_id, *after_photo_id);
    if (!anchor.ok()) return anchor.status();
    if (!*anchor) return Status::NotFound("photo " + *after_photo_id + " in album " + album_id);
    const PgParam params[] = {album_id, PgInt(**anchor), *after_photo_id, photo_id};
    Result<int64_t> next = PgReadOne(tx.Run(kNextMember, params), "", ReadPosition);
    if (next.code() == ErrorCode::kNotFound) {
      return std::optional<int64_t>(**anchor + kAlbumPositionStep);
    }
    if (!next.ok()) return next.status();
    if (*next - **anchor < 2) return std::optional<int64_t>();
    return std::optional<int64_t>(**anchor + (*next - **anchor) / 2);
  }

  std::shared_ptr<PostgresDatabase> db_;
};

}  // namespace

std::unique_ptr<AlbumStore> NewPostgresAlbumStore(std::shared_ptr<PostgresDatabase> db) {
  return std::make_unique<PostgresAlbumStore>(std::move(db));
}

}  // namespace gallery::db
