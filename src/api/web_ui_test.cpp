#include "api/web_ui.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <fstream>

namespace gallery::api {
namespace {

namespace fs = std::filesystem;
namespace asio = boost::asio;
using http::HttpStatus;
using http::Request;
using http::Response;

class WebUiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("web-ui-test-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    Write("index.html", "<!doctype html><title>app</title>");
    Write("index.html.gz", "gz-index");
    Write("assets/index-Ab12.js", "js");
    Write("favicon.svg", "<svg/>");
    auto loaded = http::StaticAssets::Load(root_);
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    ui_.emplace(std::move(*loaded));
  }
  void TearDown() override { fs::remove_all(root_); }

  void Write(const std::string& relative, const std::string& bytes) {
    fs::path p = root_ / relative;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
  }

  // Routes GET `path` like the server does; nullopt when nothing matches.
  std::optional<Response> Get(const http::Router& router, const std::string& path,
                              std::string accept_encoding = "") {
    http::RouteMatch match = router.Match(http::Verb::get, path);
    if (match.route == nullptr) return std::nullopt;
    Request req;
    req.path = path;
    req.target = path;
    req.path_params = match.params;
    if (!accept_encoding.empty()) req.headers.set("Accept-Encoding", accept_encoding);
    asio::io_context io;
    auto future = asio::co_spawn(io, match.route->handler(req), asio::use_future);
    io.run();
    return future.get();
  }

  static std::string Body(const Response& r) {
    return r.shared_body ? *r.shared_body : r.msg.body();
  }

  fs::path root_;
  std::optional<http::StaticAssets> ui_;
};

TEST_F(WebUiTest, ClientRoutesServeTheAppWithItsPolicy) {
  http::Router router;
  RegisterWebUiRoutes(router, *ui_);
  for (std::string path :
       {"/", "/albums", "/albums/abc", "/trash", "/login", "/settings", "/s/tok3n"}) {
    SCOPED_TRACE(path);
    auto r = Get(router, path);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->status(), HttpStatus::ok);
    EXPECT_EQ(Body(*r), "<!doctype html><title>app</title>");
    EXPECT_EQ(r->msg["Content-Type"], "text/html; charset=utf-8");
    EXPECT_EQ(r->msg["Cache-Control"], "no-cache");
    EXPECT_EQ(r->msg["Content-Security-Policy"], kWebUiContentSecurityPolicy);
    EXPECT_EQ(r->msg["Referrer-Policy"], "no-referrer");
  }
  auto gz = Get(router, "/albums", "gzip");
  ASSERT_TRUE(gz.has_value());
  EXPECT_EQ(Body(*gz), "gz-index");
  EXPECT_EQ(gz->msg["Content-Encoding"], "gzip");
}

TEST_F(WebUiTest, HashedAssetsAreImmutableOthersRevalidated) {
  http::Router router;
  RegisterWebUiRoutes(router, *ui_);
  auto js = Get(router, "/assets/index-Ab12.js");
  ASSERT_TRUE(js.has_value());
  EXPECT_EQ(js->status(), HttpStatus::ok);
  EXPECT_EQ(Body(*js), "js");
  EXPECT_EQ(js->msg["Cache-Control"], "public, max-age=31536000, immutable");
  auto missing = Get(router, "/assets/index-Zz99.js");
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->status(), HttpStatus::not_found);
  EXPECT_EQ(missing->msg["Content-Type"], "application/problem+json");
  auto icon = Get(router, "/favicon.svg");
  ASSERT_TRUE(icon.has_value());
  EXPECT_EQ(icon->msg["Content-Type"], "image/svg+xml");
  EXPECT_EQ(icon->msg["Cache-Control"], "no-cache");
}

TEST_F(WebUiTest, LeavesUnknownAndApiPathsToTheServers404) {
  http::Router router;
  RegisterWebUiRoutes(router, *ui_);
  EXPECT_FALSE(Get(router, "/api/v1/nope").has_value());
  EXPECT_FALSE(Get(router, "/api/v1/photos").has_value());
  EXPECT_FALSE(Get(router, "/index.html.gz").has_value());
  EXPECT_FALSE(Get(router, "/wp-admin").has_value());
  EXPECT_FALSE(Get(router, "/albums/a/b").has_value());
}

TEST_F(WebUiTest, DeadShareLinksAnswer404WithTheApp) {
  http::Router router;
  WebUiOptions options;
  options.share_link_alive = [](const std::string& token) -> asio::awaitable<bool> {
    co_return token == "alive";
  };
  RegisterWebUiRoutes(router, *ui_, options);
  auto alive = Get(router, "/s/alive");
  ASSERT_TRUE(alive.has_value());
  EXPECT_EQ(alive->status(), HttpStatus::ok);
  EXPECT_EQ(alive->msg["X-Robots-Tag"], "noindex, nofollow");
  auto dead = Get(router, "/s/revoked");
  ASSERT_TRUE(dead.has_value());
  EXPECT_EQ(dead->status(), HttpStatus::not_found);
  EXPECT_EQ(Body(*dead), "<!doctype html><title>app</title>");
  EXPECT_EQ(dead->msg["Cache-Control"], "no-store");
}

TEST_F(WebUiTest, MissingBuildShowsTheOperatorHowToBuildIt) {
  http::Router router;
  RegisterWebUiMissingPage(router, "/srv/<web>");
  auto r = Get(router, "/");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status(), HttpStatus::service_unavailable);
  EXPECT_EQ(r->msg["Content-Type"], "text/html; charset=utf-8");
  EXPECT_NE(Body(*r).find("make web"), std::string::npos);
  EXPECT_NE(Body(*r).find("/srv/&lt;web&gt;"), std::string::npos);
  EXPECT_FALSE(Get(router, "/api/v1/photos").has_value());
  EXPECT_TRUE(Get(router, "/s/x").has_value());
}

}  // namespace
}  // namespace gallery::api
