#include "api/authenticate.hpp"

#include <gtest/gtest.h>

#include "api/json_body.hpp"

namespace gallery::api {
namespace {

namespace field = boost::beast::http;

TEST(CredentialOfTest, BearerWinsOverTheCookie) {
  http::Request req;
  req.headers.set(field::field::cookie, "gallery_session=cookie-token");
  Result<std::optional<service::Credential>> c = CredentialOf(req);
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_EQ((*c)->kind, service::CredentialKind::kSession);
  EXPECT_EQ((*c)->token, "cookie-token");

  req.headers.set(field::field::authorization, "bearer  api-token ");
  c = CredentialOf(req);
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_EQ((*c)->kind, service::CredentialKind::kApiToken);
  EXPECT_EQ((*c)->token, "api-token");
}

TEST(CredentialOfTest, NoneOrMalformed) {
  http::Request req;
  Result<std::optional<service::Credential>> none = CredentialOf(req);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  req.headers.set(field::field::cookie, "gallery_session=");
  EXPECT_FALSE(CredentialOf(req)->has_value());
  for (const char* bad : {"Basic dXNlcjpwYXNz", "Bearer", "Bearer   ", "Token abc"}) {
    req.headers.set(field::field::authorization, bad);
    EXPECT_EQ(CredentialOf(req).code(), ErrorCode::kUnauthenticated) << bad;
  }
}

TEST(JsonBodyTest, NeedsAJsonObjectWithJsonContentType) {
  http::Request req;
  req.body = R"({"name": "x", "n": 5, "b": true})";
  EXPECT_EQ(ParseJsonObject(req).code(), ErrorCode::kInvalidArgument);  // no Content-Type
  req.headers.set(field::field::content_type, "text/plain");
  EXPECT_EQ(ParseJsonObject(req).code(), ErrorCode::kInvalidArgument);
  req.headers.set(field::field::content_type, "Application/JSON; charset=utf-8");
  Result<nlohmann::json> body = ParseJsonObject(req);
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  EXPECT_EQ(*RequiredString(*body, "name"), "x");
  EXPECT_EQ(RequiredString(*body, "n").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(RequiredString(*body, "missing").status().public_detail(),
            "missing is required and must be a string");
  EXPECT_EQ(**OptionalInt(*body, "n"), 5);
  EXPECT_FALSE(OptionalInt(*body, "missing")->has_value());
  EXPECT_EQ(OptionalInt(*body, "name").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(**OptionalBool(*body, "b"), true);
  EXPECT_EQ(OptionalBool(*body, "n").code(), ErrorCode::kInvalidArgument);
  req.body = "[1, 2]";
  EXPECT_EQ(ParseJsonObject(req).code(), ErrorCode::kInvalidArgument);
  req.body = "{broken";
  EXPECT_EQ(ParseJsonObject(req).code(), ErrorCode::kInvalidArgument);
}

TEST(JsonBodyTest, IdListsAndTextRefuseNulCharacters) {
  nlohmann::json body = nlohmann::json::parse(
      R"({"ids": ["a", "b"], "bad": ["a\u0000b"], "empty": [""], "text": "x\u0000y", "n": 1})");
  EXPECT_EQ(*RequiredIdList(body, "ids"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(RequiredIdList(body, "bad").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(RequiredIdList(body, "empty").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(RequiredIdList(body, "n").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(RequiredIdList(body, "missing").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(RequiredString(body, "text").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(OptionalString(body, "text").code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace gallery::api
