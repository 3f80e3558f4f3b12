#include "http/static_assets.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "http/responses.hpp"

namespace gallery::http {
namespace {

namespace fs = std::filesystem;

class TempTree {
 public:
  TempTree() {
    root_ = fs::temp_directory_path() /
            ("static-assets-test-" + std::to_string(::getpid()) + "-" + std::to_string(next_++));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  ~TempTree() { fs::remove_all(root_); }
  void Write(const std::string& relative, const std::string& bytes) {
    fs::path p = root_ / relative;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
  }
  const fs::path& root() const { return root_; }

 private:
  static inline int next_ = 0;
  fs::path root_;
};

Request Get(std::string accept_encoding = "", std::string if_none_match = "") {
  Request r;
  if (!accept_encoding.empty()) r.headers.set("Accept-Encoding", accept_encoding);
  if (!if_none_match.empty()) r.headers.set("If-None-Match", if_none_match);
  return r;
}

std::string BodyOf(const Response& r) { return r.shared_body ? *r.shared_body : r.msg.body(); }

TEST(ContentCodingTest, PrefersBrotliThenGzipAndHonoursQValues) {
  EXPECT_EQ(ChooseContentCoding("gzip, deflate, br, zstd", true, true), ContentCoding::kBrotli);
  EXPECT_EQ(ChooseContentCoding("gzip, deflate, br", false, true), ContentCoding::kGzip);
  EXPECT_EQ(ChooseContentCoding("gzip", true, true), ContentCoding::kGzip);
  EXPECT_EQ(ChooseContentCoding("br;q=0, gzip", true, true), ContentCoding::kGzip);
  EXPECT_EQ(ChooseContentCoding("br;q=0.2, gzip;q=0.8", true, true), ContentCoding::kGzip);
  EXPECT_EQ(ChooseContentCoding("GZIP ; Q=1", true, true), ContentCoding::kGzip);
  EXPECT_EQ(ChooseContentCoding("*", true, true), ContentCoding::kBrotli);
  EXPECT_EQ(ChooseContentCoding("*;q=0", true, true), ContentCoding::kIdentity);
  EXPECT_EQ(ChooseContentCoding("identity", true, true), ContentCoding::kIdentity);
  EXPECT_EQ(ChooseContentCoding("", true, true), ContentCoding::kIdentity);
  EXPECT_EQ(ChooseContentCoding("br", false, false), ContentCoding::kIdentity);
}

TEST(ContentTypeTest, ByExtension) {
  EXPECT_EQ(ContentTypeForPath("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeForPath("assets/index-AbC123.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeForPath("assets/index-AbC123.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeForPath("favicon.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeForPath("a.dir/README"), "application/octet-stream");
  EXPECT_EQ(ContentTypeForPath("blob.unknown"), "application/octet-stream");
}

TEST(StaticAssetsTest, LoadsTheTreeWithItsPrecompressedVariants) {
  TempTree t;
  t.Write("index.html", "<!doctype html><p>hi</p>");
  t.Write("assets/app-1a2b.js", "console.log(1)");
  t.Write("assets/app-1a2b.js.br", "BROTLI");
  t.Write("assets/app-1a2b.js.gz", "GZIP");
  t.Write("orphan.txt.gz", "a variant whose file is missing is a file of its own");
  auto assets = StaticAssets::Load(t.root());
  ASSERT_TRUE(assets.ok()) << assets.status().ToString();
  std::vector<std::string> paths;
  for (const auto& [path, file] : assets->files()) paths.push_back(path);
  EXPECT_EQ(paths, (std::vector<std::string>{"assets/app-1a2b.js", "index.html", "orphan.txt.gz"}));
  const StaticFile* js = assets->Find("assets/app-1a2b.js");
  ASSERT_NE(js, nullptr);
  EXPECT_EQ(*js->identity, "console.log(1)");
  ASSERT_NE(js->brotli, nullptr);
  EXPECT_EQ(*js->brotli, "BROTLI");
  ASSERT_NE(js->gzip, nullptr);
  EXPECT_EQ(*js->gzip, "GZIP");
  EXPECT_EQ(js->etag.size(), 34u);  // quoted 128-bit hex
  EXPECT_EQ(assets->Find("index.html")->brotli, nullptr);
  EXPECT_EQ(assets->Find("assets/app-1a2b.js.br"), nullptr);
  EXPECT_EQ(assets->Find("../index.html"), nullptr);
}

TEST(StaticAssetsTest, RefusesAMissingOrWrongRoot) {
  TempTree t;
  auto missing = StaticAssets::Load(t.root() / "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kNotFound);
  t.Write("assets/app.js", "x");
  auto no_index = StaticAssets::Load(t.root());
  ASSERT_FALSE(no_index.ok());
  EXPECT_EQ(no_index.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(no_index.status().message().find("index.html"), std::string::npos);
  t.Write("index.html", std::string(2000, 'x'));
  auto too_big = StaticAssets::Load(t.root(), {.max_file_bytes = 1000, .max_total_bytes = 1 << 20});
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.status().code(), ErrorCode::kInvalidArgument);
  auto tree_too_big =
      StaticAssets::Load(t.root(), {.max_file_bytes = 4000, .max_total_bytes = 1500});
  ASSERT_FALSE(tree_too_big.ok());
  EXPECT_EQ(tree_too_big.status().code(), ErrorCode::kInvalidArgument);
}

TEST(StaticFileResponseTest, PicksTheCodingAndRevalidatesPerCoding) {
  TempTree t;
  t.Write("index.html", "<!doctype html>");
  t.Write("assets/app.js", "plain");
  t.Write("assets/app.js.gz", "gzipped");
  auto assets = StaticAssets::Load(t.root());
  ASSERT_TRUE(assets.ok());
  const StaticFile& js = *assets->Find("assets/app.js");

  Response plain = StaticFileResponse(Get(), js, "no-cache");
  EXPECT_EQ(plain.status(), HttpStatus::ok);
  EXPECT_EQ(BodyOf(plain), "plain");
  EXPECT_EQ(plain.msg["Content-Type"], "text/javascript; charset=utf-8");
  EXPECT_EQ(plain.msg["Content-Encoding"], "");
  EXPECT_EQ(plain.msg["Cache-Control"], "no-cache");
  EXPECT_EQ(plain.msg["Vary"], "Accept-Encoding");
  EXPECT_EQ(plain.msg["ETag"], js.etag);

  Response gz = StaticFileResponse(Get("br, gzip"), js, "no-cache");
  EXPECT_EQ(BodyOf(gz), "gzipped");
  EXPECT_EQ(gz.msg["Content-Encoding"], "gzip");
  const std::string gz_etag(gz.msg["ETag"]);
  EXPECT_NE(gz_etag, js.etag);

  Response again = StaticFileResponse(Get("gzip", gz_etag), js, "no-cache");
  EXPECT_EQ(again.status(), HttpStatus::not_modified);
  EXPECT_TRUE(BodyOf(again).empty());
  EXPECT_EQ(again.msg["ETag"], gz_etag);
  // The identity ETag does not validate the gzip representation.
  EXPECT_EQ(StaticFileResponse(Get("gzip", js.etag), js, "no-cache").status(), HttpStatus::ok);

  Response html = StaticFileResponse(Get("br, gzip"), *assets->Find("index.html"), "x");
  EXPECT_EQ(html.msg["Content-Encoding"], "");
  EXPECT_EQ(html.msg["Vary"], "");
}

}  // namespace
}  // namespace gallery::http
