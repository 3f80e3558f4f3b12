// The credentials cache (early renewal, failed renewals, one fetch at a
// time) and the default chain (order, lock-in, configured-but-failing).

#include "storage/s3/credentials_chain.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "common/time.hpp"
#include "storage/s3/child_process_testing.hpp"
#include "storage/s3/loopback_http_server_testing.hpp"

namespace gallery::storage::s3 {
namespace {

using namespace std::chrono_literals;
using testing::CannedResponse;
using testing::LoopbackHttpServer;
using testing::RecordedRequest;

// A source that answers with what the test last told it, and counts calls.
class ScriptedSource final : public CredentialsProvider {
 public:
  void Set(Result<Credentials> result) {
    std::lock_guard lock(mu_);
    answer_ = std::move(result);
  }
  void set_delay(std::chrono::milliseconds delay) { delay_ = delay; }
  int calls() const { return calls_.load(); }

  Result<Credentials> GetCredentials() override {
    calls_.fetch_add(1);
    std::this_thread::sleep_for(delay_);
    std::lock_guard lock(mu_);
    return answer_;
  }

 private:
  std::mutex mu_;
  Result<Credentials> answer_ = Status::Unavailable("no answer set");
  std::atomic<int> calls_{0};
  std::chrono::milliseconds delay_{0};
};

// A clock the test moves.
class FakeClock {
 public:
  Clock::time_point now() const { return Clock::time_point(Clock::duration(now_.load())); }
  void Advance(Clock::duration d) { now_.fetch_add(d.count()); }
  std::function<Clock::time_point()> AsFunction() {
    return [this] { return now(); };
  }

 private:
  std::atomic<Clock::rep> now_{Clock::from_time_t(1700000000).time_since_epoch().count()};
};

Credentials Temporary(const std::string& id, Clock::time_point expiration) {
  return {id, "secret-" + id, "token-" + id, expiration};
}

// Waits (a bounded time) for `condition`.
bool Eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

CredentialsCacheOptions CacheOptions(FakeClock& clock) {
  CredentialsCacheOptions options;
  options.refresh_before = 5min;
  options.min_validity = 15s;
  options.retry_interval = 10s;
  options.clock = clock.AsFunction();
  return options;
}

TEST(CachingCredentials, LongTermCredentialsAreFetchedOnce) {
  auto source = std::make_shared<ScriptedSource>();
  source->Set(Credentials{"AKID", "S", "", {}});
  FakeClock clock;
  CachingCredentialsProvider cache(source, CacheOptions(clock));
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(cache.GetCredentials().ok());
    clock.Advance(24h);
  }
  EXPECT_EQ(source->calls(), 1);
}

TEST(CachingCredentials, RenewsInTheBackgroundBeforeExpiryWithoutMakingCallersWait) {
  FakeClock clock;
  auto source = std::make_shared<ScriptedSource>();
  source->Set(Temporary("OLD", clock.now() + 60min));
  CachingCredentialsProvider cache(source, CacheOptions(clock));
  ASSERT_EQ(cache.GetCredentials()->access_key_id, "OLD");

  clock.Advance(50min);  // 10 minutes left: not yet
  EXPECT_EQ(cache.GetCredentials()->access_key_id, "OLD");
  EXPECT_EQ(source->calls(), 1);

  clock.Advance(6min);  // 4 minutes left: renew, in the background
  source->set_delay(300ms);
  source->Set(Temporary("NEW", clock.now() + 60min));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(cache.GetCredentials()->access_key_id, "OLD");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 100ms);  // did not wait for the fetch
  ASSERT_TRUE(Eventually([&] { return cache.GetCredentials()->access_key_id == "NEW"; }));
  EXPECT_EQ(source->calls(), 2);
}

TEST(CachingCredentials, AFailedRenewalKeepsUsingValidCredentials) {
  FakeClock clock;
  auto source = std::make_shared<ScriptedSource>();
  source->Set(Temporary("OLD", clock.now() + 60min));
  CachingCredentialsProvider cache(source, CacheOptions(clock));
  ASSERT_TRUE(cache.GetCredentials().ok());

  source->Set(Status::Unavailable("STS is down"));
  clock.Advance(56min);
  EXPECT_EQ(cache.GetCredentials()->access_key_id, "OLD");
  ASSERT_TRUE(Eventually([&] { return source->calls() == 2; }));
  // Still the old ones; no new attempt before the retry interval.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(cache.GetCredentials()->access_key_id, "OLD");
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(source->calls(), 2);

  clock.Advance(11s);  // tried again, fails again, old ones still good
  EXPECT_EQ(cache.GetCredentials()->access_key_id, "OLD");
  ASSERT_TRUE(Eventually([&] { return source->calls() == 3; }));

  clock.Advance(4min);  // under 15 s left: no longer usable, and the source still fails
  const Result<Credentials> expired = cache.GetCredentials();
  EXPECT_EQ(expired.code(), ErrorCode::kUnavailable);
  EXPECT_NE(expired.status().message().find("STS is down"), std::string::npos);

  source->Set(Temporary("NEW", clock.now() + 60min));
  clock.Advance(11s);
  EXPECT_EQ(cache.GetCredentials()->access_key_id, "NEW");
}

