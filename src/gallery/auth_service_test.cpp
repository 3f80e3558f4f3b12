#include "gallery/auth_service.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "common/crypto.hpp"
#include "common/password.hpp"
#include "db/sqlite/sqlite_database.hpp"
#include "gallery/counting_user_store_testing.hpp"

namespace gallery::service {
namespace {

using db::Clock;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using testing::CountingUserStore;

constexpr char kPassword[] = "correct horse battery";

UserUpdate Disabled(bool disabled) {
  UserUpdate u;
  u.disabled = disabled;
  return u;
}

UserUpdate WithRole(db::UserRole role) {
  UserUpdate u;
  u.role = role;
  return u;
}

UserUpdate AdminWithQuota1000() {
  UserUpdate u;
  u.role = db::UserRole::kAdmin;
  u.quota_bytes = 1000;
  return u;
}

UserUpdate WithQuota(int64_t quota) {
  UserUpdate u;
  u.quota_bytes = quota;
  return u;
}

// A clock the test moves by hand.
class FakeClock {
 public:
  Clock::time_point now() const { return now_; }
  void Advance(Clock::duration d) { now_ += d; }

 private:
  // Whole milliseconds, as the store keeps times.
  Clock::time_point now_ = Clock::time_point(milliseconds(1'800'000'000'000));
};

class AuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("auth-service-" + NewId());
    std::filesystem::create_directories(dir_);
    Result<std::shared_ptr<db::SqliteDatabase>> database =
        db::OpenSqliteDatabase((dir_ / "gallery.db").string());
    ASSERT_TRUE(database.ok()) << database.status().ToString();
    database_ = *database;
    sqlite_ = db::NewSqliteUserStore(database_);
    store_ = std::make_unique<CountingUserStore>(*sqlite_);
    options_.session_idle_timeout = minutes(30);
    options_.session_lifetime = hours(12);
    options_.sign_in.max_failures_per_account = 3;
    options_.sign_in.max_failures_per_address = 5;
    options_.sign_in.window = minutes(10);
    options_.cache_ttl = seconds(5);
    options_.clock = [this] { return clock_.now(); };
    auth_ = std::make_unique<AuthService>(*store_, options_);
  }

  void TearDown() override {
    auth_.reset();
    store_.reset();
    sqlite_.reset();
    database_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  db::UserRecord AddUser(const std::string& email, db::UserRole role = db::UserRole::kUser) {
    Result<db::UserRecord> u = auth_->CreateUser(email, kPassword, role, 0);
    EXPECT_TRUE(u.ok()) << u.status().ToString();
    return u.ok() ? *u : db::UserRecord{};
  }

  SignedIn SignIn(const std::string& email, const std::string& address = "192.0.2.1") {
    Result<SignedIn> s = auth_->SignIn(email, kPassword, address);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? *s : SignedIn{};
  }

  // Authenticates through the cache first, as the API layer does.
  Result<std::shared_ptr<const Identity>> Auth(const Credential& c) {
    if (auto cached = auth_->PeekCached(c)) return cached;
    return auth_->Authenticate(c);
  }

  std::filesystem::path dir_;
  std::shared_ptr<db::SqliteDatabase> database_;
  std::unique_ptr<db::UserStore> sqlite_;
  std::unique_ptr<CountingUserStore> store_;
  FakeClock clock_;
  AuthOptions options_;
  std::unique_ptr<AuthService> auth_;
};

TEST_F(AuthServiceTest, SignInOpensASessionThatAuthenticates) {
  db::UserRecord user = AddUser("Ann@Example.com");
  EXPECT_EQ(user.email, "ann@example.com");
  SignedIn s = SignIn("ANN@example.com");
  EXPECT_EQ(s.user.id, user.id);
  EXPECT_EQ(s.session_token.size(), 43u);
  EXPECT_EQ(s.csrf_token, AuthService::CsrfTokenFor(s.session_token));
  EXPECT_NE(s.csrf_token, s.session_token);
  EXPECT_EQ(s.expires_at, clock_.now() + options_.session_lifetime);

  Result<std::shared_ptr<const Identity>> id =
      auth_->Authenticate(Credential::Session(s.session_token));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ((*id)->user_id, user.id);
  EXPECT_EQ((*id)->email, "ann@example.com");
  EXPECT_TRUE((*id)->via_session);
  EXPECT_FALSE((*id)->admin());

  // Only hashes are stored.
  Result<db::SessionRecord> row =
      sqlite_->GetSessionByTokenHash(HashToken(s.session_token), clock_.now(), minutes(1));
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->csrf_token_hash, HashToken(s.csrf_token));
}

