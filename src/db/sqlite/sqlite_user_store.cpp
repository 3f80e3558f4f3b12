// UserStore over SQLite: see user_store.hpp for the contract and
// sqlite_database.hpp for the connections.

#include <string>
#include <utility>
#include <vector>

#include "common/time.hpp"
#include "db/photo_checks.hpp"
#include "db/sqlite/sqlite_database.hpp"
#include "db/sqlite/sqlite_statements.hpp"
#include "db/user_store_checks.hpp"

namespace gallery::db {
namespace {

#define USER_COLUMNS "id, email, password_hash, role, quota_bytes, created_at_ms, disabled"
#define SESSION_COLUMNS \
  "token_hash, user_id, csrf_token_hash, created_at_ms, last_seen_at_ms, expires_at_ms"
#define TOKEN_COLUMNS "id, user_id, name, token_hash, created_at_ms, last_used_at_ms, revoked_at_ms"

constexpr std::string_view kInsertUser =
    "INSERT INTO users (" USER_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr std::string_view kGetUser = "SELECT " USER_COLUMNS " FROM users WHERE id = ?1";
constexpr std::string_view kFindUserByEmail = "SELECT " USER_COLUMNS " FROM users WHERE email = ?1";
constexpr std::string_view kListUsersFirst =
    "SELECT " USER_COLUMNS " FROM users ORDER BY email LIMIT ?1";
constexpr std::string_view kListUsersAfter =
    "SELECT " USER_COLUMNS " FROM users WHERE email > ?1 ORDER BY email LIMIT ?2";
constexpr std::string_view kCountUsers = "SELECT count(*) FROM users";
constexpr std::string_view kAnyUser = "SELECT 1 FROM users LIMIT 1";
constexpr std::string_view kUpdatePasswordHash =
    "UPDATE users SET password_hash = ?2 WHERE id = ?1";
constexpr std::string_view kUpdateRole = "UPDATE users SET role = ?2 WHERE id = ?1";
constexpr std::string_view kUpdateQuota = "UPDATE users SET quota_bytes = ?2 WHERE id = ?1";
constexpr std::string_view kUpdateDisabled = "UPDATE users SET disabled = ?2 WHERE id = ?1";

constexpr std::string_view kInsertSession =
    "INSERT INTO sessions (" SESSION_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr std::string_view kGetLiveSession =
    "SELECT " SESSION_COLUMNS
    " FROM sessions WHERE token_hash = ?1 AND expires_at_ms > ?2 AND last_seen_at_ms > ?2 - ?3";
// The condition keeps last_seen_at monotonic under concurrent touches.
constexpr std::string_view kTouchSession =
    "UPDATE sessions SET last_seen_at_ms = ?2 WHERE token_hash = ?1 AND last_seen_at_ms < ?3";
constexpr std::string_view kSessionExists = "SELECT 1 FROM sessions WHERE token_hash = ?1";
constexpr std::string_view kDeleteSession = "DELETE FROM sessions WHERE token_hash = ?1";
constexpr std::string_view kDeleteUserSessions = "DELETE FROM sessions WHERE user_id = ?1";
constexpr std::string_view kDeleteExpiredSessions =
    "DELETE FROM sessions WHERE expires_at_ms <= ?1 OR last_seen_at_ms <= ?1 - ?2";

constexpr std::string_view kInsertToken =
    "INSERT INTO api_tokens (" TOKEN_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr std::string_view kFindTokenByHash =
    "SELECT " TOKEN_COLUMNS " FROM api_tokens WHERE token_hash = ?1 AND revoked_at_ms IS NULL";
constexpr std::string_view kListTokens = "SELECT " TOKEN_COLUMNS
                                         " FROM api_tokens WHERE user_id = ?1"
                                         " ORDER BY created_at_ms DESC, id DESC";
constexpr std::string_view kTouchToken =
    "UPDATE api_tokens SET last_used_at_ms = ?2"
    " WHERE id = ?1 AND (last_used_at_ms IS NULL OR last_used_at_ms < ?3)";
constexpr std::string_view kTokenExists = "SELECT 1 FROM api_tokens WHERE id = ?1";
constexpr std::string_view kRevokeToken =
    "UPDATE api_tokens SET revoked_at_ms = coalesce(revoked_at_ms, ?3)"
    " WHERE id = ?2 AND user_id = ?1";

constexpr std::string_view kInsertFailure =
    "INSERT INTO sign_in_failures (key, at_ms) VALUES (?1, ?2)";
constexpr std::string_view kCountFailures =
    "SELECT count(*) FROM sign_in_failures WHERE key = ?1 AND at_ms >= ?2";
constexpr std::string_view kClearFailures = "DELETE FROM sign_in_failures WHERE key = ?1";
constexpr std::string_view kDeleteOldFailures = "DELETE FROM sign_in_failures WHERE at_ms < ?1";

#undef USER_COLUMNS
#undef SESSION_COLUMNS
#undef TOKEN_COLUMNS

UserRecord ReadUser(const SqliteStatement& row) {
  UserRecord u;
  u.id = row.Text(0);
  u.email = row.Text(1);
  u.password_hash = row.Text(2);
  u.role = row.Text(3) == "admin" ? UserRole::kAdmin : UserRole::kUser;
  u.quota_bytes = row.Int64(4);
  u.created_at = FromUnixMillis(row.Int64(5));
  u.disabled = row.Int64(6) != 0;
  return u;
}

SessionRecord ReadSession(const SqliteStatement& row) {
  SessionRecord s;
  s.token_hash = row.Text(0);
  s.user_id = row.Text(1);
  s.csrf_token_hash = row.Text(2);
  s.created_at = FromUnixMillis(row.Int64(3));
  s.last_seen_at = FromUnixMillis(row.Int64(4));
  s.expires_at = FromUnixMillis(row.Int64(5));
  return s;
}

ApiTokenRecord ReadToken(const SqliteStatement& row) {
  ApiTokenRecord t;
  t.id = row.Text(0);
  t.user_id = row.Text(1);
  t.name = row.Text(2);
  t.token_hash = row.Text(3);
  t.created_at = FromUnixMillis(row.Int64(4));
  if (!row.IsNull(5)) t.last_used_at = FromUnixMillis(row.Int64(5));
  if (!row.IsNull(6)) t.revoked_at = FromUnixMillis(row.Int64(6));
  return t;
}

void BindOptionalTime(SqliteStatement& stmt, int index, const std::optional<Clock::time_point>& t) {
  if (t) {
    stmt.Bind(index, ToUnixMillis(*t));
  } else {
    stmt.BindNull(index);
  }
}

// Inserts `u`, already normalised and checked.
Status InsertUser(SqliteConnection& conn, const UserRecord& u) {
  return SqliteRun(conn, kInsertUser,
                   [&](SqliteStatement& s) {
                     s.Bind(1, u.id);
                     s.Bind(2, u.email);
                     s.Bind(3, u.password_hash);
                     s.Bind(4, UserRoleName(u.role));
                     s.Bind(5, u.quota_bytes);
                     s.Bind(6, ToUnixMillis(u.created_at));
                     s.Bind(7, int64_t{u.disabled ? 1 : 0});
                   })
      .status();
}

class SqliteUserStore final : public UserStore {
 public:
  explicit SqliteUserStore(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}

