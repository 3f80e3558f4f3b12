// UserStore over PostgreSQL: see user_store.hpp for the contract and
// postgres_database.hpp for the connections. Each method is one statement in
// autocommit mode (one transaction), except CreateFirstUser.

#include <string>
#include <utility>
#include <vector>

#include "db/photo_checks.hpp"
#include "db/postgres/pg_rows.hpp"
#include "db/postgres/postgres_database.hpp"
#include "db/user_store_checks.hpp"

namespace gallery::db {
namespace {

#define USER_COLUMNS "id, email, password_hash, role, quota_bytes, created_at_ms, disabled"
#define SESSION_COLUMNS \
  "token_hash, user_id, csrf_token_hash, created_at_ms, last_seen_at_ms, expires_at_ms"
#define TOKEN_COLUMNS "id, user_id, name, token_hash, created_at_ms, last_used_at_ms, revoked_at_ms"

constexpr PgStatement kInsertUser{"gallery_users_insert", "INSERT INTO users (" USER_COLUMNS
                                                          ") VALUES ($1, $2, $3, $4, $5, $6, $7)"};
// Taken by CreateFirstUser. The mode conflicts with itself and with the
// ROW EXCLUSIVE lock every INSERT takes, so from the lock to the commit no
// other transaction can add a user, and the count that follows the lock
// (READ COMMITTED: a new snapshot per statement) sees every user committed
// before it. Readers are not blocked.
constexpr PgStatement kLockUsers{"gallery_users_lock",
                                 "LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE"};
constexpr PgStatement kAnyUser{"gallery_users_any", "SELECT 1 FROM users LIMIT 1"};
constexpr PgStatement kGetUser{"gallery_users_get",
                               "SELECT " USER_COLUMNS " FROM users WHERE id = $1"};
constexpr PgStatement kFindUserByEmail{"gallery_users_by_email",
                                       "SELECT " USER_COLUMNS " FROM users WHERE email = $1"};
// email is COLLATE "C": byte order, whatever the database's locale.
constexpr PgStatement kListUsersFirst{"gallery_users_list",
                                      "SELECT " USER_COLUMNS " FROM users ORDER BY email LIMIT $1"};
constexpr PgStatement kListUsersAfter{"gallery_users_list_after",
                                      "SELECT " USER_COLUMNS
                                      " FROM users WHERE email > $1 ORDER BY email LIMIT $2"};
constexpr PgStatement kCountUsers{"gallery_users_count", "SELECT count(*) FROM users"};
constexpr PgStatement kUpdatePasswordHash{"gallery_users_set_password",
                                          "UPDATE users SET password_hash = $2 WHERE id = $1"};
constexpr PgStatement kUpdateRole{"gallery_users_set_role",
                                  "UPDATE users SET role = $2 WHERE id = $1"};
constexpr PgStatement kUpdateQuota{"gallery_users_set_quota",
                                   "UPDATE users SET quota_bytes = $2 WHERE id = $1"};
constexpr PgStatement kUpdateDisabled{"gallery_users_set_disabled",
                                      "UPDATE users SET disabled = $2 WHERE id = $1"};

constexpr PgStatement kInsertSession{"gallery_sessions_insert",
                                     "INSERT INTO sessions (" SESSION_COLUMNS
                                     ") VALUES ($1, $2, $3, $4, $5, $6)"};
constexpr PgStatement kGetLiveSession{"gallery_sessions_get_live",
                                      "SELECT " SESSION_COLUMNS
                                      " FROM sessions WHERE token_hash = $1 AND expires_at_ms > $2"
                                      " AND last_seen_at_ms > $2::bigint - $3::bigint"};
// The condition keeps last_seen_at monotonic under concurrent touches (an
// UPDATE that waited for another re-checks it on the row it then finds).
// The SELECT reads the snapshot from before the update, so it tells
// "recent enough, nothing written" (1) from "no such session" (0) in the
// same round trip.
constexpr PgStatement kTouchSession{"gallery_sessions_touch",
                                    "WITH touched AS (UPDATE sessions SET last_seen_at_ms = $2"
                                    " WHERE token_hash = $1 AND last_seen_at_ms < $3 RETURNING 1)"
                                    " SELECT count(*) FROM sessions WHERE token_hash = $1"};
constexpr PgStatement kDeleteSession{"gallery_sessions_delete",
                                     "DELETE FROM sessions WHERE token_hash = $1"};
constexpr PgStatement kDeleteUserSessions{"gallery_sessions_delete_of_user",
                                          "DELETE FROM sessions WHERE user_id = $1"};
constexpr PgStatement kDeleteExpiredSessions{
    "gallery_sessions_delete_expired",
    "DELETE FROM sessions WHERE expires_at_ms <= $1 OR last_seen_at_ms <= $1::bigint - $2::bigint"};

constexpr PgStatement kInsertToken{"gallery_tokens_insert",
                                   "INSERT INTO api_tokens (" TOKEN_COLUMNS
                                   ") VALUES ($1, $2, $3, $4, $5, $6, $7)"};
constexpr PgStatement kFindTokenByHash{
    "gallery_tokens_by_hash",
    "SELECT " TOKEN_COLUMNS " FROM api_tokens WHERE token_hash = $1 AND revoked_at_ms IS NULL"};
constexpr PgStatement kListTokens{"gallery_tokens_list", "SELECT " TOKEN_COLUMNS
                                                         " FROM api_tokens WHERE user_id = $1"
                                                         " ORDER BY created_at_ms DESC, id DESC"};
// As kTouchSession.
constexpr PgStatement kTouchToken{
    "gallery_tokens_touch",
    "WITH touched AS (UPDATE api_tokens SET last_used_at_ms = $2"
    " WHERE id = $1 AND (last_used_at_ms IS NULL OR last_used_at_ms < $3) RETURNING 1)"
    " SELECT count(*) FROM api_tokens WHERE id = $1"};
constexpr PgStatement kRevokeToken{
    "gallery_tokens_revoke",
    "UPDATE api_tokens SET revoked_at_ms = coalesce(revoked_at_ms, $3)"
    " WHERE id = $2 AND user_id = $1"};

constexpr PgStatement kInsertFailure{"gallery_sign_in_failures_insert",
                                     "INSERT INTO sign_in_failures (key, at_ms) VALUES ($1, $2)"};
constexpr PgStatement kCountFailures{
    "gallery_sign_in_failures_count",
    "SELECT count(*) FROM sign_in_failures WHERE key = $1 AND at_ms >= $2"};
constexpr PgStatement kClearFailures{"gallery_sign_in_failures_clear",
                                     "DELETE FROM sign_in_failures WHERE key = $1"};
constexpr PgStatement kDeleteOldFailures{"gallery_sign_in_failures_prune",
                                         "DELETE FROM sign_in_failures WHERE at_ms < $1"};

#undef USER_COLUMNS
#undef SESSION_COLUMNS
#undef TOKEN_COLUMNS

UserRecord ReadUser(PgRow& row) {
  UserRecord u;
  u.id = row.Text(0);
  u.email = row.Text(1);
  u.password_hash = row.Text(2);
  u.role = row.Text(3) == "admin" ? UserRole::kAdmin : UserRole::kUser;
  u.quota_bytes = row.Int64(4);
  u.created_at = row.Millis(5);
  u.disabled = row.Bool(6);
  return u;
}

SessionRecord ReadSession(PgRow& row) {
  SessionRecord s;
  s.token_hash = row.Text(0);
  s.user_id = row.Text(1);
  s.csrf_token_hash = row.Text(2);
  s.created_at = row.Millis(3);
  s.last_seen_at = row.Millis(4);
  s.expires_at = row.Millis(5);
  return s;
}

ApiTokenRecord ReadToken(PgRow& row) {
  ApiTokenRecord t;
  t.id = row.Text(0);
  t.user_id = row.Text(1);
  t.name = row.Text(2);
  t.token_hash = row.Text(3);
  t.created_at = row.Millis(4);
  t.last_used_at = row.OptionalMillis(5);
  t.revoked_at = row.OptionalMillis(6);
  return t;
}

// The parameters of kInsertUser for `u` (normalised and checked).
std::vector<PgParam> UserParams(const UserRecord& u) {
  return {u.id,
          u.email,
          u.password_hash,
          std::string(UserRoleName(u.role)),
          PgInt(u.quota_bytes),
          PgMillis(u.created_at),
          PgBool(u.disabled)};
}

// The number of rows a statement changed, or its error.
Result<int64_t> Changed(const Result<PgResult>& done) {
  if (!done.ok()) return done.status();
  return done->AffectedRows();
}

class PostgresUserStore final : public UserStore {
 public:
  explicit PostgresUserStore(std::shared_ptr<PostgresDatabase> db) : db_(std::move(db)) {}

