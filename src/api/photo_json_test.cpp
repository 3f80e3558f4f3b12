#include "api/photo_json.hpp"

#include <gtest/gtest.h>

#include "api/photos_handler.hpp"
#include "common/time.hpp"

namespace gallery::api {
namespace {

TEST(CursorTest, RoundTripsAndRejectsForeignText) {
  db::PhotoCursor c{FromUnixMillis(1714557600123), "Ab-_9"};
  auto back = DecodeCursor(EncodeCursor(c));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->id, c.id);
  EXPECT_EQ(ToUnixMillis(back->sort_time), 1714557600123);
  EXPECT_FALSE(DecodeCursor("!!!").has_value());
  EXPECT_FALSE(DecodeCursor("").has_value());
  EXPECT_FALSE(DecodeCursor(EncodeCursor({FromUnixMillis(1), "bad id'"})).has_value());
}

TEST(PhotoJsonTest, HasTheContractFields) {
  db::PhotoRecord p;
  p.id = "abc";
  p.filename = "IMG_0001.jpg";
  p.content_type = "image/jpeg";
  p.bytes = 123;
  p.width = 40;
  p.height = 30;
  p.uploaded_at = FromUnixMillis(1714557600000);
  p.sha256 = "00";
  p.exif_json = "{\"camera_make\":\"Canon\"}";
  nlohmann::json j = PhotoJson(p, true);
  for (const char* key : {"id", "filename", "content_type", "bytes", "width", "height", "taken_at",
                          "uploaded_at", "sha256", "duplicate", "exif", "urls"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_TRUE(j["taken_at"].is_null());
  EXPECT_EQ(j["uploaded_at"], "2024-05-01T10:00:00Z");
  EXPECT_EQ(j["duplicate"], true);
  EXPECT_EQ(j["exif"]["camera_make"], "Canon");
  EXPECT_EQ(j["urls"]["thumb"], "/api/v1/photos/abc/thumb");
}

TEST(PhotoJsonTest, BrokenStoredExifBecomesEmptyObject) {
  db::PhotoRecord p;
  p.exif_json = "{not json";
  EXPECT_TRUE(PhotoJson(p)["exif"].is_object());
  EXPECT_TRUE(PhotoJson(p)["exif"].empty());
}

http::Request WithAccept(std::string accept, std::string query = "") {
  http::Request r;
  if (!accept.empty()) r.headers.set("Accept", accept);
  r.query = std::move(query);
  return r;
}

TEST(ChooseDerivativeFormatTest, FollowsAcceptAndQuery) {
  using image::OutputFormat;
  EXPECT_EQ(*ChooseDerivativeFormat(WithAccept("image/avif,image/webp,*/*")), OutputFormat::kAvif);
  EXPECT_EQ(*ChooseDerivativeFormat(WithAccept("image/webp,*/*;q=0.8")), OutputFormat::kWebp);
  EXPECT_EQ(*ChooseDerivativeFormat(WithAccept("image/avif;q=0, image/webp")), OutputFormat::kWebp);
  EXPECT_EQ(*ChooseDerivativeFormat(WithAccept("*/*")), OutputFormat::kJpeg);
  EXPECT_EQ(*ChooseDerivativeFormat(WithAccept("")), OutputFormat::kJpeg);
  EXPECT_EQ(*ChooseDerivativeFormat(WithAccept("image/avif", "format=jpeg")), OutputFormat::kJpeg);
  EXPECT_EQ(*ChooseDerivativeFormat(WithAccept("", "format=webp")), OutputFormat::kWebp);
  EXPECT_EQ(ChooseDerivativeFormat(WithAccept("", "format=bmp")).code(),
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace gallery::api