TEST(CachingCredentials, OneFetchServesManyWaitingCallers) {
  FakeClock clock;
  auto source = std::make_shared<ScriptedSource>();
  source->set_delay(200ms);
  source->Set(Temporary("ONE", clock.now() + 60min));
  CachingCredentialsProvider cache(source, CacheOptions(clock));
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (cache.GetCredentials().ok()) ok.fetch_add(1);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(source->calls(), 1);
}

TEST(CachingCredentials, FailuresAreNotRetriedByEveryCaller) {
  FakeClock clock;
  auto source = std::make_shared<ScriptedSource>();
  source->Set(Status::Unavailable("instance metadata: timed out"));
  CachingCredentialsProvider cache(source, CacheOptions(clock));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(cache.GetCredentials().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(source->calls(), 1);
  clock.Advance(11s);
  EXPECT_FALSE(cache.GetCredentials().ok());
  EXPECT_EQ(source->calls(), 2);
}

// --- the default chain --------------------------------------------------

// Every source configured, each answering with its own key; each test
// removes sources from the top to see the next one win.
class DefaultChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sts_ = Start([](const RecordedRequest&) {
      return CannedResponse{
          200,
          {},
          "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult>"
          "<Credentials><AccessKeyId>ASIAWEB</AccessKeyId><SecretAccessKey>s"
          "</SecretAccessKey><SessionToken>t</SessionToken><Expiration>"
          "2099-01-01T00:00:00Z</Expiration></Credentials>"
          "</AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>"};
    });
    container_ = Start([this](const RecordedRequest&) {
      return CannedResponse{
          container_status_.load(),
          {},
          "{\"AccessKeyId\":\"ASIACONTAINER\",\"SecretAccessKey\":\"s\",\"Token\":\"t\","
          "\"Expiration\":\"" +
              FormatRfc3339(Clock::now() + container_lifetime_) + "\"}"};
    });
    imds_ = Start([](const RecordedRequest& r) {
      if (r.method == "PUT") return CannedResponse{200, {}, "imds-token"};
      if (r.path.ends_with("/security-credentials/")) return CannedResponse{200, {}, "role"};
      return CannedResponse{
          200,
          {},
          "{\"Code\":\"Success\",\"AccessKeyId\":\"ASIAIMDS\",\"SecretAccessKey\":\"s\","
          "\"Token\":\"t\",\"Expiration\":\"2099-01-01T00:00:00Z\"}"};
    });
    std::ofstream(dir_.path() / "token") << "jwt";
    std::ofstream(dir_.path() / "credentials")
        << "[default]\naws_access_key_id = AKIAPROFILE\naws_secret_access_key = s\n";
    env_ = {{"AWS_ACCESS_KEY_ID", "AKIAENV"},
            {"AWS_SECRET_ACCESS_KEY", "s"},
            {"AWS_WEB_IDENTITY_TOKEN_FILE", (dir_.path() / "token").string()},
            {"AWS_ROLE_ARN", "arn:aws:iam::1:role/web"},
            {"AWS_ENDPOINT_URL_STS", sts_->url()},
            {"AWS_SHARED_CREDENTIALS_FILE", (dir_.path() / "credentials").string()},
            {"AWS_CONFIG_FILE", (dir_.path() / "config").string()},
            {"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/creds"},
            {"HOME", dir_.path().string()}};
  }

  std::unique_ptr<LoopbackHttpServer> Start(LoopbackHttpServer::Handler handler) {
    auto server = LoopbackHttpServer::Start(std::move(handler));
    EXPECT_TRUE(server.ok());
    return std::move(server).value();
  }

  std::shared_ptr<CredentialsProvider> Chain() {
    DefaultCredentialsOptions options;
    options.region = "eu-west-1";
    // Reads env_ at call time, so that a test can change it later.
    options.env = [this](std::string_view name) -> std::optional<std::string> {
      std::lock_guard lock(env_mu_);
      const auto it = env_.find(std::string(name));
      if (it == env_.end() || it->second.empty()) return std::nullopt;
      return it->second;
    };
    options.container_relative_uri_base = container_->url();
    options.imds_endpoint = imds_->url();
    options.http_options.retry.base_delay = 1ms;
    options.imds_http_options.retry.base_delay = 1ms;
    options.cache.refresh_before = refresh_before_;
    options.cache.retry_interval = retry_interval_;
    return NewDefaultCredentialsProvider(options);
  }

  std::string KeyId() {
    Result<Credentials> credentials = Chain()->GetCredentials();
    return credentials.ok() ? credentials->access_key_id : credentials.status().ToString();
  }

  void Unset(std::initializer_list<const char*> names) {
    std::lock_guard lock(env_mu_);
    for (const char* name : names) env_.erase(name);
  }

  testing::TempDir dir_;
  std::unique_ptr<LoopbackHttpServer> sts_, container_, imds_;
  std::mutex env_mu_;
  std::map<std::string, std::string> env_;
  std::atomic<int> container_status_{200};
  Clock::duration container_lifetime_ = 6h;
  std::chrono::seconds refresh_before_{300};
  std::chrono::milliseconds retry_interval_{5000};
};

