#include "app/config.hpp"

#include <gtest/gtest.h>

namespace gallery::app {
namespace {

Result<Invocation> Parse(std::vector<const char*> args, std::vector<std::string> env = {}) {
  args.insert(args.begin(), "gallery");
  return ParseCommandLine(static_cast<int>(args.size()), args.data(), env);
}

TEST(ConfigTest, Defaults) {
  auto inv = Parse({});
  ASSERT_TRUE(inv.ok()) << inv.status().ToString();
  EXPECT_EQ(inv->command, Invocation::Command::kServe);
  EXPECT_EQ(inv->config.listen_host, "127.0.0.1");
  EXPECT_EQ(inv->config.listen_port, 8080);
  EXPECT_EQ(inv->config.storage, "local");
  EXPECT_EQ(inv->config.SqlitePath(), std::filesystem::path("./data/gallery.db"));
  EXPECT_EQ(inv->config.max_pixels, 100'000'000u);
  EXPECT_GT(inv->config.threads, 0);
}

TEST(ConfigTest, EnvironmentAndFlagsFlagWins) {
  auto inv =
      Parse({"--max-pixels", "5000", "--listen=0.0.0.0:9000"},
            {"GALLERY_MAX_PIXELS=7", "GALLERY_MAX_UPLOAD_BYTES=10MiB", "GALLERY_DATA_DIR=/srv/g"});
  ASSERT_TRUE(inv.ok()) << inv.status().ToString();
  EXPECT_EQ(inv->config.max_pixels, 5000u);
  EXPECT_EQ(inv->config.max_upload_bytes, 10u << 20);
  EXPECT_EQ(inv->config.listen_host, "0.0.0.0");
  EXPECT_EQ(inv->config.listen_port, 9000);
  EXPECT_EQ(inv->config.SqlitePath(), std::filesystem::path("/srv/g/gallery.db"));
}

TEST(ConfigTest, WebDirDefaultsToTheCheckoutsBuildAndRemembersAnExplicitOne) {
  auto defaults = Parse({});
  ASSERT_TRUE(defaults.ok()) << defaults.status().ToString();
  EXPECT_EQ(defaults->config.web_dir, std::filesystem::path("web/dist"));
  EXPECT_FALSE(defaults->config.web_dir_explicit);
  auto flag = Parse({"--web-dir", "/srv/ui"}, {"GALLERY_WEB_DIR=/opt/ui"});
  ASSERT_TRUE(flag.ok()) << flag.status().ToString();
  EXPECT_EQ(flag->config.web_dir, std::filesystem::path("/srv/ui"));
  EXPECT_TRUE(flag->config.web_dir_explicit);
  auto env = Parse({}, {"GALLERY_WEB_DIR=/opt/ui"});
  ASSERT_TRUE(env.ok()) << env.status().ToString();
  EXPECT_EQ(env->config.web_dir, std::filesystem::path("/opt/ui"));
  auto empty = Parse({}, {"GALLERY_WEB_DIR="});
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("GALLERY_WEB_DIR"), std::string::npos);
}

TEST(ConfigTest, UploadExpiry) {
  EXPECT_EQ(Parse({})->config.upload_expiry, std::chrono::hours(24));
  EXPECT_EQ(Parse({}, {"GALLERY_UPLOAD_EXPIRY=90m"})->config.upload_expiry,
            std::chrono::minutes(90));
  EXPECT_EQ(Parse({"--upload-expiry", "2s"})->config.upload_expiry, std::chrono::seconds(2));
  auto zero = Parse({}, {"GALLERY_UPLOAD_EXPIRY=0"});
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.status().message().find("GALLERY_UPLOAD_EXPIRY"), std::string::npos);
}

TEST(ConfigTest, BadValuesNameTheVariable) {
  auto bad = Parse({}, {"GALLERY_MAX_PIXELS=abc"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("GALLERY_MAX_PIXELS"), std::string::npos);
  EXPECT_NE(bad.status().message().find("'abc'"), std::string::npos);
  for (std::string env :
       {"GALLERY_LISTEN=nonsense", "GALLERY_STORAGE=ftp", "GALLERY_DATABASE_URL=mysql://x",
        "GALLERY_SHUTDOWN_GRACE=soon", "GALLERY_S3_FORCE_PATH_STYLE=maybe"}) {
    auto r = Parse({}, {env});
    ASSERT_FALSE(r.ok()) << env;
    EXPECT_NE(r.status().message().find(env.substr(0, env.find('='))), std::string::npos) << env;
  }
}

TEST(ConfigTest, SecretsAreNotEchoed) {
  auto r = Parse({}, {"GALLERY_ADMIN_EMAIL=a@example.com", "GALLERY_ADMIN_PASSWORD=hunter2",
                      "GALLERY_STORAGE=s3"});
  ASSERT_FALSE(r.ok());  // S3 without a bucket
  EXPECT_EQ(r.status().message().find("hunter2"), std::string::npos);
  auto url = Parse({}, {"GALLERY_DATABASE_URL=mysql://gallery:hunter2@db/gallery"});
  ASSERT_FALSE(url.ok());
  EXPECT_NE(url.status().message().find("GALLERY_DATABASE_URL"), std::string::npos);
  EXPECT_EQ(url.status().message().find("hunter2"), std::string::npos);
}

TEST(ConfigTest, S3NeedsBucketAndRegion) {
  EXPECT_FALSE(Parse({}, {"GALLERY_STORAGE=s3"}).ok());
  EXPECT_FALSE(Parse({}, {"GALLERY_STORAGE=s3", "GALLERY_S3_BUCKET=b"}).ok());
  auto ok = Parse({}, {"GALLERY_STORAGE=s3", "GALLERY_S3_BUCKET=b", "AWS_REGION=eu-west-1"});
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->config.s3_region, "eu-west-1");
}