TEST_F(AuthServiceTest, UnknownEmailWrongPasswordAndDisabledUserGetOneAnswer) {
  db::UserRecord user = AddUser("bob@example.com");
  db::UserRecord off = AddUser("off@example.com");
  ASSERT_TRUE(auth_->UpdateUser(off.id, Disabled(true), user.id).ok());

  Result<SignedIn> unknown = auth_->SignIn("nobody@example.com", kPassword, "192.0.2.1");
  Result<SignedIn> wrong = auth_->SignIn("bob@example.com", "not the password", "192.0.2.2");
  Result<SignedIn> disabled = auth_->SignIn("off@example.com", kPassword, "192.0.2.3");
  for (const auto* r : {&unknown, &wrong, &disabled}) {
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->code(), ErrorCode::kUnauthenticated);
    EXPECT_EQ(r->status().public_detail(), "Wrong email or password");
  }
  // Each counted as a failure of its account and its address.
  for (const char* key : {"email:nobody@example.com", "email:bob@example.com",
                          "email:off@example.com", "ip:192.0.2.1", "ip:192.0.2.3"}) {
    EXPECT_EQ(*sqlite_->CountFailedSignIns(key, clock_.now() - minutes(1)), 1) << key;
  }
}

TEST_F(AuthServiceTest, AccountLocksOutAfterItsLimitAndUnlocksWhenFailuresAgeOut) {
  AddUser("carol@example.com");
  const Clock::time_point t0 = clock_.now();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(
        auth_->SignIn("carol@example.com", "wrong password", "198.51.100." + std::to_string(i))
            .code(),
        ErrorCode::kUnauthenticated);
    clock_.Advance(minutes(1));
  }
  // Failures at t0, t0+1m, t0+2m; now t0+3m. Even the right password is
  // refused until the oldest leaves the 10 minute window: at t0+10m.
  Result<SignedIn> locked = auth_->SignIn("carol@example.com", kPassword, "203.0.113.9");
  ASSERT_EQ(locked.code(), ErrorCode::kTooManyRequests);
  const int64_t wait = locked.status().retry_after().count();
  EXPECT_GE(wait, 7 * 60);
  EXPECT_LE(wait, 7 * 60 + 2);
  EXPECT_NE(locked.status().public_detail().find(std::to_string(wait)), std::string::npos);

  // Still locked a little before; open at the time announced.
  clock_.Advance(seconds(wait) - seconds(3));
  EXPECT_EQ(auth_->SignIn("carol@example.com", kPassword, "203.0.113.9").code(),
            ErrorCode::kTooManyRequests);
  clock_.Advance(seconds(3));
  EXPECT_GE(clock_.now(), t0 + minutes(10));
  Result<SignedIn> ok = auth_->SignIn("carol@example.com", kPassword, "203.0.113.9");
  EXPECT_TRUE(ok.ok()) << ok.status().ToString();
  // A success forgets the account's failures.
  EXPECT_EQ(*sqlite_->CountFailedSignIns("email:carol@example.com", t0), 0);
}

TEST_F(AuthServiceTest, UnknownEmailLocksOutExactlyLikeAKnownOne) {
  AddUser("dave@example.com");
  for (int i = 0; i < 3; ++i) {
    (void)auth_->SignIn("dave@example.com", "wrong password", "198.51.100.1");
    (void)auth_->SignIn("ghost@example.com", "wrong password", "198.51.100.2");
  }
  Result<SignedIn> known = auth_->SignIn("dave@example.com", "wrong password", "203.0.113.1");
  Result<SignedIn> unknown = auth_->SignIn("ghost@example.com", "wrong password", "203.0.113.2");
  ASSERT_EQ(known.code(), ErrorCode::kTooManyRequests);
  ASSERT_EQ(unknown.code(), ErrorCode::kTooManyRequests);
  EXPECT_EQ(known.status().retry_after(), unknown.status().retry_after());
  EXPECT_EQ(known.status().public_detail(), unknown.status().public_detail());
}

