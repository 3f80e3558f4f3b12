#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/message.hpp"
#include "http/problem.hpp"
#include "http/request_id.hpp"
#include "http/responses.hpp"

namespace gallery::http {
namespace {

TEST(PercentDecodeTest, DecodesAndRejectsBadEscapes) {
  std::string out;
  EXPECT_TRUE(PercentDecode("/a%20b+c", &out));
  EXPECT_EQ(out, "/a b+c");
  EXPECT_TRUE(FormDecode("a+b%2B", &out));
  EXPECT_EQ(out, "a b+");
  EXPECT_FALSE(PercentDecode("%zz", &out));
  EXPECT_FALSE(PercentDecode("%4", &out));
  EXPECT_FALSE(PercentDecode("abc%", &out));
}

TEST(RequestTest, QueryParams) {
  Request r;
  r.query = "limit=5&cursor=a%2Bb&flag&empty=";
  EXPECT_EQ(r.QueryParam("limit").value_or(""), "5");
  EXPECT_EQ(r.QueryParam("cursor").value_or(""), "a+b");
  EXPECT_EQ(r.QueryParam("flag").value_or("x"), "");
  EXPECT_EQ(r.QueryParam("empty").value_or("x"), "");
  EXPECT_FALSE(r.QueryParam("missing").has_value());
}

TEST(RequestIdTest, PrefersClientIdThenTraceRoot) {
  Fields f;
  f.set("X-Request-Id", "client-42");
  f.set("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
  EXPECT_EQ(RequestIdFrom(f), "client-42");
  f.set("X-Request-Id", "bad id with spaces");
  EXPECT_EQ(RequestIdFrom(f), "1-5759e988-bd862e3fe1be46a994272793");
  Fields none;
  std::string a = RequestIdFrom(none), b = RequestIdFrom(none);
  EXPECT_EQ(a.size(), 22u);
  EXPECT_NE(a, b);
}

TEST(ProblemTest, RendersStableTypeAndHidesInternalMessage) {
  Request req;
  req.request_id = "rid";
  Response r =
      ProblemResponse(Status(ErrorCode::kUnsupportedMediaType, "secret internal path /x"), req);
  EXPECT_EQ(r.msg.result(), HttpStatus::unsupported_media_type);
  EXPECT_EQ(r.msg[beast_http::field::content_type], "application/problem+json");
  auto j = nlohmann::json::parse(r.msg.body());
  EXPECT_EQ(j["type"], "/errors/unsupported-media-type");
  EXPECT_EQ(j["status"], 415);
  EXPECT_EQ(j["request_id"], "rid");
  EXPECT_EQ(r.msg.body().find("secret"), std::string::npos);
}

TEST(ProblemTest, BusyAnswersCarryRetryAfter) {
  Request req;
  Response r = ProblemResponse(Status(ErrorCode::kOverloaded, "full"), req);
  EXPECT_EQ(r.msg.result(), HttpStatus::service_unavailable);
  EXPECT_EQ(r.msg[beast_http::field::retry_after], "2");
}

TEST(ProblemTest, RetryAfterFromTheStatusWins) {
  Request req;
  Response locked = ProblemResponse(
      Status(ErrorCode::kTooManyRequests, "locked").WithRetryAfter(std::chrono::seconds(731)), req);
  EXPECT_EQ(locked.msg.result(), HttpStatus::too_many_requests);
  EXPECT_EQ(locked.msg[beast_http::field::retry_after], "731");
  Response plain = ProblemResponse(Status(ErrorCode::kTooManyRequests, "busy"), req);
  EXPECT_EQ(plain.msg[beast_http::field::retry_after], "60");
}

TEST(ProblemTest, LockedIs423WithAShortRetryAfter) {
  Request req;
  Response r = ProblemResponse(Status(ErrorCode::kLocked, "claimed"), req);
  EXPECT_EQ(r.msg.result_int(), 423u);
  EXPECT_EQ(r.msg[beast_http::field::retry_after], "1");
}

TEST(ProblemTest, EveryCodeMapsToAnErrorStatus) {
  for (int c = static_cast<int>(ErrorCode::kInvalidArgument);
       c <= static_cast<int>(ErrorCode::kInternal); ++c) {
    ProblemKind k = ProblemFor(static_cast<ErrorCode>(c));
    EXPECT_GE(static_cast<int>(k.status), 400) << c;
    EXPECT_FALSE(k.title.empty());
  }
}

TEST(IfNoneMatchTest, MatchesListsWeakAndStar) {
  Request r;
  r.headers.set("If-None-Match", "\"a\", W/\"b\"");
  EXPECT_TRUE(IfNoneMatchHits(r, "\"a\""));
  EXPECT_TRUE(IfNoneMatchHits(r, "\"b\""));
  EXPECT_FALSE(IfNoneMatchHits(r, "\"c\""));
  r.headers.set("If-None-Match", "*");
  EXPECT_TRUE(IfNoneMatchHits(r, "\"anything\""));
}

}  // namespace
}  // namespace gallery::http
