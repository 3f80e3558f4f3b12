#include "gallery/auth_service.hpp"

#include <algorithm>

#include "common/crypto.hpp"
#include "common/log.hpp"
#include "common/password.hpp"
#include "common/time.hpp"
#include "db/user_store_checks.hpp"

namespace gallery::service {
namespace {

using db::Clock;

// The key of the CSRF token's HMAC. It need not be secret: the token's
// unpredictability comes from the session token it is computed from, which
// a cross-site attacker cannot read (HttpOnly cookie). The HMAC makes the
// CSRF token, which scripts do see, useless for recovering the session
// token, and lets every instance compute it with no shared secret.
constexpr std::string_view kCsrfKey = "gallery/csrf-token/v1";

Status Unauthenticated(std::string message) {
  return Status(ErrorCode::kUnauthenticated, std::move(message),
                "Sign in, or send a personal API token as 'Authorization: Bearer <token>'");
}

Status WrongCredentials() {
  return Status(ErrorCode::kUnauthenticated, "sign-in refused", "Wrong email or password");
}

Status HashingBusy() {
  return Status(ErrorCode::kOverloaded, "every password hashing slot is busy",
                "Too many sign-ins at once; retry shortly");
}

Status NoSuchUser(const Status& s) {
  if (s.code() != ErrorCode::kNotFound) return s;
  return Status(ErrorCode::kNotFound, s.message(), "No such user");
}

bool HasControlCharacters(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F;
  });
}

// Holds one of the `max` password hashing slots, if one was free.
class HashSlot {
 public:
  HashSlot(std::atomic<int>& in_flight, int max)
      : in_flight_(in_flight), held_(in_flight.fetch_add(1) < max) {
    if (!held_) in_flight_.fetch_sub(1);
  }
  ~HashSlot() {
    if (held_) in_flight_.fetch_sub(1);
  }
  HashSlot(const HashSlot&) = delete;
  HashSlot& operator=(const HashSlot&) = delete;
  bool held() const { return held_; }

 private:
  std::atomic<int>& in_flight_;
  const bool held_;
};

// Times as the store keeps them (milliseconds), so that what is returned
// equals what a later read gives.
Clock::time_point Millis(Clock::time_point t) { return FromUnixMillis(ToUnixMillis(t)); }

}  // namespace

Status CheckPasswordPolicy(std::string_view password, std::string_view field) {
  if (password.size() < kMinPasswordBytes || password.size() > kMaxPasswordBytes) {
    return Status(ErrorCode::kInvalidArgument, "password length outside the policy",
                  std::string(field) + " must be at least " + std::to_string(kMinPasswordBytes) +
                      " characters long (and at most " + std::to_string(kMaxPasswordBytes) +
                      " bytes)");
  }
  return Status::Ok();
}

Status CheckEmail(std::string_view email) {
  const size_t at = email.find('@');
  if (email.size() < 3 || email.size() > db::kMaxEmailBytes || at == std::string_view::npos ||
      at == 0 || at == email.size() - 1 || HasControlCharacters(email) ||
      email.find(' ') != std::string_view::npos) {
    return Status(ErrorCode::kInvalidArgument, "bad email",
                  "email must be an address such as name@example.com (at most " +
                      std::to_string(db::kMaxEmailBytes) + " bytes)");
  }
  return Status::Ok();
}

Credential Credential::Session(std::string token) {
  return Credential{CredentialKind::kSession, std::move(token)};
}

Credential Credential::ApiToken(std::string token) {
  return Credential{CredentialKind::kApiToken, std::move(token)};
}

std::string Credential::Hash() const { return HashToken(token); }

AuthService::AuthService(db::UserStore& users, AuthOptions options)
    : users_(users),
      options_(std::move(options)),
      limiter_(users, options_.sign_in.window, [this] { return Now(); }) {}

Clock::time_point AuthService::Now() const {
  return options_.clock ? options_.clock() : Clock::now();
}

const std::string& AuthService::DummyHash() {
  // Computed on first use, not at construction: the command line and tests
  // that never sign in should not pay for an argon2id hash.
  std::call_once(dummy_once_, [this] {
    Result<std::string> hash = HashPassword(NewSecretToken());
    if (hash.ok()) dummy_hash_ = std::move(hash).value();
  });
  return dummy_hash_;
}

Result<std::string> AuthService::HashNewPassword(std::string_view password) {
  HashSlot slot(hashes_in_flight_, options_.max_concurrent_hashes);
  if (!slot.held()) return HashingBusy();
  return HashPassword(password);
}