  Status CreateUser(const UserRecord& user) override {
    UserRecord u = user;
    u.email = NormalizeEmail(user.email);
    GALLERY_RETURN_IF_ERROR(CheckUserForCreate(u));
    SqliteDatabase::WriterLock writer(db_.get());
    return InsertUser(*writer, u);
  }

  Status CreateFirstUser(const UserRecord& user) override {
    UserRecord u = user;
    u.email = NormalizeEmail(user.email);
    GALLERY_RETURN_IF_ERROR(CheckUserForCreate(u));
    // BEGIN IMMEDIATE takes the file's write lock before the count, so no
    // other connection (of any process) can insert between the two.
    return db_->WriteTransaction([&](SqliteConnection& conn) -> Status {
      Result<std::optional<int64_t>> any = SqliteQueryInt(conn, kAnyUser);
      if (!any.ok()) return any.status();
      if (*any) return Status::AlreadyExists("a user exists already");
      return InsertUser(conn, u);
    });
  }

  Result<UserRecord> GetUser(const std::string& id) override {
    return ReadOne<UserRecord>(kGetUser, id, "user " + id, ReadUser);
  }

  Result<UserRecord> FindUserByEmail(std::string_view email) override {
    const std::string normalized = NormalizeEmail(email);
    return ReadOne<UserRecord>(kFindUserByEmail, normalized, "user with that email", ReadUser);
  }

  Result<UserPage> ListUsers(const std::optional<std::string>& after, int limit) override {
    GALLERY_RETURN_IF_ERROR(CheckListLimit(limit));
    SqliteDatabase::ReaderLease reader(db_.get());
    Result<SqliteStatement> stmt = reader->Prepare(after ? kListUsersAfter : kListUsersFirst);
    if (!stmt.ok()) return stmt.status();
    int index = 1;
    if (after) stmt->Bind(index++, *after);
    stmt->Bind(index, int64_t{limit} + 1);  // one more tells whether a page follows
    auto page = SqliteReadPage<std::string>(*stmt, limit, ReadUser,
                                            [](const UserRecord& u) { return u.email; });
    if (!page.ok()) return page.status();
    return UserPage{std::move(page->first), std::move(page->second)};
  }

