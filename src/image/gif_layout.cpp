#include "image/gif_layout.hpp"

#include <algorithm>

namespace gallery::image::internal {
namespace {

constexpr unsigned char kExtensionIntroducer = 0x21;
constexpr unsigned char kImageSeparator = 0x2C;
constexpr unsigned char kTrailer = 0x3B;
constexpr unsigned char kColorTableFlag = 0x80;

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool Has(size_t n) const { return pos_ + n <= bytes_.size(); }
  unsigned char Byte(size_t at) const { return static_cast<unsigned char>(bytes_[pos_ + at]); }
  uint32_t Le16(size_t at) const { return Byte(at) | (uint32_t{Byte(at + 1)} << 8); }
  void Skip(size_t n) { pos_ = std::min(bytes_.size(), pos_ + n); }
  // Skips a chain of data sub-blocks (length byte, data) up to the
  // terminating empty block. False when the chain runs off the end.
  bool SkipSubBlocks() {
    while (Has(1)) {
      const size_t length = Byte(0);
      Skip(1);
      if (length == 0) return true;
      if (!Has(length)) return false;
      Skip(length);
    }
    return false;
  }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

size_t ColorTableBytes(unsigned char flags) {
  return (flags & kColorTableFlag) != 0 ? 3u * (2u << (flags & 0x07)) : 0;
}

}  // namespace

std::optional<GifLayout> ScanGifLayout(std::string_view bytes) {
  if (bytes.size() < 13 || (bytes.substr(0, 6) != "GIF87a" && bytes.substr(0, 6) != "GIF89a")) {
    return std::nullopt;
  }
  Reader r(bytes);
  GifLayout layout;
  layout.screen_width = static_cast<int>(r.Le16(6));
  layout.screen_height = static_cast<int>(r.Le16(8));
  uint64_t canvas_width = layout.screen_width;
  uint64_t canvas_height = layout.screen_height;
  r.Skip(13 + ColorTableBytes(r.Byte(10)));

  while (r.Has(1)) {
    const unsigned char introducer = r.Byte(0);
    if (introducer == kTrailer) break;
    if (introducer == kExtensionIntroducer) {
      r.Skip(2);  // introducer, label
      if (!r.SkipSubBlocks()) break;
    } else if (introducer == kImageSeparator) {
      if (!r.Has(10)) break;
      const uint64_t left = r.Le16(1), top = r.Le16(3), width = r.Le16(5), height = r.Le16(7);
      const unsigned char flags = r.Byte(9);
      ++layout.frames;
      canvas_width = std::max(canvas_width, left + width);
      canvas_height = std::max(canvas_height, top + height);
      r.Skip(10 + ColorTableBytes(flags) + 1);  // descriptor, local table, LZW code size
      if (!r.SkipSubBlocks()) break;
    } else {
      break;  // not a block: the decoder will say what is wrong
    }
  }
  layout.canvas_pixels = canvas_width * canvas_height;
  return layout;
}

}  // namespace gallery::image::internal
