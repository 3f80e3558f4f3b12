#pragma once

// ShareStore: links that show one album or one photo to anyone holding the
// link's token, without an account. Only HashToken(token) is stored, so the
// database alone cannot be used to open a share; a password, when set, is
// stored as an argon2id string.
//
// A share goes with what it shows: deleting the album or the photo row (or
// the owner) deletes its shares, by the schema's foreign keys, in the same
// transaction.
//
// Thread safety: every implementation is safe for concurrent use without
// external locking, also by several processes sharing one database. Methods
// block.
//
// Implementations: NewSqliteShareStore (sqlite/sqlite_database.hpp) and
// NewPostgresShareStore (postgres/postgres_database.hpp). Every
// implementation passes the one conformance suite
// (ShareStoreConformanceTest in account_stores_conformance_testing.hpp).
//
// Every method may also fail with kUnavailable, kTimeout, kIoError or
// kInternal. Times are kept to the millisecond.

#include <optional>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "db/metadata_store.hpp"

namespace gallery::db {

struct ShareRecord {
  std::string id;  // opaque, random; names the share for its owner
  std::string owner_id;
  std::string token_hash;  // HashToken(token of >= 128 random bits); unique
  // Exactly one of the two is set.
  std::optional<std::string> album_id;
  std::optional<std::string> photo_id;
  std::optional<Clock::time_point> expires_at;  // none: never expires
  std::optional<std::string> password_hash;     // argon2id; none: no password
  bool allow_download = false;                  // originals downloadable
  // Camera details (make, model, lens, exposure, taken time) shown to
  // visitors; GPS never is, whatever this says.
  bool show_exif = false;
  Clock::time_point created_at;
  std::optional<Clock::time_point> revoked_at;

  // Whether the link opens at `now`: not revoked and not expired.
  bool ActiveAt(Clock::time_point now) const {
    return !revoked_at && (!expires_at || now < *expires_at);
  }
  bool operator==(const ShareRecord&) const = default;
};

// Position in the newest-first listing of an owner's shares.
struct ShareCursor {
  Clock::time_point created_at;
  std::string id;

  bool operator==(const ShareCursor&) const = default;
};

struct SharePage {
  std::vector<ShareRecord> shares;
  std::optional<ShareCursor> next;  // set iff more rows follow
};

class ShareStore {
 public:
  virtual ~ShareStore() = default;

  // kAlreadyExists when the id or token_hash is taken; kNotFound when the
  // owner, the album or the photo does not exist; kInvalidArgument when id
  // or token_hash is empty, not exactly one of album_id and photo_id is set,
  // password_hash is set but empty, or expires_at is not after created_at.
  // Store unchanged on error. revoked_at is stored as given (normally unset).
  virtual Status CreateShare(const ShareRecord& share) = 0;

  // The share whatever its state (for its owner). kNotFound when none.
  virtual Result<ShareRecord> GetShare(const std::string& id) = 0;

  // The share this token opens at `now`. kNotFound when no share has the
  // hash, or it is revoked, or expires_at <= now: a dead link looks exactly
  // like one that never existed.
  virtual Result<ShareRecord> FindShareByTokenHash(const std::string& token_hash,
                                                   Clock::time_point now) = 0;

  // The owner's shares, revoked and expired ones included, newest first
  // (created_at, then id, descending), starting after `after`. At most
  // `limit`; kInvalidArgument unless 1 <= limit <= 1000.
  virtual Result<SharePage> ListShares(const std::string& owner_id,
                                       const std::optional<ShareCursor>& after, int limit) = 0;

  // Revokes the share at `now`; revoking a revoked share is OK and keeps the
  // first revoked_at. kNotFound when the share does not exist or belongs to
  // another owner (the same answer: others' ids reveal nothing).
  virtual Status RevokeShare(const std::string& owner_id, const std::string& id,
                             Clock::time_point now) = 0;
};

}  // namespace gallery::db
