#include <gtest/gtest.h>

#include <chrono>

#include "image/pipeline.hpp"
#include "image/test_support.hpp"

namespace gallery::image {
namespace {

using testing::ReadTestFile;

TEST(ProbeHeaderTest, ReadsSizeFramesAndOrientation) {
  Result<ImageHeader> h = ProbeHeader(ReadTestFile("exif-orientation/Landscape_6.jpg"));
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->format, Format::kJpeg);
  EXPECT_EQ(h->stored_width, 1200);
  EXPECT_EQ(h->stored_height, 1800);
  EXPECT_EQ(h->orientation, 6);
  EXPECT_EQ(h->display_width, 1800);
  EXPECT_EQ(h->display_height, 1200);
  EXPECT_EQ(h->frames, 1);

  Result<ImageHeader> gif = ProbeHeader(ReadTestFile("formats/gif/libvips_cogs.gif"));
  ASSERT_TRUE(gif.ok()) << gif.status().ToString();
  EXPECT_EQ(gif->format, Format::kGif);
  EXPECT_GT(gif->frames, 1);

  Result<ImageHeader> webp =
      ProbeHeader(ReadTestFile("formats/webp/libvips_big-height_anim99.webp"));
  ASSERT_TRUE(webp.ok()) << webp.status().ToString();
  EXPECT_EQ(webp->format, Format::kWebp);
  EXPECT_EQ(webp->frames, 99);
  EXPECT_EQ(webp->stored_width, 13);  // one frame, not the whole strip
  EXPECT_EQ(webp->stored_height, 169);
}

TEST(ProbeHeaderTest, InvalidOrientationZeroReadsAsOne) {
  Result<ImageHeader> h = ProbeHeader(ReadTestFile("exif-orientation/Landscape_0.jpg"));
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->orientation, 1);
  EXPECT_EQ(h->display_width, 1800);
  EXPECT_EQ(h->display_height, 1200);
}

TEST(ProbeHeaderTest, HeifRotationIsAlreadyAppliedByTheLoader) {
  // Stored landscape with a 90 degree rotation property: libheif rotates.
  Result<ImageHeader> h = ProbeHeader(ReadTestFile("formats/avif/libvips_avif-orientation-6.avif"));
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->format, Format::kAvif);
  EXPECT_EQ(h->orientation, 1);
  EXPECT_EQ(h->display_width, 3024);
  EXPECT_EQ(h->display_height, 4032);
}

TEST(ProbeHeaderTest, UnknownBytesAreUnsupported) {
  EXPECT_EQ(ProbeHeader("").code(), ErrorCode::kUnsupportedMediaType);
  EXPECT_EQ(ProbeHeader("<svg></svg>").code(), ErrorCode::kUnsupportedMediaType);
  EXPECT_EQ(ProbeHeader(ReadTestFile("formats/libvips_logo.svg")).code(),
            ErrorCode::kUnsupportedMediaType);
}

TEST(ProbeHeaderTest, ASignatureWithoutAnImageIsUnprocessable) {
  using namespace std::string_view_literals;
  EXPECT_EQ(ProbeHeader("\xFF\xD8\xFF\xE0 garbage"sv).code(), ErrorCode::kUnprocessableImage);
  EXPECT_EQ(ProbeHeader("\x89PNG\r\n\x1A\n\0\0"sv).code(), ErrorCode::kUnprocessableImage);
  EXPECT_EQ(ProbeHeader("GIF89a"sv).code(), ErrorCode::kUnprocessableImage);
}

TEST(LimitsTest, The280MegapixelJpegIsRefusedFromItsHeader) {
  const std::string bytes = ReadTestFile("large/sharp_giant-image_20000x14000.jpg");
  const auto start = std::chrono::steady_clock::now();
  Result<ImageHeader> h = ProbeHeader(bytes);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->stored_width, 20000);
  EXPECT_EQ(h->stored_height, 14000);
  const Status limits = CheckLimits(*h, Limits{});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(limits.code(), ErrorCode::kImageTooLarge) << limits.ToString();
  // Decoding 280 MP would take seconds and over 800 MB; the header takes ms.
  EXPECT_LT(elapsed, std::chrono::milliseconds(500));

  // The full pipeline refuses it the same way, as quickly.
  const auto start2 = std::chrono::steady_clock::now();
  Result<ProcessedImage> processed = ProcessUpload(bytes, {{"thumb", 512}}, Limits{});
  EXPECT_EQ(processed.code(), ErrorCode::kImageTooLarge);
  EXPECT_LT(std::chrono::steady_clock::now() - start2, std::chrono::milliseconds(500));
}

TEST(LimitsTest, CountsWidthHeightAndFrames) {
  ImageHeader h;
  h.stored_width = 10000;
  h.stored_height = 10000;
  EXPECT_TRUE(CheckLimits(h, Limits{}).ok());  // exactly 100 MP
  h.stored_width = 10001;
  EXPECT_EQ(CheckLimits(h, Limits{}).code(), ErrorCode::kImageTooLarge);

  h.stored_width = 1000;
  h.stored_height = 1000;
  h.frames = 100;
  EXPECT_TRUE(CheckLimits(h, Limits{}).ok());
  h.frames = 101;
  EXPECT_EQ(CheckLimits(h, Limits{}).code(), ErrorCode::kImageTooLarge);
  EXPECT_TRUE(CheckLimits(h, Limits{.max_pixels = 101'000'000}).ok());

  h.frames = 1;
  h.declared_canvas_pixels = 200'000'000;
  EXPECT_EQ(CheckLimits(h, Limits{}).code(), ErrorCode::kImageTooLarge);

  h.stored_width = 65535;
  h.stored_height = 65535;
  h.frames = 1 << 30;  // the product overflows 64 bits
  EXPECT_EQ(CheckLimits(h, Limits{}).code(), ErrorCode::kImageTooLarge);
}

TEST(LimitsTest, AnimationFramesCount) {
  // 1000x1000, several frames: fine at 100 MP, refused when the limit only
  // fits one frame.
  Result<ImageHeader> h =
      ProbeHeader(ReadTestFile("formats/gif/imagers_large-gif-anim-combine.gif"));
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  ASSERT_GT(h->frames, 1);
  EXPECT_TRUE(CheckLimits(*h, Limits{}).ok());
  EXPECT_EQ(CheckLimits(*h, Limits{.max_pixels = 1'500'000}).code(), ErrorCode::kImageTooLarge);
}

TEST(LimitsTest, GifFramesDeclaredOutsideTheScreenCount) {
  // 100x100 screen, a second frame declared at (65535, 65535).
  Result<ImageHeader> h =
      ProbeHeader(ReadTestFile("malformed/bombs/pillow_decompression_bomb_extents.gif"));
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->stored_width, 100);
  EXPECT_EQ(h->declared_canvas_pixels, 65635ull * 65635ull);
  EXPECT_EQ(CheckLimits(*h, Limits{}).code(), ErrorCode::kImageTooLarge);
}

}  // namespace
}  // namespace gallery::image