TEST_F(AuthServiceTest, AddressLocksOutAcrossAccounts) {
  AddUser("erin@example.com");
  for (int i = 0; i < 5; ++i) {
    (void)auth_->SignIn("user" + std::to_string(i) + "@example.com", "guess", "198.51.100.7");
  }
  EXPECT_EQ(auth_->SignIn("erin@example.com", kPassword, "198.51.100.7").code(),
            ErrorCode::kTooManyRequests);
  // The account itself is not locked: from elsewhere it signs in.
  EXPECT_TRUE(auth_->SignIn("erin@example.com", kPassword, "198.51.100.8").ok());
}

TEST_F(AuthServiceTest, ALockFoundIsAnsweredFromMemory) {
  for (int i = 0; i < 3; ++i) (void)auth_->SignIn("frank@example.com", "guess", "");
  ASSERT_EQ(auth_->SignIn("frank@example.com", "guess", "").code(), ErrorCode::kTooManyRequests);
  const int calls = store_->calls();
  Result<SignedIn> again = auth_->SignIn("frank@example.com", "guess", "");
  EXPECT_EQ(again.code(), ErrorCode::kTooManyRequests);
  EXPECT_EQ(store_->calls(), calls);
}

TEST_F(AuthServiceTest, SessionExpiresWhenIdle) {
  AddUser("gina@example.com");
  Credential c = Credential::Session(SignIn("gina@example.com").session_token);
  // Used every 20 minutes (idle timeout 30): stays alive for hours.
  for (int i = 0; i < 9; ++i) {
    clock_.Advance(minutes(20));
    ASSERT_TRUE(Auth(c).ok()) << "after " << (i + 1) * 20 << " minutes";
  }
  clock_.Advance(minutes(31));
  Result<std::shared_ptr<const Identity>> idle = Auth(c);
  EXPECT_EQ(idle.code(), ErrorCode::kUnauthenticated);
}

TEST_F(AuthServiceTest, SessionExpiresAtItsLifetimeWhateverTheActivity) {
  AddUser("hank@example.com");
  Credential c = Credential::Session(SignIn("hank@example.com").session_token);
  for (int i = 0; i < 35; ++i) {  // 11 h 40 min of activity
    clock_.Advance(minutes(20));
    ASSERT_TRUE(Auth(c).ok());
  }
  clock_.Advance(minutes(20));  // 12 h after sign-in
  EXPECT_EQ(Auth(c).code(), ErrorCode::kUnauthenticated);
}

TEST_F(AuthServiceTest, CachedIdentityCostsNoDatabaseCallAndExpiresWithTheTtl) {
  AddUser("ida@example.com");
  Credential c = Credential::Session(SignIn("ida@example.com").session_token);
  EXPECT_EQ(auth_->PeekCached(c), nullptr);
  ASSERT_TRUE(auth_->Authenticate(c).ok());
  const int calls = store_->calls();
  for (int i = 0; i < 100; ++i) ASSERT_NE(auth_->PeekCached(c), nullptr);
  EXPECT_EQ(store_->calls(), calls);
  clock_.Advance(seconds(5));
  EXPECT_EQ(auth_->PeekCached(c), nullptr);
}

TEST_F(AuthServiceTest, CacheNeverOutlivesTheSessionsAbsoluteExpiry) {
  options_.session_lifetime = seconds(3);
  auth_ = std::make_unique<AuthService>(*store_, options_);
  AddUser("jan@example.com");
  Credential c = Credential::Session(SignIn("jan@example.com").session_token);
  ASSERT_TRUE(auth_->Authenticate(c).ok());
  clock_.Advance(seconds(2));
  EXPECT_NE(auth_->PeekCached(c), nullptr);
  clock_.Advance(seconds(1));
  EXPECT_EQ(auth_->PeekCached(c), nullptr);
  EXPECT_EQ(auth_->Authenticate(c).code(), ErrorCode::kUnauthenticated);
}

TEST_F(AuthServiceTest, SignOutEvictsAtOnce) {
  AddUser("kim@example.com");
  Credential c = Credential::Session(SignIn("kim@example.com").session_token);
  ASSERT_TRUE(auth_->Authenticate(c).ok());
  ASSERT_NE(auth_->PeekCached(c), nullptr);
  ASSERT_TRUE(auth_->SignOut(c).ok());
  EXPECT_EQ(auth_->PeekCached(c), nullptr);
  EXPECT_EQ(auth_->Authenticate(c).code(), ErrorCode::kUnauthenticated);
  EXPECT_TRUE(auth_->SignOut(c).ok());  // twice is fine
}

