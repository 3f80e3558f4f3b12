#include "http/router.hpp"

#include <gtest/gtest.h>

namespace gallery::http {
namespace {

Handler Noop() {
  return [](Request&) -> boost::asio::awaitable<Response> { co_return Response{}; };
}

TEST(RouterTest, MatchesLiteralsAndCaptures) {
  Router r;
  r.Add(Verb::get, "/api/v1/photos", Noop());
  r.Add(Verb::get, "/api/v1/photos/{id}", Noop());
  r.Add(Verb::get, "/api/v1/photos/{id}/thumb", Noop());
  RouteMatch m = r.Match(Verb::get, "/api/v1/photos/abc/thumb");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/api/v1/photos/{id}/thumb");
  EXPECT_EQ(m.params["id"], "abc");
  EXPECT_EQ(r.Match(Verb::get, "/api/v1/photos").route->pattern, "/api/v1/photos");
}

TEST(RouterTest, HeadMatchesGet) {
  Router r;
  r.Add(Verb::get, "/healthz", Noop());
  EXPECT_NE(r.Match(Verb::head, "/healthz").route, nullptr);
}

TEST(RouterTest, AHeadRouteWinsOverTheGetRoute) {
  Router r;
  r.Add(Verb::get, "/a/{id}", Noop());
  r.Add(Verb::head, "/b/{id}", Noop());
  r.Add(Verb::get, "/b/{id}", Noop());
  RouteMatch head = r.Match(Verb::head, "/b/x");
  ASSERT_NE(head.route, nullptr);
  EXPECT_EQ(head.route->method, Verb::head);
  EXPECT_EQ(head.params["id"], "x");
  EXPECT_EQ(r.Match(Verb::head, "/a/y").route->method, Verb::get);
  EXPECT_EQ(r.Match(Verb::head, "/a/y").params.at("id"), "y");
  EXPECT_EQ(r.AllowedMethods("/b/x"), "HEAD, GET");
  EXPECT_EQ(r.AllowedMethods("/a/x"), "GET, HEAD");
}

TEST(RouterTest, TellsUnknownPathsFromWrongMethods) {
  Router r;
  r.Add(Verb::get, "/api/v1/photos/{id}", Noop());
  r.Add(Verb::delete_, "/api/v1/photos/{id}", Noop());
  RouteMatch wrong_method = r.Match(Verb::put, "/api/v1/photos/x");
  EXPECT_EQ(wrong_method.route, nullptr);
  EXPECT_TRUE(wrong_method.path_known);
  EXPECT_EQ(r.AllowedMethods("/api/v1/photos/x"), "GET, HEAD, DELETE");
  RouteMatch unknown = r.Match(Verb::get, "/nope");
  EXPECT_EQ(unknown.route, nullptr);
  EXPECT_FALSE(unknown.path_known);
}

TEST(RouterTest, TrailingSlashAndExtraSegmentsDoNotMatch) {
  Router r;
  r.Add(Verb::get, "/api/v1/photos/{id}", Noop());
  EXPECT_EQ(r.Match(Verb::get, "/api/v1/photos/x/").route, nullptr);
  EXPECT_EQ(r.Match(Verb::get, "/api/v1/photos/x/y").route, nullptr);
  EXPECT_EQ(r.Match(Verb::get, "/api/v1/photos").route, nullptr);
}

TEST(RouterTest, RestCapture) {
  Router r;
  r.Add(Verb::get, "/assets/{*path}", Noop());
  RouteMatch m = r.Match(Verb::get, "/assets/js/app.js");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params["path"], "js/app.js");
}

}  // namespace
}  // namespace gallery::http