TEST(ConfigTest, SubcommandsHelpAndVersion) {
  EXPECT_EQ(Parse({"healthcheck"})->command, Invocation::Command::kHealthcheck);
  auto help = Parse({"--help"});
  ASSERT_TRUE(help.ok());
  EXPECT_EQ(help->command, Invocation::Command::kHelp);
  EXPECT_NE(help->help_text.find("GALLERY_LISTEN"), std::string::npos);
  EXPECT_EQ(Parse({"--version"})->command, Invocation::Command::kVersion);
  EXPECT_FALSE(Parse({"--no-such-flag"}).ok());
}

TEST(ConfigTest, AccountSettings) {
  auto defaults = Parse({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->config.session_idle_timeout, std::chrono::hours(24 * 7));
  EXPECT_EQ(defaults->config.session_lifetime, std::chrono::hours(24 * 30));
  EXPECT_EQ(defaults->config.sign_in_max_failures, 5);
  EXPECT_EQ(defaults->config.auth_cache_ttl, std::chrono::seconds(5));
  EXPECT_EQ(defaults->config.trusted_proxy_hops, 0);
  auto inv = Parse({"--session-lifetime", "2s", "--signin-window=1m"},
                   {"GALLERY_SESSION_IDLE_TIMEOUT=30m", "GALLERY_SIGNIN_MAX_FAILURES=3",
                    "GALLERY_SIGNIN_MAX_FAILURES_PER_ADDRESS=9", "GALLERY_AUTH_CACHE_TTL=0",
                    "GALLERY_TRUSTED_PROXY_HOPS=1"});
  ASSERT_TRUE(inv.ok()) << inv.status().ToString();
  EXPECT_EQ(inv->config.session_lifetime, std::chrono::seconds(2));
  EXPECT_EQ(inv->config.session_idle_timeout, std::chrono::minutes(30));
  EXPECT_EQ(inv->config.sign_in_window, std::chrono::minutes(1));
  EXPECT_EQ(inv->config.sign_in_max_failures, 3);
  EXPECT_EQ(inv->config.sign_in_max_failures_per_address, 9);
  EXPECT_EQ(inv->config.auth_cache_ttl.count(), 0);
  EXPECT_EQ(inv->config.trusted_proxy_hops, 1);
  for (std::string env : {"GALLERY_SESSION_IDLE_TIMEOUT=1m", "GALLERY_SESSION_LIFETIME=0",
                          "GALLERY_SIGNIN_WINDOW=x", "GALLERY_SIGNIN_MAX_FAILURES=0",
                          "GALLERY_AUTH_CACHE_TTL=2m", "GALLERY_TRUSTED_PROXY_HOPS=-1"}) {
    auto r = Parse({}, {env});
    ASSERT_FALSE(r.ok()) << env;
    EXPECT_NE(r.status().message().find(env.substr(0, env.find('='))), std::string::npos) << env;
  }
}

TEST(ConfigTest, UserSubcommands) {
  auto add = Parse({"user", "add", "--email", "a@example.com", "--role", "admin", "--quota",
                    "10GiB", "--password-stdin", "--data-dir", "/srv/g"});
  ASSERT_TRUE(add.ok()) << add.status().ToString();
  EXPECT_EQ(add->command, Invocation::Command::kUser);
  EXPECT_EQ(add->user.action, UserCommand::Action::kAdd);
  EXPECT_EQ(add->user.email, "a@example.com");
  EXPECT_EQ(add->user.role, "admin");
  EXPECT_EQ(add->user.quota_bytes, 10ull << 30);
  EXPECT_TRUE(add->user.password_stdin);
  EXPECT_EQ(add->config.SqlitePath(), std::filesystem::path("/srv/g/gallery.db"));

  auto list = Parse({"--data-dir", "/srv/g", "user", "list"});
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(list->user.action, UserCommand::Action::kList);
  auto reset = Parse({"user", "reset-password", "--email", "a@example.com"});
  ASSERT_TRUE(reset.ok()) << reset.status().ToString();
  EXPECT_EQ(reset->user.action, UserCommand::Action::kResetPassword);
  EXPECT_FALSE(reset->user.password_stdin);

  EXPECT_FALSE(Parse({"user"}).ok());
  EXPECT_FALSE(Parse({"user", "add"}).ok());  // no --email
  EXPECT_FALSE(Parse({"user", "add", "--email", "a@b.c", "--role", "root"}).ok());
  EXPECT_FALSE(Parse({"user", "add", "--email", "a@b.c", "--quota", "lots"}).ok());
  EXPECT_FALSE(Parse({"user", "add", "--email", "a@b.c", "--password", "x"}).ok());

  auto help = Parse({"user", "add", "--help"});
  ASSERT_TRUE(help.ok());
  EXPECT_EQ(help->command, Invocation::Command::kHelp);
  EXPECT_NE(help->help_text.find("--password-stdin"), std::string::npos) << help->help_text;
  EXPECT_NE(help->help_text.find("--email"), std::string::npos);
}

}  // namespace
}  // namespace gallery::app