bool AuthService::VerifyWithSlot(const std::string& encoded, std::string_view password,
                                 Status* busy) {
  HashSlot slot(hashes_in_flight_, options_.max_concurrent_hashes);
  if (!slot.held()) {
    *busy = HashingBusy();
    return false;
  }
  return VerifyPassword(encoded, password);
}

// ---- Start-up

void AuthService::Prepare() { (void)DummyHash(); }

Result<bool> AuthService::EnsureFirstAdmin(const std::string& email, const std::string& password) {
  Result<int64_t> count = users_.CountUsers();
  if (!count.ok()) return count.status();
  if (*count > 0) return false;
  if (email.empty()) {
    LogWarn(
        "no user exists yet: set GALLERY_ADMIN_EMAIL and GALLERY_ADMIN_PASSWORD and restart, or "
        "run 'gallery user add --email <address> --role admin'");
    return false;
  }
  const std::string normalized = db::NormalizeEmail(email);
  if (Status s = CheckEmail(normalized); !s.ok()) {
    return Status::InvalidArgument("GALLERY_ADMIN_EMAIL: " + s.public_detail());
  }
  if (Status s = CheckPasswordPolicy(password, "GALLERY_ADMIN_PASSWORD"); !s.ok()) {
    return Status::InvalidArgument(s.public_detail());
  }
  Result<std::string> hash = HashPassword(password);
  if (!hash.ok()) return hash.status();
  db::UserRecord admin;
  admin.id = NewId();
  admin.email = normalized;
  admin.password_hash = std::move(hash).value();
  admin.role = db::UserRole::kAdmin;
  admin.created_at = Millis(Now());
  Status created = users_.CreateFirstUser(admin);
  if (created.code() == ErrorCode::kAlreadyExists) return false;  // another instance was first
  if (!created.ok()) return created;
  LogInfo("created the first admin from GALLERY_ADMIN_EMAIL",
          {{"user_id", admin.id}, {"email", admin.email}});
  return true;
}

// ---- Sign-in and sessions

Result<SignedIn> AuthService::SignIn(std::string_view email, std::string_view password,
                                     std::string_view client_address) {
  std::vector<SignInLimiter::Key> keys = {
      {AccountKey(email), options_.sign_in.max_failures_per_account}};
  if (!client_address.empty()) {
    keys.push_back({AddressKey(client_address), options_.sign_in.max_failures_per_address});
  }
  GALLERY_RETURN_IF_ERROR(limiter_.Check(keys));

  // The same work whether or not the account exists: one lookup, one
  // argon2id verification, one failure recorded.
  HashSlot slot(hashes_in_flight_, options_.max_concurrent_hashes);
  if (!slot.held()) return HashingBusy();
  Result<db::UserRecord> user = Status::NotFound("empty email");
  if (!db::NormalizeEmail(email).empty()) user = users_.FindUserByEmail(email);
  if (!user.ok() && user.code() != ErrorCode::kNotFound) return user.status();
  bool match;
  if (user.ok()) {
    match = VerifyPassword(user->password_hash, password) && !user->disabled;
  } else {
    (void)VerifyPassword(DummyHash(), password);
    match = false;
  }
  if (!match) {
    GALLERY_RETURN_IF_ERROR(limiter_.RecordFailure(keys));
    // Never the email: people type their password into it.
    nlohmann::json fields = {{"remote", client_address}};
    if (user.ok()) fields["user_id"] = user->id;
    LogInfo("sign-in failed", std::move(fields));
    return WrongCredentials();
  }
  if (NeedsRehash(user->password_hash)) {
    // Hashed with older parameters: upgrade while the password is at hand.
    Result<std::string> rehashed = HashPassword(password);
    if (rehashed.ok()) {
      Status s = users_.UpdatePasswordHash(user->id, *rehashed);
      if (!s.ok()) LogWarn("password rehash not saved", {{"error", s.message()}});
    }
  }

  const Clock::time_point now = Millis(Now());
  SignedIn out;
  out.session_token = NewSecretToken();
  out.csrf_token = CsrfTokenFor(out.session_token);
  db::SessionRecord session;
  session.token_hash = HashToken(out.session_token);
  session.user_id = user->id;
  session.csrf_token_hash = HashToken(out.csrf_token);
  session.created_at = now;
  session.last_seen_at = now;
  session.expires_at = now + options_.session_lifetime;
  GALLERY_RETURN_IF_ERROR(users_.CreateSession(session));
  if (Status s = limiter_.Clear(keys.front().key); !s.ok()) {
    LogWarn("could not clear sign-in failures", {{"error", s.message()}});
  }
  out.expires_at = session.expires_at;
  out.user = std::move(user).value();
  LogInfo("signed in", {{"user_id", out.user.id}, {"remote", client_address}});
  return out;
}

