#pragma once

// CountingUserStore: a UserStore that forwards to another and counts the
// calls, so tests can prove that an answer came from memory (no call) and
// can make the store fail on demand.

#include <atomic>
#include <mutex>

#include "db/user_store.hpp"

namespace gallery::service::testing {

class CountingUserStore final : public db::UserStore {
 public:
  explicit CountingUserStore(db::UserStore& inner) : inner_(inner) {}

  // Calls made so far (every method counts).
  int calls() const { return calls_.load(); }
  // When set, every call fails with it instead of reaching the inner store.
  void FailWith(Status s) {
    std::lock_guard lock(mu_);
    fail_ = std::move(s);
  }

  Status CreateUser(const db::UserRecord& u) override {
    return Call([&] { return inner_.CreateUser(u); });
  }
  Status CreateFirstUser(const db::UserRecord& u) override {
    return Call([&] { return inner_.CreateFirstUser(u); });
  }
  Result<db::UserRecord> GetUser(const std::string& id) override {
    return Call([&] { return inner_.GetUser(id); });
  }
  Result<db::UserRecord> FindUserByEmail(std::string_view email) override {
    return Call([&] { return inner_.FindUserByEmail(email); });
  }
  Result<db::UserPage> ListUsers(const std::optional<std::string>& after, int limit) override {
    return Call([&] { return inner_.ListUsers(after, limit); });
  }
  Result<int64_t> CountUsers() override {
    return Call([&] { return inner_.CountUsers(); });
  }
  Status UpdatePasswordHash(const std::string& id, const std::string& hash) override {
    return Call([&] { return inner_.UpdatePasswordHash(id, hash); });
  }
  Status UpdateRole(const std::string& id, db::UserRole role) override {
    return Call([&] { return inner_.UpdateRole(id, role); });
  }
  Status UpdateQuota(const std::string& id, int64_t quota) override {
    return Call([&] { return inner_.UpdateQuota(id, quota); });
  }
  Status SetDisabled(const std::string& id, bool disabled) override {
    return Call([&] { return inner_.SetDisabled(id, disabled); });
  }
  Status CreateSession(const db::SessionRecord& s) override {
    return Call([&] { return inner_.CreateSession(s); });
  }
  Result<db::SessionRecord> GetSessionByTokenHash(const std::string& hash,
                                                  db::Clock::time_point now,
                                                  std::chrono::milliseconds idle) override {
    return Call([&] { return inner_.GetSessionByTokenHash(hash, now, idle); });
  }
  Status TouchSession(const std::string& hash, db::Clock::time_point now) override {
    return Call([&] { return inner_.TouchSession(hash, now); });
  }
  Status DeleteSession(const std::string& hash) override {
    return Call([&] { return inner_.DeleteSession(hash); });
  }
  Result<int64_t> DeleteUserSessions(const std::string& id) override {
    return Call([&] { return inner_.DeleteUserSessions(id); });
  }
  Result<int64_t> DeleteExpiredSessions(db::Clock::time_point now,
                                        std::chrono::milliseconds idle) override {
    return Call([&] { return inner_.DeleteExpiredSessions(now, idle); });
  }
  Status CreateApiToken(const db::ApiTokenRecord& t) override {
    return Call([&] { return inner_.CreateApiToken(t); });
  }
  Result<db::ApiTokenRecord> FindApiTokenByHash(const std::string& hash) override {
    return Call([&] { return inner_.FindApiTokenByHash(hash); });
  }
  Result<std::vector<db::ApiTokenRecord>> ListApiTokens(const std::string& id) override {
    return Call([&] { return inner_.ListApiTokens(id); });
  }
  Status TouchApiToken(const std::string& id, db::Clock::time_point now) override {
    return Call([&] { return inner_.TouchApiToken(id, now); });
  }
  Status RevokeApiToken(const std::string& user, const std::string& id,
                        db::Clock::time_point now) override {
    return Call([&] { return inner_.RevokeApiToken(user, id, now); });
  }
  Status RecordFailedSignIn(const std::string& key, db::Clock::time_point at) override {
    return Call([&] { return inner_.RecordFailedSignIn(key, at); });
  }
  Result<int64_t> CountFailedSignIns(const std::string& key, db::Clock::time_point since) override {
    return Call([&] { return inner_.CountFailedSignIns(key, since); });
  }
  Status ClearFailedSignIns(const std::string& key) override {
    return Call([&] { return inner_.ClearFailedSignIns(key); });
  }
  Result<int64_t> DeleteFailedSignInsBefore(db::Clock::time_point before) override {
    return Call([&] { return inner_.DeleteFailedSignInsBefore(before); });
  }

 private:
  template <typename F>
  auto Call(F&& f) -> decltype(f()) {
    calls_.fetch_add(1);
    {
      std::lock_guard lock(mu_);
      if (!fail_.ok()) return fail_;
    }
    return f();
  }

  db::UserStore& inner_;
  std::atomic<int> calls_{0};
  std::mutex mu_;
  Status fail_;  // GUARDED_BY(mu_)
};

}  // namespace gallery::service::testing
