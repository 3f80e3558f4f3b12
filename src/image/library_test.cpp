#include <gtest/gtest.h>

#include <thread>

#include "image/pipeline.hpp"
#include "image/test_support.hpp"

namespace gallery::image {
namespace {

using testing::ReadTestFile;

TEST(InitImageLibraryTest, IsSafeToCallAgainFromAnyThread) {
  EXPECT_TRUE(InitImageLibrary("image_test").ok());
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([] { EXPECT_TRUE(InitImageLibrary(nullptr).ok()); });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(vips_concurrency_get(), 1);
}

TEST(InitImageLibraryTest, LoadersOutsideTheAcceptedFormatsAreBlocked) {
  ASSERT_TRUE(InitImageLibrary("image_test").ok());
  // Even libvips' own sniffing cannot reach the SVG loader (librsvg is
  // installed, so without the block this would load): a polyglot can only
  // ever be read as the format we recognised.
  const std::string svg = ReadTestFile("formats/libvips_logo.svg");
  EXPECT_THROW(vips::VImage::new_from_buffer(svg, ""), vips::VError);
  vips_error_clear();
  // The accepted ones still load.
  const std::string jpeg = ReadTestFile("exif-orientation/Landscape_1.jpg");
  EXPECT_EQ(vips::VImage::new_from_buffer(jpeg, "").width(), 1800);
}

}  // namespace
}  // namespace gallery::image
