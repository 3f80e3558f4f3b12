#pragma once

// AuthService: accounts and what proves who a request is. Sign-in with
// email and password (argon2id), server-side sessions, CSRF tokens, personal
// API tokens, sign-in rate limiting, user management and the first admin.
// Plain C++: no HTTP types, no SQL.
//
// Secrets: session tokens, CSRF tokens and API tokens are 256 random bits
// handed to the client once; the database keeps only their SHA-256
// (HashToken), passwords only as argon2id strings. Nothing here logs a
// secret or an email typed at sign-in (people type passwords there).
//
// Sign-in answers the same kUnauthenticated for an unknown email, a wrong
// password and a disabled account, after the same work (an unknown email is
// checked against a dummy argon2id hash), so neither the answer nor its time
// tells whether an account exists. Failures are counted per account and per
// client address (SignInLimiter) in the database all instances share.
//
// Sessions expire when idle for `session_idle_timeout` and, whatever the
// activity, `session_lifetime` after sign-in. Activity is written to the
// database at most once per db::kTouchInterval per session or token.
//
// Authentication is on the hot path: a validated credential is remembered in
// memory (CredentialCache) for `cache_ttl`, so PeekCached answers without a
// database call or a thread hop. Sign-out, token revocation, disabling a
// user, a password, role or quota change evict this instance's entries at
// once; another instance sharing the database may still accept the old
// credential (or see the old role or quota) for up to its cache_ttl.
//
// Thread safety: safe for concurrent use. PeekCached, CsrfTokenFor and
// CsrfTokenValid never block; every other method reaches the database or
// hashes a password (about 0.1 s, 64 MiB): call them from a blocking pool.

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "db/user_store.hpp"
#include "gallery/credential_cache.hpp"
#include "gallery/sign_in_limiter.hpp"

namespace gallery::service {

// Passwords are 8 to 1024 bytes (the upper bound keeps hashing cheap to
// refuse; argon2id's cost does not depend on the length).
inline constexpr size_t kMinPasswordBytes = 8;
inline constexpr size_t kMaxPasswordBytes = 1024;

struct AuthOptions {
  std::chrono::milliseconds session_idle_timeout{std::chrono::hours(24 * 7)};
  std::chrono::milliseconds session_lifetime{std::chrono::hours(24 * 30)};
  SignInLimits sign_in;
  // How long a validated credential is trusted from memory; 0 turns the
  // cache off (every request asks the database).
  std::chrono::milliseconds cache_ttl{5000};
  // Password hashes computed at once; more sign-ins meanwhile get
  // kOverloaded (each takes 64 MiB for ~0.1 s: unbounded, a burst of
  // sign-ins would take the memory of a small container).
  int max_concurrent_hashes = 4;
  // Bytes of originals a user stores, for User JSON's used_bytes; unset
  // means nothing is counted yet (0).
  std::function<Result<int64_t>(const std::string& user_id)> used_bytes;
  // The clock; unset means db::Clock::now (tests inject their own).
  std::function<db::Clock::time_point()> clock;
};

enum class CredentialKind { kSession, kApiToken };

// A credential as the client presented it.
struct Credential {
  CredentialKind kind = CredentialKind::kSession;
  std::string token;  // secret: never log it

  static Credential Session(std::string token);
  static Credential ApiToken(std::string token);
  // HashToken(token): how the database knows it. Computed on demand (about
  // a microsecond): the cached path needs no hash.
  std::string Hash() const;
};

// What a successful sign-in hands back.
struct SignedIn {
  db::UserRecord user;
  std::string session_token;         // the cookie's value (secret)
  std::string csrf_token;            // for X-CSRF-Token
  db::Clock::time_point expires_at;  // the absolute expiry
};

struct NewApiToken {
  db::ApiTokenRecord record;
  std::string token;  // shown once; only its hash is stored
};

// PATCH of a user: the fields given are changed.
struct UserUpdate {
  std::optional<db::UserRole> role;
  std::optional<int64_t> quota_bytes;
  std::optional<bool> disabled;
  std::optional<std::string> password;
};

class AuthService {
 public:
  // `users` must outlive the service.
  AuthService(db::UserStore& users, AuthOptions options);

  const AuthOptions& options() const { return options_; }

  // ---- Start-up

  // Computes the dummy hash unknown emails are checked against (about
  // 0.1 s), so that the first such sign-in takes no longer than a wrong
  // password does. Done lazily otherwise; the server calls it at start.
  void Prepare();

  // The first admin: when the store has no user and `email` is set, creates
  // an admin with `email` and `password` (atomically: of several instances
  // starting together, one creates it). When the store has no user and
  // `email` is empty, logs how to create one. Returns whether it created the
  // admin. kInvalidArgument (naming GALLERY_ADMIN_*) for an unusable email
  // or password.
  Result<bool> EnsureFirstAdmin(const std::string& email, const std::string& password);

