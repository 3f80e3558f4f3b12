// AlbumStore over SQLite: see album_store.hpp for the contract and
// sqlite_database.hpp for the connections. Every change to an album runs in
// one write transaction.

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/time.hpp"
#include "db/album_store_checks.hpp"
#include "db/photo_checks.hpp"
#include "db/sqlite/sqlite_database.hpp"
#include "db/sqlite/sqlite_statements.hpp"

namespace gallery::db {
namespace {

#define ALBUM_SELECT                                                                     \
  "SELECT a.id, a.owner_id, a.title, a.description, a.cover_photo_id, a.created_at_ms, " \
  "a.updated_at_ms, (SELECT count(*) FROM album_photos ap WHERE ap.album_id = a.id) "    \
  "FROM albums a "

constexpr std::string_view kInsertAlbum =
    "INSERT INTO albums (id, owner_id, title, description, cover_photo_id, created_at_ms,"
    " updated_at_ms) VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?6)";
constexpr std::string_view kGetAlbum = ALBUM_SELECT "WHERE a.id = ?1";
constexpr std::string_view kAlbumExists = "SELECT 1 FROM albums WHERE id = ?1";
constexpr std::string_view kUpdateAlbum =
    "UPDATE albums SET title = coalesce(?2, title), description = coalesce(?3, description),"
    " cover_photo_id = CASE WHEN ?4 THEN ?5 ELSE cover_photo_id END, updated_at_ms = ?6"
    " WHERE id = ?1";
constexpr std::string_view kTouchAlbum = "UPDATE albums SET updated_at_ms = ?2 WHERE id = ?1";
constexpr std::string_view kDeleteAlbum = "DELETE FROM albums WHERE id = ?1";
constexpr std::string_view kListAlbumsFirst =
    ALBUM_SELECT "WHERE a.owner_id = ?1 ORDER BY a.created_at_ms DESC, a.id DESC LIMIT ?2";
constexpr std::string_view kListAlbumsAfter = ALBUM_SELECT
    "WHERE a.owner_id = ?1 AND (a.created_at_ms, a.id) < (?2, ?3)"
    " ORDER BY a.created_at_ms DESC, a.id DESC LIMIT ?4";

constexpr std::string_view kMemberPosition =
    "SELECT position FROM album_photos WHERE album_id = ?1 AND photo_id = ?2";
constexpr std::string_view kLastPosition =
    "SELECT coalesce(max(position), 0) FROM album_photos WHERE album_id = ?1";
constexpr std::string_view kCountMembers = "SELECT count(*) FROM album_photos WHERE album_id = ?1";
constexpr std::string_view kInsertMember =
    "INSERT INTO album_photos (album_id, photo_id, position, added_at_ms)"
    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING";
constexpr std::string_view kDeleteMember =
    "DELETE FROM album_photos WHERE album_id = ?1 AND photo_id = ?2";
// After removals: a cover that is no longer in the album is cleared.
constexpr std::string_view kClearStaleCover =
    "UPDATE albums SET cover_photo_id = NULL WHERE id = ?1 AND cover_photo_id IS NOT NULL"
    " AND NOT EXISTS (SELECT 1 FROM album_photos ap"
    " WHERE ap.album_id = ?1 AND ap.photo_id = albums.cover_photo_id)";
constexpr std::string_view kSetPosition =
    "UPDATE album_photos SET position = ?3 WHERE album_id = ?1 AND photo_id = ?2";
// The first photo after (position, photo_id) other than the one moving.
constexpr std::string_view kNextMember =
    "SELECT position FROM album_photos WHERE album_id = ?1 AND (position, photo_id) > (?2, ?3)"
    " AND photo_id <> ?4 ORDER BY position, photo_id LIMIT 1";
constexpr std::string_view kFirstMember =
    "SELECT position FROM album_photos WHERE album_id = ?1 AND photo_id <> ?2"
    " ORDER BY position, photo_id LIMIT 1";
// Spreads the album's positions evenly again, keeping the order.
constexpr std::string_view kRenumber =
    "UPDATE album_photos SET position = r.n * ?2 FROM (SELECT photo_id, row_number() OVER"
    " (ORDER BY position, photo_id) AS n FROM album_photos WHERE album_id = ?1) AS r"
    " WHERE album_photos.album_id = ?1 AND album_photos.photo_id = r.photo_id";
constexpr std::string_view kListMembersFirst =
    "SELECT position, photo_id FROM album_photos WHERE album_id = ?1"
    " ORDER BY position, photo_id LIMIT ?2";
constexpr std::string_view kListMembersAfter =
    "SELECT position, photo_id FROM album_photos WHERE album_id = ?1"
    " AND (position, photo_id) > (?2, ?3) ORDER BY position, photo_id LIMIT ?4";
constexpr std::string_view kAlbumsOfPhoto = "SELECT album_id FROM album_photos WHERE photo_id = ?1";

#undef ALBUM_SELECT

AlbumRecord ReadAlbum(const SqliteStatement& row) {
  AlbumRecord a;
  a.id = row.Text(0);
  a.owner_id = row.Text(1);
  a.title = row.Text(2);
  a.description = row.Text(3);
  if (!row.IsNull(4)) a.cover_photo_id = row.Text(4);
  a.created_at = FromUnixMillis(row.Int64(5));
  a.updated_at = FromUnixMillis(row.Int64(6));
  a.photo_count = row.Int64(7);
  return a;
}

Status CheckAlbumExists(SqliteConnection& conn, const std::string& album_id) {
  Result<std::optional<int64_t>> found =
      SqliteQueryInt(conn, kAlbumExists, [&](SqliteStatement& s) { s.Bind(1, album_id); });
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("album " + album_id);
  return Status::Ok();
}

Result<std::optional<int64_t>> PositionOf(SqliteConnection& conn, const std::string& album_id,
                                          const std::string& photo_id) {
  return SqliteQueryInt(conn, kMemberPosition, [&](SqliteStatement& s) {
    s.Bind(1, album_id);
    s.Bind(2, photo_id);
  });
}

Status TouchAlbum(SqliteConnection& conn, const std::string& album_id, Clock::time_point at) {
  return SqliteRun(conn, kTouchAlbum,
                   [&](SqliteStatement& s) {
                     s.Bind(1, album_id);
                     s.Bind(2, ToUnixMillis(at));
                   })
      .status();
}

class SqliteAlbumStore final : public AlbumStore {
 public:
  explicit SqliteAlbumStore(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}