Status AuthService::SignOut(const Credential& credential) {
  if (credential.kind != CredentialKind::kSession) return Status::Ok();
  Status s = users_.DeleteSession(credential.Hash());
  // Evicting after the delete: a validation racing it either reads the
  // database after the delete or is kept out of the cache (generation).
  cache_.Evict(credential.token);
  if (s.code() == ErrorCode::kNotFound) return Status::Ok();
  return s;
}

// ---- Authentication

std::shared_ptr<const Identity> AuthService::PeekCached(const Credential& credential) const {
  if (options_.cache_ttl.count() <= 0) return nullptr;
  std::shared_ptr<const Identity> identity = cache_.Find(credential.token, Now());
  // A session token shown as a Bearer token (or the reverse) is no credential.
  if (identity && identity->via_session != (credential.kind == CredentialKind::kSession)) {
    return nullptr;
  }
  return identity;
}

Result<std::shared_ptr<const Identity>> AuthService::Authenticate(const Credential& credential) {
  const uint64_t generation = cache_.generation();
  const Clock::time_point now = Now();
  const std::string token_hash = credential.Hash();
  auto identity = std::make_shared<Identity>();
  Clock::time_point valid_until = now + options_.cache_ttl;
  std::string user_id;
  if (credential.kind == CredentialKind::kSession) {
    Result<db::SessionRecord> session =
        users_.GetSessionByTokenHash(token_hash, now, options_.session_idle_timeout);
    if (!session.ok()) {
      if (session.code() == ErrorCode::kNotFound) {
        return Unauthenticated("session unknown, expired or signed out");
      }
      return session.status();
    }
    Clock::time_point last_seen = session->last_seen_at;
    if (last_seen <= now - db::kTouchInterval) {
      Status touched = users_.TouchSession(token_hash, now);
      if (touched.code() == ErrorCode::kNotFound) return Unauthenticated("session signed out");
      if (touched.ok()) {
        last_seen = now;
      } else {
        LogWarn("session activity not recorded", {{"error", touched.message()}});
      }
    }
    valid_until =
        std::min({valid_until, session->expires_at, last_seen + options_.session_idle_timeout});
    user_id = session->user_id;
    identity->via_session = true;
    identity->csrf_token_hash = session->csrf_token_hash;
  } else {
    Result<db::ApiTokenRecord> token = users_.FindApiTokenByHash(token_hash);
    if (!token.ok()) {
      if (token.code() == ErrorCode::kNotFound)
        return Unauthenticated("api token unknown or revoked");
      return token.status();
    }
    if (!token->last_used_at || *token->last_used_at <= now - db::kTouchInterval) {
      Status touched = users_.TouchApiToken(token->id, now);
      if (!touched.ok()) LogWarn("api token use not recorded", {{"error", touched.message()}});
    }
    user_id = token->user_id;
    identity->api_token_id = token->id;
  }
  Result<db::UserRecord> user = users_.GetUser(user_id);
  if (!user.ok()) {
    if (user.code() == ErrorCode::kNotFound) return Unauthenticated("user gone");
    return user.status();
  }
  if (user->disabled) return Unauthenticated("user disabled");
  identity->user_id = user->id;
  identity->email = user->email;
  identity->role = user->role;
  identity->quota_bytes = user->quota_bytes;
  if (options_.cache_ttl.count() > 0 && valid_until > now) {
    cache_.Put(credential.token, identity, valid_until, now, generation);
  }
  return std::shared_ptr<const Identity>(std::move(identity));
}

std::string AuthService::CsrfTokenFor(std::string_view session_token) {
  Sha256Digest mac = HmacSha256(kCsrfKey, session_token);
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
}

bool AuthService::CsrfTokenValid(const Identity& identity, std::string_view csrf_token) {
  if (!identity.via_session || csrf_token.empty() || identity.csrf_token_hash.empty()) return false;
  return ConstantTimeEquals(HashToken(csrf_token), identity.csrf_token_hash);
}

// ---- The signed-in user's own account

