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

}  // namespace
}  // namespace gallery::app