  Result<int64_t> CountUsers() override { return Count(kCountUsers, {}); }

  Status UpdatePasswordHash(const std::string& user_id, const std::string& hash) override {
    if (hash.empty()) return Status::InvalidArgument("password hash is empty");
    return UpdateUser(kUpdatePasswordHash, user_id, [&](SqliteStatement& s) { s.Bind(2, hash); });
  }

  Status UpdateRole(const std::string& user_id, UserRole role) override {
    return UpdateUser(kUpdateRole, user_id,
                      [&](SqliteStatement& s) { s.Bind(2, UserRoleName(role)); });
  }

  Status UpdateQuota(const std::string& user_id, int64_t quota_bytes) override {
    if (quota_bytes < 0) return Status::InvalidArgument("quota_bytes is negative");
    return UpdateUser(kUpdateQuota, user_id, [&](SqliteStatement& s) { s.Bind(2, quota_bytes); });
  }

  Status SetDisabled(const std::string& user_id, bool disabled) override {
    return UpdateUser(kUpdateDisabled, user_id,
                      [&](SqliteStatement& s) { s.Bind(2, int64_t{disabled ? 1 : 0}); });
  }

  Status CreateSession(const SessionRecord& session) override {
    GALLERY_RETURN_IF_ERROR(CheckSessionForCreate(session));
    Status s = Write(kInsertSession, [&](SqliteStatement& st) {
                 st.Bind(1, session.token_hash);
                 st.Bind(2, session.user_id);
                 st.Bind(3, session.csrf_token_hash);
                 st.Bind(4, ToUnixMillis(session.created_at));
                 st.Bind(5, ToUnixMillis(session.last_seen_at));
                 st.Bind(6, ToUnixMillis(session.expires_at));
               }).status();
    return UserMissingIfConflict(s, session.user_id);
  }

  Result<SessionRecord> GetSessionByTokenHash(const std::string& token_hash, Clock::time_point now,
                                              std::chrono::milliseconds idle_timeout) override {
    SqliteDatabase::ReaderLease reader(db_.get());
    Result<SqliteStatement> stmt = reader->Prepare(kGetLiveSession);
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, token_hash);
    stmt->Bind(2, ToUnixMillis(now));
    stmt->Bind(3, static_cast<int64_t>(idle_timeout.count()));
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("no live session with that token");
    return ReadSession(*stmt);
  }

  Status TouchSession(const std::string& token_hash, Clock::time_point now) override {
    return Touch(kTouchSession, kSessionExists, token_hash, now, "session");
  }

  Status DeleteSession(const std::string& token_hash) override {
    Result<int64_t> n = Write(kDeleteSession, [&](SqliteStatement& s) { s.Bind(1, token_hash); });
    if (!n.ok()) return n.status();
    if (*n == 0) return Status::NotFound("no session with that token");
    return Status::Ok();
  }

  Result<int64_t> DeleteUserSessions(const std::string& user_id) override {
    return Write(kDeleteUserSessions, [&](SqliteStatement& s) { s.Bind(1, user_id); });
  }

  Result<int64_t> DeleteExpiredSessions(Clock::time_point now,
                                        std::chrono::milliseconds idle_timeout) override {
    return Write(kDeleteExpiredSessions, [&](SqliteStatement& s) {
      s.Bind(1, ToUnixMillis(now));
      s.Bind(2, static_cast<int64_t>(idle_timeout.count()));
    });
  }

  Status CreateApiToken(const ApiTokenRecord& token) override {
    GALLERY_RETURN_IF_ERROR(CheckApiTokenForCreate(token));
    Status s = Write(kInsertToken, [&](SqliteStatement& st) {
                 st.Bind(1, token.id);
                 st.Bind(2, token.user_id);
                 st.Bind(3, token.name);
                 st.Bind(4, token.token_hash);
                 st.Bind(5, ToUnixMillis(token.created_at));
                 BindOptionalTime(st, 6, token.last_used_at);
                 BindOptionalTime(st, 7, token.revoked_at);
               }).status();
    return UserMissingIfConflict(s, token.user_id);
  }

  Result<ApiTokenRecord> FindApiTokenByHash(const std::string& token_hash) override {
    return ReadOne<ApiTokenRecord>(kFindTokenByHash, token_hash, "no live api token with that hash",
                                   ReadToken);
  }