  // ---- Sign-in and sessions

  // Checks the password and opens a session. kTooManyRequests (with
  // retry_after) while the account or `client_address` is locked out;
  // kUnauthenticated for a wrong email, wrong password or disabled account
  // (one answer for all three); kOverloaded when too many passwords are
  // being hashed at once.
  Result<SignedIn> SignIn(std::string_view email, std::string_view password,
                          std::string_view client_address);

  // Ends the session `credential` names (OK if it is already gone).
  Status SignOut(const Credential& credential);

  // ---- Authentication

  // The identity `credential` was recently validated as, from memory
  // (never blocks), or null: then call Authenticate.
  std::shared_ptr<const Identity> PeekCached(const Credential& credential) const;

  // Validates `credential` against the database and caches the result.
  // kUnauthenticated when it is unknown, expired, signed out or revoked, or
  // its user is disabled.
  Result<std::shared_ptr<const Identity>> Authenticate(const Credential& credential);

  // The CSRF token of a session: a keyed hash of its token, so it can be
  // handed out again (after a page reload) without storing it.
  static std::string CsrfTokenFor(std::string_view session_token);

  // Whether `csrf_token` is the one of the session `identity` came from
  // (compared with the session's stored csrf_token_hash, in constant time).
  // Always false for API-token identities and empty tokens.
  static bool CsrfTokenValid(const Identity& identity, std::string_view csrf_token);

  // ---- The signed-in user's own account

  // Checks `current_password` (kForbidden when wrong; failures count toward
  // the account's sign-in lock-out), sets `new_password`, and signs the user
  // out everywhere except the session `keep` (when given).
  Status ChangePassword(const std::string& user_id, std::string_view current_password,
                        std::string_view new_password, const Credential* keep);

  // ---- Personal API tokens

  // kInvalidArgument for a name that is empty, over 200 bytes or has
  // control characters.
  Result<NewApiToken> CreateApiToken(const std::string& user_id, std::string_view name);
  Result<std::vector<db::ApiTokenRecord>> ListApiTokens(const std::string& user_id);
  // kNotFound when the user has no such token (another user's counts as none).
  Status RevokeApiToken(const std::string& user_id, const std::string& token_id);

  // ---- Users (the caller checks that the actor is an admin)

  // kInvalidArgument for a bad email, password or quota; kAlreadyExists when
  // the email is taken.
  Result<db::UserRecord> CreateUser(std::string_view email, std::string_view password,
                                    db::UserRole role, int64_t quota_bytes);
  Result<db::UserRecord> GetUser(const std::string& user_id);
  Result<db::UserRecord> FindUserByEmail(std::string_view email);
  Result<db::UserPage> ListUsers(const std::optional<std::string>& after_email, int limit);

  // Applies `update` (all fields checked before any is written). A new
  // password or disabling signs the user out everywhere. `actor_id` is the
  // admin making the change: kInvalidArgument when they would take away
  // their own admin role or disable themselves (so an admin always
  // remains). kNotFound when no such user.
  Result<db::UserRecord> UpdateUser(const std::string& user_id, const UserUpdate& update,
                                    const std::string& actor_id);

  // The command line's reset: sets the password of the user with `email`
  // and signs them out everywhere. kNotFound when no such user.
  Result<db::UserRecord> ResetPassword(std::string_view email, std::string_view new_password);

  // Bytes of originals the user stores (AuthOptions::used_bytes).
  Result<int64_t> UsedBytes(const std::string& user_id);

  // ---- Housekeeping

  // Deletes expired sessions and failures older than the sign-in window.
  Status Cleanup();

 private:
  db::Clock::time_point Now() const;
  Result<std::string> HashNewPassword(std::string_view password);
  bool VerifyWithSlot(const std::string& encoded, std::string_view password, Status* busy);
  const std::string& DummyHash();
  Status SignOutEverywhere(const std::string& user_id);

  db::UserStore& users_;
  const AuthOptions options_;
  SignInLimiter limiter_;
  CredentialCache cache_;
  std::atomic<int> hashes_in_flight_{0};
  std::once_flag dummy_once_;
  std::string dummy_hash_;
};

// Checks a password against the policy; kInvalidArgument with a public
// detail naming `field` otherwise.
Status CheckPasswordPolicy(std::string_view password, std::string_view field = "password");

// Checks an email address (after db::NormalizeEmail); kInvalidArgument with
// a public detail otherwise.
Status CheckEmail(std::string_view normalized_email);

}  // namespace gallery::service
