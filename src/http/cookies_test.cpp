#include "http/cookies.hpp"

#include <gtest/gtest.h>

namespace gallery::http {
namespace {

TEST(CookieValueTest, FindsTheNamedCookie) {
  Fields f;
  EXPECT_EQ(CookieValue(f, "gallery_session"), std::nullopt);
  f.set(beast_http::field::cookie, "theme=dark; gallery_session=abc-_123;other=\"q\"");
  EXPECT_EQ(CookieValue(f, "gallery_session"), "abc-_123");
  EXPECT_EQ(CookieValue(f, "other"), "q");
  EXPECT_EQ(CookieValue(f, "gallery"), std::nullopt);
  EXPECT_EQ(CookieValue(f, "session"), std::nullopt);
}

TEST(CookieValueTest, ReadsEveryCookieLine) {
  Fields f;
  f.insert(beast_http::field::cookie, "a=1");
  f.insert(beast_http::field::cookie, "gallery_session=xyz");
  EXPECT_EQ(CookieValue(f, "gallery_session"), "xyz");
}

TEST(SetCookieTest, WritesTheAttributes) {
  SetCookieOptions o;
  o.max_age = std::chrono::seconds(3600);
  EXPECT_EQ(SetCookie("s", "v", o), "s=v; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax");
  o.secure = true;
  o.path = "/api/v1/shared/t";
  EXPECT_EQ(SetCookie("s", "v", o),
            "s=v; Path=/api/v1/shared/t; Max-Age=3600; HttpOnly; Secure; SameSite=Lax");
  EXPECT_EQ(ClearCookie("s", SetCookieOptions{}), "s=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
}

}  // namespace
}  // namespace gallery::http