Status AuthService::ChangePassword(const std::string& user_id, std::string_view current_password,
                                   std::string_view new_password, const Credential* keep) {
  GALLERY_RETURN_IF_ERROR(CheckPasswordPolicy(new_password, "new_password"));
  Result<db::UserRecord> user = users_.GetUser(user_id);
  if (!user.ok()) return NoSuchUser(user.status());
  // Guessing the password from a stolen session counts like sign-in guesses.
  const std::vector<SignInLimiter::Key> keys = {
      {AccountKey(user->email), options_.sign_in.max_failures_per_account}};
  GALLERY_RETURN_IF_ERROR(limiter_.Check(keys));
  Status busy;
  if (!VerifyWithSlot(user->password_hash, current_password, &busy)) {
    if (!busy.ok()) return busy;
    GALLERY_RETURN_IF_ERROR(limiter_.RecordFailure(keys));
    return Status(ErrorCode::kForbidden, "wrong current password", "current_password is wrong");
  }
  Result<std::string> hash = HashNewPassword(new_password);
  if (!hash.ok()) return hash.status();

  std::optional<db::SessionRecord> kept;
  if (keep != nullptr && keep->kind == CredentialKind::kSession) {
    Result<db::SessionRecord> s =
        users_.GetSessionByTokenHash(keep->Hash(), Now(), options_.session_idle_timeout);
    if (s.ok() && s->user_id == user_id) kept = std::move(s).value();
  }
  GALLERY_RETURN_IF_ERROR(users_.UpdatePasswordHash(user_id, *hash));
  GALLERY_RETURN_IF_ERROR(SignOutEverywhere(user_id));
  if (kept) GALLERY_RETURN_IF_ERROR(users_.CreateSession(*kept));
  LogInfo("password changed", {{"user_id", user_id}});
  return Status::Ok();
}

Status AuthService::SignOutEverywhere(const std::string& user_id) {
  Result<int64_t> n = users_.DeleteUserSessions(user_id);
  cache_.EvictUser(user_id);  // after the delete, as in SignOut
  return n.status();
}

// ---- Personal API tokens

Result<NewApiToken> AuthService::CreateApiToken(const std::string& user_id, std::string_view name) {
  if (name.empty() || name.size() > db::kMaxApiTokenNameBytes || HasControlCharacters(name)) {
    return Status(ErrorCode::kInvalidArgument, "bad token name",
                  "name must be 1 to " + std::to_string(db::kMaxApiTokenNameBytes) +
                      " bytes without control characters");
  }
  NewApiToken out;
  out.token = NewSecretToken();
  out.record.id = NewId();
  out.record.user_id = user_id;
  out.record.name = std::string(name);
  out.record.token_hash = HashToken(out.token);
  out.record.created_at = Millis(Now());
  Status s = users_.CreateApiToken(out.record);
  if (!s.ok()) return NoSuchUser(s);
  LogInfo("api token created", {{"user_id", user_id}, {"token_id", out.record.id}});
  return out;
}

Result<std::vector<db::ApiTokenRecord>> AuthService::ListApiTokens(const std::string& user_id) {
  return users_.ListApiTokens(user_id);
}

Status AuthService::RevokeApiToken(const std::string& user_id, const std::string& token_id) {
  Status s = users_.RevokeApiToken(user_id, token_id, Now());
  if (s.ok()) cache_.EvictApiToken(token_id);  // after the write, as in SignOut
  if (s.code() == ErrorCode::kNotFound) {
    return Status(ErrorCode::kNotFound, s.message(), "No such token");
  }
  if (s.ok()) LogInfo("api token revoked", {{"user_id", user_id}, {"token_id", token_id}});
  return s;
}

// ---- Users

Result<db::UserRecord> AuthService::CreateUser(std::string_view email, std::string_view password,
                                               db::UserRole role, int64_t quota_bytes) {
  db::UserRecord user;
  user.email = db::NormalizeEmail(email);
  GALLERY_RETURN_IF_ERROR(CheckEmail(user.email));
  GALLERY_RETURN_IF_ERROR(CheckPasswordPolicy(password));
  if (quota_bytes < 0) {
    return Status(ErrorCode::kInvalidArgument, "negative quota",
                  "quota_bytes must be 0 (unlimited) or more");
  }
  Result<std::string> hash = HashNewPassword(password);
  if (!hash.ok()) return hash.status();
  user.id = NewId();
  user.password_hash = std::move(hash).value();
  user.role = role;
  user.quota_bytes = quota_bytes;
  user.created_at = Millis(Now());
  Status s = users_.CreateUser(user);
  if (s.code() == ErrorCode::kAlreadyExists) {
    return Status(ErrorCode::kAlreadyExists, s.message(), "A user with this email already exists");
  }
  if (!s.ok()) return s;
  LogInfo("user created", {{"user_id", user.id}, {"role", db::UserRoleName(role)}});
  return user;
}