  Status CreateAlbum(const AlbumRecord& album) override {
    GALLERY_RETURN_IF_ERROR(CheckAlbumForCreate(album));
    SqliteDatabase::WriterLock writer(db_.get());
    Status s = SqliteRun(*writer, kInsertAlbum, [&](SqliteStatement& st) {
                 st.Bind(1, album.id);
                 st.Bind(2, album.owner_id);
                 st.Bind(3, album.title);
                 st.Bind(4, album.description);
                 st.Bind(5, ToUnixMillis(album.created_at));
                 st.Bind(6, ToUnixMillis(album.updated_at));
               }).status();
    if (s.code() == ErrorCode::kConflict) return Status::NotFound("user " + album.owner_id);
    return s;
  }

  Result<AlbumRecord> GetAlbum(const std::string& id) override {
    SqliteDatabase::ReaderLease reader(db_.get());
    Result<SqliteStatement> stmt = reader->Prepare(kGetAlbum);
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, id);
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("album " + id);
    return ReadAlbum(*stmt);
  }

  Status UpdateAlbum(const std::string& id, const AlbumUpdate& update,
                     Clock::time_point at) override {
    GALLERY_RETURN_IF_ERROR(CheckAlbumUpdate(update));
    return db_->WriteTransaction([&](SqliteConnection& conn) -> Status {
      GALLERY_RETURN_IF_ERROR(CheckAlbumExists(conn, id));
      if (update.cover_photo_id && *update.cover_photo_id) {
        Result<std::optional<int64_t>> member = PositionOf(conn, id, **update.cover_photo_id);
        if (!member.ok()) return member.status();
        if (!*member) {
          return Status::InvalidArgument("cover photo " + **update.cover_photo_id +
                                         " is not in album " + id);
        }
      }
      return SqliteRun(conn, kUpdateAlbum,
                       [&](SqliteStatement& s) {
                         s.Bind(1, id);
                         if (update.title) {
                           s.Bind(2, *update.title);
                         } else {
                           s.BindNull(2);
                         }
                         if (update.description) {
                           s.Bind(3, *update.description);
                         } else {
                           s.BindNull(3);
                         }
                         s.Bind(4, int64_t{update.cover_photo_id ? 1 : 0});
                         if (update.cover_photo_id && *update.cover_photo_id) {
                           s.Bind(5, **update.cover_photo_id);
                         } else {
                           s.BindNull(5);
                         }
                         s.Bind(6, ToUnixMillis(at));
                       })
          .status();
    });
  }

