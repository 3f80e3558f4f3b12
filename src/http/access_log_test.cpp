#include "http/access_log.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace gallery::http {
namespace {

TEST(AccessLogTest, IsOneValidJsonObject) {
  AccessLogEntry e;
  e.request_id = "abc";
  e.method = "GET";
  e.route = "/api/v1/photos/{id}";
  e.path = "/api/v1/photos/\"quoted\"\n\x01\xff";
  e.status = 404;
  e.bytes_in = 12;
  e.bytes_out = 345;
  e.duration_ms = 1.5;
  e.remote = "127.0.0.1";
  std::string line = FormatAccessLog(e);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  nlohmann::json j = nlohmann::json::parse(line);
  EXPECT_EQ(j["msg"], "request");
  EXPECT_EQ(j["status"], 404);
  EXPECT_EQ(j["bytes_out"], 345);
  EXPECT_EQ(j["route"], "/api/v1/photos/{id}");
  EXPECT_EQ(j["path"], "/api/v1/photos/\"quoted\"\n\x01\xEF\xBF\xBD");
  EXPECT_DOUBLE_EQ(j["duration_ms"].get<double>(), 1.5);
  EXPECT_TRUE(j.contains("time"));
}

TEST(AccessLogTest, RedactsShareTokensInPaths) {
  EXPECT_EQ(RedactPath("/s/Abc_123-xyz"), "/s/[redacted]");
  EXPECT_EQ(RedactPath("/api/v1/shared/Abc_123"), "/api/v1/shared/[redacted]");
  EXPECT_EQ(RedactPath("/api/v1/shared/Abc_123/photos/p1/thumb"),
            "/api/v1/shared/[redacted]/photos/p1/thumb");
  EXPECT_EQ(RedactPath("/api/v1/shared/Abc_123/unlock"), "/api/v1/shared/[redacted]/unlock");
  EXPECT_EQ(RedactPath("/api/v1/photos/abc/thumb"), "/api/v1/photos/abc/thumb");
  EXPECT_EQ(RedactPath("/s/"), "/s/");
  EXPECT_EQ(RedactPath("/settings"), "/settings");
  EXPECT_EQ(RedactPath("/sx/abc"), "/sx/abc");

  AccessLogEntry e;
  e.path = "/api/v1/shared/SeCrEtToKeN/photos/p/preview";
  std::string line = FormatAccessLog(e);
  EXPECT_EQ(line.find("SeCrEtToKeN"), std::string::npos) << line;
  EXPECT_EQ(nlohmann::json::parse(line)["path"], "/api/v1/shared/[redacted]/photos/p/preview");
}

TEST(AccessLogTest, KeepsValidUtf8) {
  std::string out;
  AppendJsonString(&out, "caf\xC3\xA9 \xF0\x9F\x93\xB7");
  EXPECT_EQ(nlohmann::json::parse(out), "caf\xC3\xA9 \xF0\x9F\x93\xB7");
}

}  // namespace
}  // namespace gallery::http