Result<db::UserRecord> AuthService::GetUser(const std::string& user_id) {
  Result<db::UserRecord> user = users_.GetUser(user_id);
  if (!user.ok()) return NoSuchUser(user.status());
  return user;
}

Result<db::UserRecord> AuthService::FindUserByEmail(std::string_view email) {
  Result<db::UserRecord> user = users_.FindUserByEmail(email);
  if (!user.ok()) return NoSuchUser(user.status());
  return user;
}

Result<db::UserPage> AuthService::ListUsers(const std::optional<std::string>& after_email,
                                            int limit) {
  return users_.ListUsers(after_email, limit);
}

Result<db::UserRecord> AuthService::UpdateUser(const std::string& user_id, const UserUpdate& update,
                                               const std::string& actor_id) {
  if (update.password) GALLERY_RETURN_IF_ERROR(CheckPasswordPolicy(*update.password));
  if (update.quota_bytes && *update.quota_bytes < 0) {
    return Status(ErrorCode::kInvalidArgument, "negative quota",
                  "quota_bytes must be 0 (unlimited) or more");
  }
  if (actor_id == user_id && ((update.role && *update.role != db::UserRole::kAdmin) ||
                              (update.disabled && *update.disabled))) {
    return Status(ErrorCode::kInvalidArgument, "admin demoting or disabling themselves",
                  "You cannot take away your own admin role or disable yourself");
  }
  Result<db::UserRecord> user = users_.GetUser(user_id);
  if (!user.ok()) return NoSuchUser(user.status());
  std::optional<std::string> hash;
  if (update.password) {
    Result<std::string> h = HashNewPassword(*update.password);
    if (!h.ok()) return h.status();
    hash = std::move(h).value();
  }
  if (update.role) GALLERY_RETURN_IF_ERROR(NoSuchUser(users_.UpdateRole(user_id, *update.role)));
  if (update.quota_bytes) {
    GALLERY_RETURN_IF_ERROR(NoSuchUser(users_.UpdateQuota(user_id, *update.quota_bytes)));
  }
  if (update.disabled) {
    GALLERY_RETURN_IF_ERROR(NoSuchUser(users_.SetDisabled(user_id, *update.disabled)));
  }
  if (hash) GALLERY_RETURN_IF_ERROR(NoSuchUser(users_.UpdatePasswordHash(user_id, *hash)));
  // Role and quota are part of cached identities: drop them in any case.
  cache_.EvictUser(user_id);
  if (hash || (update.disabled && *update.disabled)) {
    GALLERY_RETURN_IF_ERROR(SignOutEverywhere(user_id));
  }
  LogInfo("user updated", {{"user_id", user_id},
                           {"by", actor_id},
                           {"role", update.role.has_value()},
                           {"quota", update.quota_bytes.has_value()},
                           {"disabled", update.disabled.has_value()},
                           {"password", update.password.has_value()}});
  return GetUser(user_id);
}

Result<db::UserRecord> AuthService::ResetPassword(std::string_view email,
                                                  std::string_view new_password) {
  GALLERY_RETURN_IF_ERROR(CheckPasswordPolicy(new_password));
  Result<db::UserRecord> user = users_.FindUserByEmail(email);
  if (!user.ok()) return NoSuchUser(user.status());
  Result<std::string> hash = HashNewPassword(new_password);
  if (!hash.ok()) return hash.status();
  GALLERY_RETURN_IF_ERROR(users_.UpdatePasswordHash(user->id, *hash));
  GALLERY_RETURN_IF_ERROR(SignOutEverywhere(user->id));
  user->password_hash = std::move(hash).value();
  LogInfo("password reset", {{"user_id", user->id}});
  return user;
}

Result<int64_t> AuthService::UsedBytes(const std::string& user_id) {
  if (!options_.used_bytes) return int64_t{0};
  return options_.used_bytes(user_id);
}

// ---- Housekeeping

Status AuthService::Cleanup() {
  Result<int64_t> sessions = users_.DeleteExpiredSessions(Now(), options_.session_idle_timeout);
  if (!sessions.ok()) return sessions.status();
  Result<int64_t> failures = limiter_.Prune();
  if (!failures.ok()) return failures.status();
  if (*sessions > 0 || *failures > 0) {
    LogInfo("auth cleanup", {{"expired_sessions", *sessions}, {"old_sign_in_failures", *failures}});
  }
  return Status::Ok();
}

}  // namespace gallery::service
