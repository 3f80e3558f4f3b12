#include "image/gif_layout.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

namespace gallery::image::internal {
namespace {

void Le16(std::string& s, int v) {
  s += static_cast<char>(v & 0xFF);
  s += static_cast<char>((v >> 8) & 0xFF);
}

// A GIF89a with a 2-colour global table and the given frames (left, top,
// width, height), each with a graphic control extension and one data block.
std::string MakeGif(int width, int height, const std::vector<std::array<int, 4>>& frames) {
  std::string s = "GIF89a";
  Le16(s, width);
  Le16(s, height);
  s += '\x80';  // global table, 2 entries
  s += '\0';
  s += '\0';
  s += std::string(6, '\0');
  for (const auto& f : frames) {
    s += "\x21\xF9\x04";
    s += std::string(4, '\0');
    s += '\0';  // terminator
    s += '\x2C';
    for (int v : f) Le16(s, v);
    s += '\0';            // no local table
    s += '\x02';          // LZW minimum code size
    s += "\x02\x4C\x01";  // one 2-byte data block
    s += '\0';
  }
  s += '\x3B';
  return s;
}

TEST(GifLayoutTest, FramesInsideTheScreen) {
  std::optional<GifLayout> layout =
      ScanGifLayout(MakeGif(40, 30, {{0, 0, 40, 30}, {10, 10, 5, 5}}));
  ASSERT_TRUE(layout.has_value());
  EXPECT_EQ(layout->screen_width, 40);
  EXPECT_EQ(layout->screen_height, 30);
  EXPECT_EQ(layout->frames, 2);
  EXPECT_EQ(layout->canvas_pixels, 40u * 30u);
}

TEST(GifLayoutTest, FramesOutsideTheScreenGrowTheCanvas) {
  std::optional<GifLayout> layout =
      ScanGifLayout(MakeGif(100, 100, {{0, 0, 100, 100}, {65535, 65535, 100, 100}}));
  ASSERT_TRUE(layout.has_value());
  EXPECT_EQ(layout->frames, 2);
  EXPECT_EQ(layout->canvas_pixels, 65635ull * 65635ull);
}

TEST(GifLayoutTest, TruncatedStructureKeepsWhatWasDeclared) {
  std::string gif = MakeGif(32, 32, {{0, 0, 65535, 10751}});
  gif.resize(gif.size() - 5);  // cut inside the frame's data
  std::optional<GifLayout> layout = ScanGifLayout(gif);
  ASSERT_TRUE(layout.has_value());
  EXPECT_EQ(layout->frames, 1);
  EXPECT_EQ(layout->canvas_pixels, 65535ull * 10751ull);

  // Cut in the middle of every byte: never reads past the end.
  const std::string full = MakeGif(8, 8, {{0, 0, 8, 8}, {0, 0, 8, 8}});
  for (size_t n = 0; n <= full.size(); ++n) ScanGifLayout(full.substr(0, n));
}

TEST(GifLayoutTest, NotAGif) {
  EXPECT_FALSE(ScanGifLayout("").has_value());
  EXPECT_FALSE(ScanGifLayout("GIF90a\0\0\0\0\0\0\0").has_value());
  EXPECT_FALSE(ScanGifLayout("\x89PNG\r\n\x1a\n0000000").has_value());
}

}  // namespace
}  // namespace gallery::image::internal