  Status CreateUser(const UserRecord& user) override {
    UserRecord u = user;
    u.email = NormalizeEmail(user.email);
    GALLERY_RETURN_IF_ERROR(CheckUserForCreate(u));
    return db_->Run(kInsertUser, UserParams(u)).status();
  }

  Status CreateFirstUser(const UserRecord& user) override {
    UserRecord u = user;
    u.email = NormalizeEmail(user.email);
    GALLERY_RETURN_IF_ERROR(CheckUserForCreate(u));
    const std::vector<PgParam> params = UserParams(u);
    return db_->InTransaction([&](PostgresDatabase::Transaction& tx) -> Status {
      GALLERY_RETURN_IF_ERROR(tx.Run(kLockUsers, {}).status());
      Result<PgResult> any = tx.Run(kAnyUser, {});
      if (!any.ok()) return any.status();
      if (any->rows() > 0) return Status::AlreadyExists("a user exists already");
      return tx.Run(kInsertUser, params).status();
    });
  }

  Result<UserRecord> GetUser(const std::string& id) override {
    const PgParam params[] = {id};
    return PgReadOne(db_->Run(kGetUser, params), "user " + id, ReadUser);
  }

  Result<UserRecord> FindUserByEmail(std::string_view email) override {
    const PgParam params[] = {NormalizeEmail(email)};
    return PgReadOne(db_->Run(kFindUserByEmail, params), "user with that email", ReadUser);
  }