TEST_F(AuthServiceTest, ApiTokensAuthenticateUntilRevoked) {
  db::UserRecord user = AddUser("lee@example.com");
  db::UserRecord other = AddUser("max@example.com");
  Result<NewApiToken> made = auth_->CreateApiToken(user.id, "laptop");
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(made->record.token_hash, HashToken(made->token));
  Credential c = Credential::ApiToken(made->token);
  Result<std::shared_ptr<const Identity>> id = Auth(c);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ((*id)->user_id, user.id);
  EXPECT_FALSE((*id)->via_session);
  EXPECT_EQ((*id)->api_token_id, made->record.id);
  ASSERT_NE(auth_->PeekCached(c), nullptr);

  // Another user cannot revoke it, and does not learn it exists.
  EXPECT_EQ(auth_->RevokeApiToken(other.id, made->record.id).code(), ErrorCode::kNotFound);
  EXPECT_NE(auth_->PeekCached(c), nullptr);
  ASSERT_TRUE(auth_->RevokeApiToken(user.id, made->record.id).ok());
  EXPECT_EQ(auth_->PeekCached(c), nullptr);
  EXPECT_EQ(auth_->Authenticate(c).code(), ErrorCode::kUnauthenticated);
  Result<std::vector<db::ApiTokenRecord>> list = auth_->ListApiTokens(user.id);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_TRUE(list->front().revoked());
  // The first use was recorded.
  EXPECT_TRUE(list->front().last_used_at.has_value());
}

TEST_F(AuthServiceTest, AnotherInstanceNoticesRevocationWithinItsCacheTtl) {
  db::UserRecord user = AddUser("ned@example.com");
  AuthService other_instance(*store_, options_);
  Result<NewApiToken> made = auth_->CreateApiToken(user.id, "ci");
  ASSERT_TRUE(made.ok());
  Credential c = Credential::ApiToken(made->token);
  ASSERT_TRUE(other_instance.Authenticate(c).ok());
  ASSERT_TRUE(auth_->RevokeApiToken(user.id, made->record.id).ok());
  // The documented window: the other instance trusts its memory until the TTL.
  EXPECT_NE(other_instance.PeekCached(c), nullptr);
  clock_.Advance(options_.cache_ttl);
  EXPECT_EQ(other_instance.PeekCached(c), nullptr);
  EXPECT_EQ(other_instance.Authenticate(c).code(), ErrorCode::kUnauthenticated);
}

TEST_F(AuthServiceTest, ASessionTokenIsNoBearerTokenAndTheReverse) {
  db::UserRecord user = AddUser("oli@example.com");
  std::string session = SignIn("oli@example.com").session_token;
  ASSERT_TRUE(auth_->Authenticate(Credential::Session(session)).ok());
  EXPECT_EQ(auth_->PeekCached(Credential::ApiToken(session)), nullptr);
  EXPECT_EQ(auth_->Authenticate(Credential::ApiToken(session)).code(), ErrorCode::kUnauthenticated);
  Result<NewApiToken> token = auth_->CreateApiToken(user.id, "t");
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(auth_->Authenticate(Credential::ApiToken(token->token)).ok());
  EXPECT_EQ(auth_->PeekCached(Credential::Session(token->token)), nullptr);
  EXPECT_EQ(auth_->Authenticate(Credential::Session(token->token)).code(),
            ErrorCode::kUnauthenticated);
}

TEST_F(AuthServiceTest, CsrfTokenMatchesOnlyItsOwnSession) {
  AddUser("pam@example.com");
  SignedIn a = SignIn("pam@example.com");
  SignedIn b = SignIn("pam@example.com");
  std::shared_ptr<const Identity> id = *auth_->Authenticate(Credential::Session(a.session_token));
  EXPECT_TRUE(AuthService::CsrfTokenValid(*id, a.csrf_token));
  EXPECT_TRUE(AuthService::CsrfTokenValid(*id, AuthService::CsrfTokenFor(a.session_token)));
  EXPECT_FALSE(AuthService::CsrfTokenValid(*id, b.csrf_token));
  EXPECT_FALSE(AuthService::CsrfTokenValid(*id, ""));
  EXPECT_FALSE(AuthService::CsrfTokenValid(*id, a.session_token));
  EXPECT_FALSE(AuthService::CsrfTokenValid(*id, a.csrf_token + "x"));
  Identity token_identity = *id;
  token_identity.via_session = false;
  EXPECT_FALSE(AuthService::CsrfTokenValid(token_identity, a.csrf_token));
}

