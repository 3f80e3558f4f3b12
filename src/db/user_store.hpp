#pragma once

// UserStore: accounts and what signs them in. Users, server-side sessions,
// personal API tokens and the failed sign-in log that rate limiting reads.
// Secrets are never stored: sessions, CSRF tokens and API tokens are kept as
// HashToken (SHA-256 hex) of the token, passwords as argon2id strings
// (common/password.hpp).
//
// Thread safety: every implementation is safe for concurrent use without
// external locking, and several processes may share one database (the
// cloud shape): everything here, the sign-in log included, lives in the
// database, not in the process. Methods block: call them from a blocking
// pool.
//
// Implementations: NewSqliteUserStore (sqlite/sqlite_database.hpp) and
// NewPostgresUserStore (postgres/postgres_database.hpp). Every
// implementation passes the one conformance suite
// (UserStoreConformanceTest in account_stores_conformance_testing.hpp).
//
// Every method may also fail with kUnavailable, kTimeout, kIoError or
// kInternal, as MetadataStore's do. Times are kept to the millisecond:
// finer parts are truncated on write.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "db/metadata_store.hpp"

namespace gallery::db {

enum class UserRole { kAdmin, kUser };

// "admin" or "user": how roles are stored and shown.
inline std::string_view UserRoleName(UserRole role) {
  return role == UserRole::kAdmin ? "admin" : "user";
}

// The form emails are stored and looked up in: surrounding spaces removed,
// ASCII letters lower-cased. Other characters are kept as they are, so that
// the database's locale plays no part (both backends agree byte for byte).
inline std::string NormalizeEmail(std::string_view email) {
  const size_t begin = email.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  const size_t end = email.find_last_not_of(" \t\r\n");
  std::string out(email.substr(begin, end - begin + 1));
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

struct UserRecord {
  std::string id;             // opaque, random, URL-safe
  std::string email;          // unique; stored as NormalizeEmail(email)
  std::string password_hash;  // argon2id encoded string
  UserRole role = UserRole::kUser;
  int64_t quota_bytes = 0;  // total bytes of originals allowed; 0 = unlimited
  Clock::time_point created_at;
  bool disabled = false;  // a disabled user cannot sign in

  bool operator==(const UserRecord&) const = default;
};

// Users are listed by email (byte order), ascending; a cursor is the email of
// the last user of the previous page.
struct UserPage {
  std::vector<UserRecord> users;
  std::optional<std::string> next;  // set iff more rows follow
};

struct SessionRecord {
  std::string token_hash;  // HashToken(session token): the key
  std::string user_id;
  std::string csrf_token_hash;  // HashToken(the session's CSRF token)
  Clock::time_point created_at;
  Clock::time_point last_seen_at;  // for the idle expiry
  Clock::time_point expires_at;    // absolute expiry, whatever the activity

  bool operator==(const SessionRecord&) const = default;
};

struct ApiTokenRecord {
  std::string id;  // opaque, random; names the token in lists and revocation
  std::string user_id;
  std::string name;        // chosen by the user
  std::string token_hash;  // HashToken(token); unique
  Clock::time_point created_at;
  std::optional<Clock::time_point> last_used_at;
  std::optional<Clock::time_point> revoked_at;

  bool revoked() const { return revoked_at.has_value(); }
  bool operator==(const ApiTokenRecord&) const = default;
};

// TouchSession and TouchApiToken write only when the stored time is older
// than this: a busy client costs one write a minute, not one per request.
inline constexpr std::chrono::milliseconds kTouchInterval{60'000};

class UserStore {
 public:
  virtual ~UserStore() = default;

  // ---- Users

  // Inserts the user with its email normalised (NormalizeEmail).
  // kAlreadyExists when the id or the normalised email is taken (so emails
  // are unique whatever their ASCII case); the store is then unchanged.
  // kInvalidArgument (store unchanged) when id or password_hash is empty, the
  // normalised email is empty, longer than 320 bytes or has no '@', or
  // quota_bytes is negative.
  virtual Status CreateUser(const UserRecord& user) = 0;

  // CreateUser, but only into an empty store: the bootstrap of the first
  // admin. The emptiness check and the insert are one atomic step, even when
  // several processes sharing the database race: exactly one of them creates
  // its user. kAlreadyExists (store unchanged) when any user exists; the
  // other errors as CreateUser (the input is checked first, so an invalid
  // user is kInvalidArgument whatever the store holds).
  virtual Status CreateFirstUser(const UserRecord& user) = 0;

  // kNotFound when no such user.
  virtual Result<UserRecord> GetUser(const std::string& id) = 0;

  // Looks `email` up in its normalised form: any ASCII case finds the user.
  // kNotFound when no user has it.
  virtual Result<UserRecord> FindUserByEmail(std::string_view email) = 0;

  // Users by email ascending (byte order), starting after the email `after`
  // when given (that user need not exist any more). At most `limit`;
  // kInvalidArgument unless 1 <= limit <= 1000.
  virtual Result<UserPage> ListUsers(const std::optional<std::string>& after, int limit) = 0;

  // Number of users (the first admin is created when it is 0).
  virtual Result<int64_t> CountUsers() = 0;

  // Replace one field. kNotFound when no such user; kInvalidArgument (store
  // unchanged) for an empty hash or a negative quota.
  virtual Status UpdatePasswordHash(const std::string& user_id, const std::string& hash) = 0;
  virtual Status UpdateRole(const std::string& user_id, UserRole role) = 0;
  virtual Status UpdateQuota(const std::string& user_id, int64_t quota_bytes) = 0;
  virtual Status SetDisabled(const std::string& user_id, bool disabled) = 0;

  // ---- Sessions

  // kAlreadyExists when a session has this token_hash; kNotFound when the
  // user does not exist; kInvalidArgument when token_hash or csrf_token_hash
  // is empty or expires_at is not after created_at. Store unchanged on error.
  virtual Status CreateSession(const SessionRecord& session) = 0;

  // The session, if it is still valid at `now`: kNotFound when there is none,
  // when expires_at <= now (absolute expiry), or when
  // last_seen_at + idle_timeout <= now (idle expiry).
  virtual Result<SessionRecord> GetSessionByTokenHash(const std::string& token_hash,
                                                      Clock::time_point now,
                                                      std::chrono::milliseconds idle_timeout) = 0;

  // Sets last_seen_at to `now` if the stored one is older than
  // now - kTouchInterval; otherwise writes nothing. last_seen_at never goes
  // backwards, whatever order concurrent touches arrive in. OK in both cases;
  // kNotFound when there is no such session.
  virtual Status TouchSession(const std::string& token_hash, Clock::time_point now) = 0;

  // Signs one session out. kNotFound when there was none.
  virtual Status DeleteSession(const std::string& token_hash) = 0;

  // Signs a user out everywhere (password change, disabling). Returns how
  // many sessions went; 0 is not an error (nor is an unknown user).
  virtual Result<int64_t> DeleteUserSessions(const std::string& user_id) = 0;

  // Removes every session that GetSessionByTokenHash would no longer return
  // at `now`. Returns how many went.
  virtual Result<int64_t> DeleteExpiredSessions(Clock::time_point now,
                                                std::chrono::milliseconds idle_timeout) = 0;

  // ---- Personal API tokens

  // kAlreadyExists when the id or token_hash is taken; kNotFound when the
  // user does not exist; kInvalidArgument when id, token_hash or name is
  // empty, or name is longer than 200 bytes. Store unchanged on error.
  // last_used_at and revoked_at are stored as given (normally unset).
  virtual Status CreateApiToken(const ApiTokenRecord& token) = 0;

  // The token that authenticates as its user. kNotFound when no token has
  // this hash or it is revoked: a revoked token is as good as none.
  virtual Result<ApiTokenRecord> FindApiTokenByHash(const std::string& token_hash) = 0;

  // Every token of the user, revoked ones included (their revoked_at set),
  // newest first (created_at, then id, descending). Empty for an unknown
  // user. A user holds a few tokens, so there is no pagination.
  virtual Result<std::vector<ApiTokenRecord>> ListApiTokens(const std::string& user_id) = 0;

  // Sets last_used_at to `now` under TouchSession's rule. kNotFound when no
  // such token.
  virtual Status TouchApiToken(const std::string& id, Clock::time_point now) = 0;

  // Revokes the token at `now`. Revoking a revoked token is OK and keeps the
  // first revoked_at. kNotFound when the token does not exist or belongs to
  // another user (the same answer, so ids of others' tokens reveal nothing).
  virtual Status RevokeApiToken(const std::string& user_id, const std::string& id,
                                Clock::time_point now) = 0;

  // ---- Failed sign-ins, for rate limiting across instances
  // A key is "email:<normalised email>" or "ip:<client address>".

  // Records one failure. kInvalidArgument for an empty key.
  virtual Status RecordFailedSignIn(const std::string& key, Clock::time_point at) = 0;

  // Failures recorded for `key` at or after `since`.
  virtual Result<int64_t> CountFailedSignIns(const std::string& key, Clock::time_point since) = 0;

  // Forgets every failure of `key` (after a successful sign-in).
  virtual Status ClearFailedSignIns(const std::string& key) = 0;

  // Forgets every failure recorded before `before`, of any key, so the log
  // stays small. Returns how many went.
  virtual Result<int64_t> DeleteFailedSignInsBefore(Clock::time_point before) = 0;
};

}  // namespace gallery::db
