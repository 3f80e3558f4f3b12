#include "image/jpeg_scans.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "image/pipeline.hpp"
#include "image/test_support.hpp"

namespace gallery::image::internal {
namespace {

using testing::ReadTestFile;

// A progressive JPEG made by libvips from a test photo, `edge` px wide.
std::string ProgressiveJpeg(int edge = 1800) {
  const vips::VImage photo =
      testing::DecodeForTest(ReadTestFile("exif-orientation/Landscape_1.jpg"))
          .thumbnail_image(edge);
  VipsBlob* blob = photo.jpegsave_buffer(vips::VImage::option()->set("interlace", true));
  std::string bytes(static_cast<const char*>(VIPS_AREA(blob)->data), VIPS_AREA(blob)->length);
  vips_area_unref(VIPS_AREA(blob));
  return bytes;
}

// Where the last start-of-scan marker is.
size_t LastScanOffset(const std::string& jpeg) { return jpeg.rfind("\xFF\xDA"); }

TEST(CountJpegScansTest, BaselineAndProgressive) {
  EXPECT_EQ(CountJpegScans(ReadTestFile("exif-orientation/Landscape_1.jpg")), 1);
  EXPECT_EQ(CountJpegScans(ReadTestFile("large/sharp_giant-image_20000x14000.jpg")), 1);
  const int progressive = CountJpegScans(ReadTestFile("formats/imagers_progressive_cat.jpg"));
  EXPECT_GT(progressive, 1);
  EXPECT_LE(progressive, 20);
  EXPECT_EQ(CountJpegScans(ProgressiveJpeg()), 10);  // libjpeg's standard script
}

TEST(CountJpegScansTest, EmbeddedThumbnailsAreNotCounted) {
  // Camera files carry a JPEG thumbnail (with its own scan) inside EXIF.
  const std::string camera = ReadTestFile("camera-exif/Canon_40D.jpg");
  ASSERT_GE(camera.find("\xFF\xD8", 2), 2u);  // a second SOI inside APP1
  EXPECT_EQ(CountJpegScans(camera), 1);
}

TEST(CountJpegScansTest, NotAJpegOrTruncated) {
  EXPECT_EQ(CountJpegScans(""), 0);
  EXPECT_EQ(CountJpegScans("\x89PNG\r\n\x1A\n"), 0);
  const std::string photo = ReadTestFile("exif-orientation/Landscape_1.jpg");
  for (size_t n = 0; n < 700; ++n) CountJpegScans(photo.substr(0, n));  // never overreads
}

TEST(CountJpegScansTest, AScanBombIsRefusedBeforeDecoding) {
  // The last scan of a progressive JPEG repeated until there are far more
  // scans than any real file has: libjpeg would decode every one of them.
  const std::string progressive = ProgressiveJpeg(64);
  const size_t last = LastScanOffset(progressive);
  const size_t eoi = progressive.size() - 2;
  const std::string scan = progressive.substr(last, eoi - last);
  std::string bomb = progressive.substr(0, eoi);
  for (int i = 0; i < 2000; ++i) bomb += scan;
  bomb += "\xFF\xD9";
  EXPECT_GT(CountJpegScans(bomb), kMaxJpegScans);

  const auto start = std::chrono::steady_clock::now();
  Result<ProcessedImage> p = ProcessUpload(bomb, {{"thumb", 512}}, Limits{});
  EXPECT_EQ(p.code(), ErrorCode::kUnprocessableImage);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
  // The original, with its 10 scans, is fine.
  EXPECT_TRUE(ProcessUpload(progressive, {{"thumb", 512}}, Limits{}).ok());
}

}  // namespace
}  // namespace gallery::image::internal