  Status DeleteAlbum(const std::string& id) override {
    SqliteDatabase::WriterLock writer(db_.get());
    Result<int64_t> n =
        SqliteRun(*writer, kDeleteAlbum, [&](SqliteStatement& s) { s.Bind(1, id); });
    if (!n.ok()) return n.status();
    if (*n == 0) return Status::NotFound("album " + id);
    return Status::Ok();
  }

  Result<AlbumPage> ListAlbums(const std::string& owner_id, const std::optional<AlbumCursor>& after,
                               int limit) override {
    GALLERY_RETURN_IF_ERROR(CheckListLimit(limit));
    SqliteDatabase::ReaderLease reader(db_.get());
    Result<SqliteStatement> stmt = reader->Prepare(after ? kListAlbumsAfter : kListAlbumsFirst);
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, owner_id);
    int index = 2;
    if (after) {
      stmt->Bind(2, ToUnixMillis(after->created_at));
      stmt->Bind(3, after->id);
      index = 4;
    }
    stmt->Bind(index, int64_t{limit} + 1);  // one more tells whether a page follows
    auto page = SqliteReadPage<AlbumCursor>(*stmt, limit, ReadAlbum, [](const AlbumRecord& a) {
      return AlbumCursor{a.created_at, a.id};
    });
    if (!page.ok()) return page.status();
    return AlbumPage{std::move(page->first), std::move(page->second)};
  }