TEST_F(AuthServiceTest, DisablingAUserSignsThemOutEverywhereAtOnce) {
  db::UserRecord admin = AddUser("root@example.com", db::UserRole::kAdmin);
  db::UserRecord user = AddUser("quinn@example.com");
  Credential session = Credential::Session(SignIn("quinn@example.com").session_token);
  Result<NewApiToken> token = auth_->CreateApiToken(user.id, "t");
  ASSERT_TRUE(token.ok());
  Credential bearer = Credential::ApiToken(token->token);
  ASSERT_TRUE(Auth(session).ok());
  ASSERT_TRUE(Auth(bearer).ok());
  Result<db::UserRecord> off = auth_->UpdateUser(user.id, Disabled(true), admin.id);
  ASSERT_TRUE(off.ok());
  EXPECT_TRUE(off->disabled);
  EXPECT_EQ(Auth(session).code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(Auth(bearer).code(), ErrorCode::kUnauthenticated);
  // Enabled again, the token works again; the session is gone for good.
  ASSERT_TRUE(auth_->UpdateUser(user.id, Disabled(false), admin.id).ok());
  EXPECT_TRUE(Auth(bearer).ok());
  EXPECT_EQ(Auth(session).code(), ErrorCode::kUnauthenticated);
}

TEST_F(AuthServiceTest, RoleAndQuotaChangesAreSeenAtOnce) {
  db::UserRecord admin = AddUser("root@example.com", db::UserRole::kAdmin);
  db::UserRecord user = AddUser("rita@example.com");
  Credential c = Credential::Session(SignIn("rita@example.com").session_token);
  ASSERT_FALSE((*Auth(c))->admin());
  ASSERT_TRUE(auth_->UpdateUser(user.id, AdminWithQuota1000(), admin.id).ok());
  std::shared_ptr<const Identity> id = *Auth(c);
  EXPECT_TRUE(id->admin());
  EXPECT_EQ(id->quota_bytes, 1000);
}

TEST_F(AuthServiceTest, AnAdminCannotDemoteOrDisableThemselves) {
  db::UserRecord admin = AddUser("root@example.com", db::UserRole::kAdmin);
  EXPECT_EQ(auth_->UpdateUser(admin.id, WithRole(db::UserRole::kUser), admin.id).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(auth_->UpdateUser(admin.id, Disabled(true), admin.id).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(auth_->GetUser(admin.id)->role, db::UserRole::kAdmin);
  EXPECT_EQ(auth_->UpdateUser("no-such-user", WithQuota(5), admin.id).code(), ErrorCode::kNotFound);
}

TEST_F(AuthServiceTest, ChangingThePasswordKeepsOnlyTheCurrentSession) {
  db::UserRecord user = AddUser("sam@example.com");
  Credential here = Credential::Session(SignIn("sam@example.com").session_token);
  Credential elsewhere = Credential::Session(SignIn("sam@example.com").session_token);
  ASSERT_TRUE(Auth(here).ok());
  ASSERT_TRUE(Auth(elsewhere).ok());

  EXPECT_EQ(auth_->ChangePassword(user.id, "wrong current", "a new password", &here).code(),
            ErrorCode::kForbidden);
  EXPECT_EQ(auth_->ChangePassword(user.id, kPassword, "short", &here).code(),
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(auth_->ChangePassword(user.id, kPassword, "a new password", &here).ok());
  EXPECT_TRUE(Auth(here).ok());
  EXPECT_EQ(Auth(elsewhere).code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(auth_->SignIn("sam@example.com", kPassword, "").code(), ErrorCode::kUnauthenticated);
  EXPECT_TRUE(auth_->SignIn("sam@example.com", "a new password", "").ok());
}

TEST_F(AuthServiceTest, ResetPasswordSignsOutEverywhere) {
  AddUser("tess@example.com");
  Credential c = Credential::Session(SignIn("tess@example.com").session_token);
  ASSERT_TRUE(Auth(c).ok());
  Result<db::UserRecord> reset = auth_->ResetPassword("TESS@example.com", "brand new password");
  ASSERT_TRUE(reset.ok()) << reset.status().ToString();
  EXPECT_EQ(Auth(c).code(), ErrorCode::kUnauthenticated);
  EXPECT_TRUE(auth_->SignIn("tess@example.com", "brand new password", "").ok());
  EXPECT_EQ(auth_->ResetPassword("nobody@example.com", "brand new password").code(),
            ErrorCode::kNotFound);
}

TEST_F(AuthServiceTest, CreateUserChecksItsInput) {
  EXPECT_EQ(auth_->CreateUser("not-an-email", kPassword, db::UserRole::kUser, 0).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(auth_->CreateUser("a@b.example", "short", db::UserRole::kUser, 0).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(auth_->CreateUser("a@b.example", kPassword, db::UserRole::kUser, -1).code(),
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(auth_->CreateUser("a@b.example", kPassword, db::UserRole::kUser, 0).ok());
  Result<db::UserRecord> again =
      auth_->CreateUser("A@B.example", kPassword, db::UserRole::kUser, 0);
  EXPECT_EQ(again.code(), ErrorCode::kAlreadyExists);
  // The stored password is an argon2id hash, never the password.
  Result<db::UserRecord> stored = sqlite_->FindUserByEmail("a@b.example");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->password_hash.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(stored->password_hash.find(kPassword), std::string::npos);
}

TEST_F(AuthServiceTest, FirstAdminIsCreatedOnceAndOnlyIntoAnEmptyStore) {
  EXPECT_EQ(auth_->EnsureFirstAdmin("", "").value(), false);
  EXPECT_EQ(*sqlite_->CountUsers(), 0);
  EXPECT_EQ(auth_->EnsureFirstAdmin("admin@example.com", "short").code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(auth_->EnsureFirstAdmin("nope", kPassword).code(), ErrorCode::kInvalidArgument);
  Result<bool> made = auth_->EnsureFirstAdmin("Admin@Example.com", kPassword);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_TRUE(*made);
  Result<db::UserRecord> admin = sqlite_->FindUserByEmail("admin@example.com");
  ASSERT_TRUE(admin.ok());
  EXPECT_EQ(admin->role, db::UserRole::kAdmin);
  EXPECT_FALSE(*auth_->EnsureFirstAdmin("other@example.com", kPassword));
  EXPECT_EQ(*sqlite_->CountUsers(), 1);
  EXPECT_TRUE(auth_->SignIn("admin@example.com", kPassword, "").ok());
}

TEST_F(AuthServiceTest, TooManyConcurrentHashesAnswerOverloaded) {
  options_.max_concurrent_hashes = 0;
  AuthService busy(*store_, options_);
  EXPECT_EQ(busy.SignIn("any@example.com", kPassword, "").code(), ErrorCode::kOverloaded);
  EXPECT_EQ(busy.CreateUser("any@example.com", kPassword, db::UserRole::kUser, 0).code(),
            ErrorCode::kOverloaded);
}

TEST_F(AuthServiceTest, StoreFailuresAreNotMistakenForWrongCredentials) {
  AddUser("uma@example.com");
  store_->FailWith(Status::Unavailable("database down"));
  EXPECT_EQ(auth_->SignIn("uma@example.com", kPassword, "").code(), ErrorCode::kUnavailable);
  EXPECT_EQ(auth_->Authenticate(Credential::Session("whatever")).code(), ErrorCode::kUnavailable);
}

TEST_F(AuthServiceTest, CleanupDeletesExpiredSessionsAndOldFailures) {
  AddUser("vic@example.com");
  std::string token = SignIn("vic@example.com").session_token;
  (void)auth_->SignIn("vic@example.com", "guess", "192.0.2.50");
  clock_.Advance(hours(1));  // past the idle timeout and the window
  ASSERT_TRUE(auth_->Cleanup().ok());
  EXPECT_EQ(
      sqlite_->GetSessionByTokenHash(HashToken(token), clock_.now() - hours(1), hours(100)).code(),
      ErrorCode::kNotFound);
  EXPECT_EQ(*sqlite_->CountFailedSignIns("ip:192.0.2.50", clock_.now() - hours(10)), 0);
}

}  // namespace
}  // namespace gallery::service