  Result<std::vector<ApiTokenRecord>> ListApiTokens(const std::string& user_id) override {
    SqliteDatabase::ReaderLease reader(db_.get());
    Result<SqliteStatement> stmt = reader->Prepare(kListTokens);
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, user_id);
    std::vector<ApiTokenRecord> tokens;
    while (true) {
      Result<bool> row = stmt->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      tokens.push_back(ReadToken(*stmt));
    }
    return tokens;
  }

  Status TouchApiToken(const std::string& id, Clock::time_point now) override {
    return Touch(kTouchToken, kTokenExists, id, now, "api token " + id);
  }

  Status RevokeApiToken(const std::string& user_id, const std::string& id,
                        Clock::time_point now) override {
    Result<int64_t> n = Write(kRevokeToken, [&](SqliteStatement& s) {
      s.Bind(1, user_id);
      s.Bind(2, id);
      s.Bind(3, ToUnixMillis(now));
    });
    if (!n.ok()) return n.status();
    if (*n == 0) return Status::NotFound("api token " + id + " of user " + user_id);
    return Status::Ok();
  }

  Status RecordFailedSignIn(const std::string& key, Clock::time_point at) override {
    if (key.empty()) return Status::InvalidArgument("sign-in key is empty");
    return Write(kInsertFailure,
                 [&](SqliteStatement& s) {
                   s.Bind(1, key);
                   s.Bind(2, ToUnixMillis(at));
                 })
        .status();
  }

  Result<int64_t> CountFailedSignIns(const std::string& key, Clock::time_point since) override {
    return Count(kCountFailures, [&](SqliteStatement& s) {
      s.Bind(1, key);
      s.Bind(2, ToUnixMillis(since));
    });
  }

  Status ClearFailedSignIns(const std::string& key) override {
    return Write(kClearFailures, [&](SqliteStatement& s) { s.Bind(1, key); }).status();
  }

  Result<int64_t> DeleteFailedSignInsBefore(Clock::time_point before) override {
    return Write(kDeleteOldFailures, [&](SqliteStatement& s) { s.Bind(1, ToUnixMillis(before)); });
  }

 private:
  // One write statement in autocommit mode (one transaction); returns the
  // rows it changed.
  Result<int64_t> Write(std::string_view sql, const SqliteBinder& bind) {
    SqliteDatabase::WriterLock writer(db_.get());
    Result<SqliteStatement> stmt = writer->Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    bind(*stmt);
    Result<bool> done = stmt->Step();
    if (!done.ok()) return done.status();
    return writer->Changes();
  }

  Status UpdateUser(std::string_view sql, const std::string& user_id, const SqliteBinder& bind) {
    Result<int64_t> n = Write(sql, [&](SqliteStatement& s) {
      s.Bind(1, user_id);
      bind(s);
    });
    if (!n.ok()) return n.status();
    if (*n == 0) return Status::NotFound("user " + user_id);
    return Status::Ok();
  }

  // The conditional update of TouchSession and TouchApiToken; when it
  // changed nothing, tells "recent enough" (OK) from "no such row".
  Status Touch(std::string_view update, std::string_view exists, const std::string& key,
               Clock::time_point now, const std::string& what) {
    SqliteDatabase::WriterLock writer(db_.get());
    {
      Result<SqliteStatement> stmt = writer->Prepare(update);
      if (!stmt.ok()) return stmt.status();
      const int64_t now_ms = ToUnixMillis(now);
      stmt->Bind(1, key);
      stmt->Bind(2, now_ms);
      stmt->Bind(3, now_ms - kTouchInterval.count());
      Result<bool> done = stmt->Step();
      if (!done.ok()) return done.status();
      if (writer->Changes() > 0) return Status::Ok();
    }
    Result<SqliteStatement> stmt = writer->Prepare(exists);
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, key);
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound(what);
    return Status::Ok();
  }

  Result<int64_t> Count(std::string_view sql, const SqliteBinder& bind) {
    SqliteDatabase::ReaderLease reader(db_.get());
    Result<SqliteStatement> stmt = reader->Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    if (bind) bind(*stmt);
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Internal("sqlite: count(*) returned no row");
    return stmt->Int64(0);
  }

  template <typename T>
  Result<T> ReadOne(std::string_view sql, const std::string& key, const std::string& what,
                    T (*read)(const SqliteStatement&)) {
    SqliteDatabase::ReaderLease reader(db_.get());
    return SqliteQueryOne(
        *reader, sql, what, [&key](SqliteStatement& st) { st.Bind(1, key); }, read);
  }

  std::shared_ptr<SqliteDatabase> db_;
};

}  // namespace

std::unique_ptr<UserStore> NewSqliteUserStore(std::shared_ptr<SqliteDatabase> db) {
  return std::make_unique<SqliteUserStore>(std::move(db));
}

}  // namespace gallery::db