  Result<UserPage> ListUsers(const std::optional<std::string>& after, int limit) override {
    GALLERY_RETURN_IF_ERROR(CheckListLimit(limit));
    const PgParam fetch = PgInt(int64_t{limit} + 1);  // one more tells whether a page follows
    Result<PgResult> rows = Status::Internal("unset");
    if (after) {
      const PgParam params[] = {*after, fetch};
      rows = db_->Run(kListUsersAfter, params);
    } else {
      const PgParam params[] = {fetch};
      rows = db_->Run(kListUsersFirst, params);
    }
    auto page =
        PgReadPage<std::string>(rows, limit, ReadUser, [](const UserRecord& u) { return u.email; });
    if (!page.ok()) return page.status();
    return UserPage{std::move(page->first), std::move(page->second)};
  }

  Result<int64_t> CountUsers() override { return PgReadInt(db_->Run(kCountUsers, {})); }

  Status UpdatePasswordHash(const std::string& user_id, const std::string& hash) override {
    if (hash.empty()) return Status::InvalidArgument("password hash is empty");
    return UpdateUser(kUpdatePasswordHash, user_id, hash);
  }

  Status UpdateRole(const std::string& user_id, UserRole role) override {
    return UpdateUser(kUpdateRole, user_id, std::string(UserRoleName(role)));
  }

  Status UpdateQuota(const std::string& user_id, int64_t quota_bytes) override {
    if (quota_bytes < 0) return Status::InvalidArgument("quota_bytes is negative");
    return UpdateUser(kUpdateQuota, user_id, PgInt(quota_bytes));
  }

  Status SetDisabled(const std::string& user_id, bool disabled) override {
    return UpdateUser(kUpdateDisabled, user_id, PgBool(disabled));
  }

  Status CreateSession(const SessionRecord& session) override {
    GALLERY_RETURN_IF_ERROR(CheckSessionForCreate(session));
    const PgParam params[] = {session.token_hash,
                              session.user_id,
                              session.csrf_token_hash,
                              PgMillis(session.created_at),
                              PgMillis(session.last_seen_at),
                              PgMillis(session.expires_at)};
    return UserMissingIfConflict(db_->Run(kInsertSession, params).status(), session.user_id);
  }

  Result<SessionRecord> GetSessionByTokenHash(const std::string& token_hash, Clock::time_point now,
                                              std::chrono::milliseconds idle_timeout) override {
    const PgParam params[] = {token_hash, PgMillis(now),
                              PgInt(static_cast<int64_t>(idle_timeout.count()))};
    return PgReadOne(db_->Run(kGetLiveSession, params), "no live session with that token",
                     ReadSession);
  }

  Status TouchSession(const std::string& token_hash, Clock::time_point now) override {
    return Touch(kTouchSession, token_hash, now, "no session with that token");
  }

  Status DeleteSession(const std::string& token_hash) override {
    const PgParam params[] = {token_hash};
    Result<int64_t> n = Changed(db_->Run(kDeleteSession, params));
    if (!n.ok()) return n.status();
    if (*n == 0) return Status::NotFound("no session with that token");
    return Status::Ok();
  }