TEST_F(DefaultChainTest, FollowsTheSdkOrder) {
  EXPECT_EQ(KeyId(), "AKIAENV");
  Unset({"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"});
  EXPECT_EQ(KeyId(), "ASIAWEB");
  Unset({"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"});
  EXPECT_EQ(KeyId(), "AKIAPROFILE");
  Unset({"AWS_SHARED_CREDENTIALS_FILE"});  // falls back to $HOME/.aws/credentials: absent
  EXPECT_EQ(KeyId(), "ASIACONTAINER");
  Unset({"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"});
  EXPECT_EQ(KeyId(), "ASIAIMDS");
  {
    std::lock_guard lock(env_mu_);
    env_["AWS_EC2_METADATA_DISABLED"] = "true";
  }
  const std::string none = KeyId();
  EXPECT_NE(none.find("no AWS credentials found"), std::string::npos) << none;
  EXPECT_NE(none.find("AWS_ACCESS_KEY_ID"), std::string::npos) << none;
  EXPECT_NE(none.find("disabled by AWS_EC2_METADATA_DISABLED"), std::string::npos) << none;
  // Each source below the winner was asked only when everything above it
  // was unconfigured.
  EXPECT_EQ(sts_->request_count(), 1u);
  EXPECT_EQ(container_->request_count(), 1u);
  EXPECT_EQ(imds_->request_count(), 3u);
}

TEST_F(DefaultChainTest, AConfiguredButFailingSourceDoesNotFallThrough) {
  Unset({"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_WEB_IDENTITY_TOKEN_FILE",
         "AWS_ROLE_ARN", "AWS_SHARED_CREDENTIALS_FILE"});
  container_status_ = 403;
  const std::string error = KeyId();
  EXPECT_NE(error.find("container credentials"), std::string::npos) << error;
  EXPECT_NE(error.find("HTTP 403"), std::string::npos) << error;
  EXPECT_EQ(imds_->request_count(), 0u);
}

TEST_F(DefaultChainTest, StaysWithTheSourceThatDelivered) {
  Unset({"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_WEB_IDENTITY_TOKEN_FILE",
         "AWS_ROLE_ARN", "AWS_SHARED_CREDENTIALS_FILE"});
  // Container credentials that are due for renewal at once: every renewal
  // must go to the container endpoint again, even though environment keys
  // appear in the meantime.
  container_lifetime_ = 4min;
  retry_interval_ = 50ms;
  auto chain = Chain();
  ASSERT_EQ(chain->GetCredentials()->access_key_id, "ASIACONTAINER");
  {
    std::lock_guard lock(env_mu_);
    env_["AWS_ACCESS_KEY_ID"] = "AKIAENV";
    env_["AWS_SECRET_ACCESS_KEY"] = "s";
  }
  ASSERT_TRUE(Eventually([&] {
    EXPECT_EQ(chain->GetCredentials()->access_key_id, "ASIACONTAINER");
    return container_->request_count() >= 3u;
  }));
}

TEST_F(DefaultChainTest, CredentialsExpiringSoonAreRenewedBeforeUse) {
  Unset({"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_WEB_IDENTITY_TOKEN_FILE",
         "AWS_ROLE_ARN", "AWS_SHARED_CREDENTIALS_FILE"});
  container_lifetime_ = 6h;
  refresh_before_ = std::chrono::seconds(6 * 3600 + 60);  // always inside the renewal window
  retry_interval_ = 100ms;
  auto chain = Chain();
  ASSERT_TRUE(chain->GetCredentials().ok());
  // The first answer was already due: a background renewal follows as soon
  // as the retry interval allows.
  ASSERT_TRUE(Eventually([&] {
    (void)chain->GetCredentials();
    return container_->request_count() >= 2u;
  })) << container_->request_count();
}

}  // namespace
}  // namespace gallery::storage::s3