  Result<int64_t> AddPhotos(const std::string& album_id, const std::vector<std::string>& photo_ids,
                            Clock::time_point at) override {
    GALLERY_RETURN_IF_ERROR(CheckPhotoIdList(photo_ids, kMaxPhotoIdsPerCall));
    int64_t added = 0;
    Status s = db_->WriteTransaction([&](SqliteConnection& conn) -> Status {
      GALLERY_RETURN_IF_ERROR(CheckAlbumExists(conn, album_id));
      Result<std::optional<int64_t>> last =
          SqliteQueryInt(conn, kLastPosition, [&](SqliteStatement& st) { st.Bind(1, album_id); });
      if (!last.ok()) return last.status();
      int64_t position = last->value_or(0);
      for (const std::string& photo_id : photo_ids) {
        Result<int64_t> n = SqliteRun(conn, kInsertMember, [&](SqliteStatement& st) {
          st.Bind(1, album_id);
          st.Bind(2, photo_id);
          st.Bind(3, position + kAlbumPositionStep);
          st.Bind(4, ToUnixMillis(at));
        });
        if (n.code() == ErrorCode::kConflict) return Status::NotFound("photo " + photo_id);
        if (!n.ok()) return n.status();
        if (*n > 0) {
          position += kAlbumPositionStep;
          ++added;
        }
      }
      if (added > 0) return TouchAlbum(conn, album_id, at);
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return added;
  }

  Result<int64_t> RemovePhotos(const std::string& album_id,
                               const std::vector<std::string>& photo_ids,
                               Clock::time_point at) override {
    GALLERY_RETURN_IF_ERROR(CheckPhotoIdList(photo_ids, kMaxPhotoIdsPerCall));
    int64_t removed = 0;
    Status s = db_->WriteTransaction([&](SqliteConnection& conn) -> Status {
      GALLERY_RETURN_IF_ERROR(CheckAlbumExists(conn, album_id));
      for (const std::string& photo_id : photo_ids) {
        Result<int64_t> n = SqliteRun(conn, kDeleteMember, [&](SqliteStatement& st) {
          st.Bind(1, album_id);
          st.Bind(2, photo_id);
        });
        if (!n.ok()) return n.status();
        removed += *n;
      }
      if (removed == 0) return Status::Ok();
      GALLERY_RETURN_IF_ERROR(SqliteRun(conn, kClearStaleCover, [&](SqliteStatement& st) {
                                st.Bind(1, album_id);
                              }).status());
      return TouchAlbum(conn, album_id, at);
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
    return db_->WriteTransaction([&](SqliteConnection& conn) -> Status {
      GALLERY_RETURN_IF_ERROR(CheckAlbumExists(conn, album_id));
      Result<std::optional<int64_t>> own = PositionOf(conn, album_id, photo_id);
      if (!own.ok()) return own.status();
      if (!*own) return Status::NotFound("photo " + photo_id + " in album " + album_id);
      for (int attempt = 0; attempt < 2; ++attempt) {
        Result<std::optional<int64_t>> target =
            TargetPosition(conn, album_id, photo_id, after_photo_id);
        if (!target.ok()) return target.status();
        if (*target) {
          GALLERY_RETURN_IF_ERROR(SqliteRun(conn, kSetPosition, [&](SqliteStatement& st) {
                                    st.Bind(1, album_id);
                                    st.Bind(2, photo_id);
                                    st.Bind(3, **target);
                                  }).status());
          return TouchAlbum(conn, album_id, at);
        }
        // No room between the neighbours: spread the positions, try again.
        GALLERY_RETURN_IF_ERROR(SqliteRun(conn, kRenumber, [&](SqliteStatement& st) {
                                  st.Bind(1, album_id);
                                  st.Bind(2, kAlbumPositionStep);
                                }).status());
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
    return db_->WriteTransaction([&](SqliteConnection& conn) -> Status {
      GALLERY_RETURN_IF_ERROR(CheckAlbumExists(conn, album_id));
      Result<std::optional<int64_t>> count =
          SqliteQueryInt(conn, kCountMembers, [&](SqliteStatement& st) { st.Bind(1, album_id); });
      if (!count.ok()) return count.status();
      if (**count != static_cast<int64_t>(photo_ids.size())) {
        return Status::InvalidArgument("the new order must name each of the album's " +
                                       std::to_string(**count) + " photos once");
      }
      for (size_t i = 0; i < photo_ids.size(); ++i) {
        Result<int64_t> n = SqliteRun(conn, kSetPosition, [&](SqliteStatement& st) {
          st.Bind(1, album_id);
          st.Bind(2, photo_ids[i]);
          st.Bind(3, static_cast<int64_t>(i + 1) * kAlbumPositionStep);
        });
        if (!n.ok()) return n.status();
        if (*n == 0) {
          return Status::InvalidArgument("photo " + photo_ids[i] + " is not in album " + album_id);
        }
      }
      return TouchAlbum(conn, album_id, at);
    });
  }

  Result<AlbumPhotoPage> ListAlbumPhotoIds(const std::string& album_id,
                                           const std::optional<AlbumPhotoCursor>& after,
                                           int limit) override {
    GALLERY_RETURN_IF_ERROR(CheckListLimit(limit));
    SqliteDatabase::ReaderLease reader(db_.get());
    // One read transaction, so the existence check and the page agree.
    GALLERY_RETURN_IF_ERROR(reader->Exec("BEGIN"));
    Result<AlbumPhotoPage> page = ListMembers(*reader, album_id, after, limit);
    (void)reader->Exec("COMMIT");
    return page;
  }

  Result<std::vector<std::string>> ListAlbumsOfPhoto(const std::string& photo_id) override {
    SqliteDatabase::ReaderLease reader(db_.get());
    Result<SqliteStatement> stmt = reader->Prepare(kAlbumsOfPhoto);
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, photo_id);
    std::vector<std::string> ids;
    while (true) {
      Result<bool> row = stmt->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      ids.push_back(stmt->Text(0));
    }
    return ids;
  }

 private:
  // Where the photo goes: just after `after_photo_id` (or first). nullopt
  // when the neighbours leave no integer between them.
  static Result<std::optional<int64_t>> TargetPosition(
      SqliteConnection& conn, const std::string& album_id, const std::string& photo_id,
      const std::optional<std::string>& after_photo_id) {
    if (!after_photo_id) {
      Result<std::optional<int64_t>> first =
          SqliteQueryInt(conn, kFirstMember, [&](SqliteStatement& st) {
            st.Bind(1, album_id);
            st.Bind(2, photo_id);
          });
      if (!first.ok()) return first.status();
      if (!*first) return PositionOf(conn, album_id, photo_id);  // alone: stays
      return std::optional<int64_t>(**first - kAlbumPositionStep);
    }
    Result<std::optional<int64_t>> anchor = PositionOf(conn, album_id, *after_photo_id);
    if (!anchor.ok()) return anchor.status();
    if (!*anchor) return Status::NotFound("photo " + *after_photo_id + " in album " + album_id);
    Result<std::optional<int64_t>> next =
        SqliteQueryInt(conn, kNextMember, [&](SqliteStatement& st) {
          st.Bind(1, album_id);
          st.Bind(2, **anchor);
          st.Bind(3, *after_photo_id);
          st.Bind(4, photo_id);
        });
    if (!next.ok()) return next.status();
    if (!*next) return std::optional<int64_t>(**anchor + kAlbumPositionStep);
    if (**next - **anchor < 2) return std::optional<int64_t>();
    return std::optional<int64_t>(**anchor + (**next - **anchor) / 2);
  }

  static Result<AlbumPhotoPage> ListMembers(SqliteConnection& conn, const std::string& album_id,
                                            const std::optional<AlbumPhotoCursor>& after,
                                            int limit) {
    GALLERY_RETURN_IF_ERROR(CheckAlbumExists(conn, album_id));
    Result<SqliteStatement> stmt = conn.Prepare(after ? kListMembersAfter : kListMembersFirst);
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, album_id);
    int index = 2;
    if (after) {
      stmt->Bind(2, after->position);
      stmt->Bind(3, after->photo_id);
      index = 4;
    }
    stmt->Bind(index, int64_t{limit} + 1);
    auto members = SqliteReadPage<AlbumPhotoCursor>(
        *stmt, limit,
        [](const SqliteStatement& row) {
          return AlbumPhotoCursor{row.Int64(0), row.Text(1)};
        },
        [](const AlbumPhotoCursor& m) { return m; });
    if (!members.ok()) return members.status();
    AlbumPhotoPage page;
    for (AlbumPhotoCursor& m : members->first) page.photo_ids.push_back(std::move(m.photo_id));
    page.next = std::move(members->second);
    return page;
  }

  std::shared_ptr<SqliteDatabase> db_;
};

}  // namespace

std::unique_ptr<AlbumStore> NewSqliteAlbumStore(std::shared_ptr<SqliteDatabase> db) {
  return std::make_unique<SqliteAlbumStore>(std::move(db));
}

}  // namespace gallery::db