  Result<int64_t> DeleteUserSessions(const std::string& user_id) override {
    const PgParam params[] = {user_id};
    return Changed(db_->Run(kDeleteUserSessions, params));
  }

  Result<int64_t> DeleteExpiredSessions(Clock::time_point now,
                                        std::chrono::milliseconds idle_timeout) override {
    const PgParam params[] = {PgMillis(now), PgInt(static_cast<int64_t>(idle_timeout.count()))};
    return Changed(db_->Run(kDeleteExpiredSessions, params));
  }

  Status CreateApiToken(const ApiTokenRecord& token) override {
    GALLERY_RETURN_IF_ERROR(CheckApiTokenForCreate(token));
    const PgParam params[] = {token.id,
                              token.user_id,
                              token.name,
                              token.token_hash,
                              PgMillis(token.created_at),
                              PgOptionalMillis(token.last_used_at),
                              PgOptionalMillis(token.revoked_at)};
    return UserMissingIfConflict(db_->Run(kInsertToken, params).status(), token.user_id);
  }

  Result<ApiTokenRecord> FindApiTokenByHash(const std::string& token_hash) override {
    const PgParam params[] = {token_hash};
    return PgReadOne(db_->Run(kFindTokenByHash, params), "no live api token with that hash",
                     ReadToken);
  }

  Result<std::vector<ApiTokenRecord>> ListApiTokens(const std::string& user_id) override {
    const PgParam params[] = {user_id};
    return PgReadRows(db_->Run(kListTokens, params), ReadToken);
  }

  Status TouchApiToken(const std::string& id, Clock::time_point now) override {
    return Touch(kTouchToken, id, now, "api token " + id);
  }

  Status RevokeApiToken(const std::string& user_id, const std::string& id,
                        Clock::time_point now) override {
    const PgParam params[] = {user_id, id, PgMillis(now)};
    Result<int64_t> n = Changed(db_->Run(kRevokeToken, params));
    if (!n.ok()) return n.status();
    if (*n == 0) return Status::NotFound("api token " + id + " of user " + user_id);
    return Status::Ok();
  }

  Status RecordFailedSignIn(const std::string& key, Clock::time_point at) override {
    if (key.empty()) return Status::InvalidArgument("sign-in key is empty");
    const PgParam params[] = {key, PgMillis(at)};
    return db_->Run(kInsertFailure, params).status();
  }

  Result<int64_t> CountFailedSignIns(const std::string& key, Clock::time_point since) override {
    const PgParam params[] = {key, PgMillis(since)};
    return PgReadInt(db_->Run(kCountFailures, params));
  }

  Status ClearFailedSignIns(const std::string& key) override {
    const PgParam params[] = {key};
    return db_->Run(kClearFailures, params).status();
  }

  Result<int64_t> DeleteFailedSignInsBefore(Clock::time_point before) override {
    const PgParam params[] = {PgMillis(before)};
    return Changed(db_->Run(kDeleteOldFailures, params));
  }

 private:
  // One of the single-field updates: $1 the user id, $2 the new value.
  Status UpdateUser(const PgStatement& statement, const std::string& user_id, PgParam value) {
    const PgParam params[] = {user_id, std::move(value)};
    Result<int64_t> n = Changed(db_->Run(statement, params));
    if (!n.ok()) return n.status();
    if (*n == 0) return Status::NotFound("user " + user_id);
    return Status::Ok();
  }

  // kTouchSession or kTouchToken: $1 the key, $2 now, $3 the time the
  // stored one must be older than for a write.
  Status Touch(const PgStatement& statement, const std::string& key, Clock::time_point now,
               const std::string& what) {
    const int64_t now_ms = ToUnixMillis(now);
    const PgParam params[] = {key, PgInt(now_ms), PgInt(now_ms - kTouchInterval.count())};
    Result<int64_t> found = PgReadInt(db_->Run(statement, params));
    if (!found.ok()) return found.status();
    if (*found == 0) return Status::NotFound(what);
    return Status::Ok();
  }

  std::shared_ptr<PostgresDatabase> db_;
};

}  // namespace

std::unique_ptr<UserStore> NewPostgresUserStore(std::shared_ptr<PostgresDatabase> db) {
  return std::make_unique<PostgresUserStore>(std::move(db));
}

}  // namespace gallery::db
