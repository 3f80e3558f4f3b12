#include "image/webp_chunks.hpp"

#include <cstdint>

namespace gallery::image::internal {
namespace {

constexpr size_t kRiffHeader = 12;  // "RIFF" size "WEBP"
constexpr size_t kChunkHeader = 8;  // fourcc size
// VP8X feature flags (WebP container spec).
constexpr unsigned char kIccFlag = 0x20;
constexpr unsigned char kExifFlag = 0x08;
constexpr unsigned char kXmpFlag = 0x04;

uint32_t ReadLe32(std::string_view s, size_t at) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data() + at);
  return p[0] | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
}

void WriteLe32(std::string& s, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

bool IsMetadataChunk(std::string_view fourcc) {
  return fourcc == "EXIF" || fourcc == "XMP " || fourcc == "ICCP";
}

}  // namespace

std::string StripWebpMetadataChunks(std::string_view webp) {
  if (webp.size() < kRiffHeader || webp.substr(0, 4) != "RIFF" || webp.substr(8, 4) != "WEBP") {
    return std::string(webp);
  }
  std::string out(webp.substr(0, kRiffHeader));
  size_t vp8x_at = std::string::npos;  // offset of the VP8X payload in `out`
  size_t pos = kRiffHeader;
  while (pos < webp.size()) {
    if (pos + kChunkHeader > webp.size()) return std::string(webp);
    const std::string_view fourcc = webp.substr(pos, 4);
    const uint64_t payload = ReadLe32(webp, pos + 4);
    const uint64_t total = kChunkHeader + payload + (payload & 1);  // padded to even
    if (pos + total > webp.size()) return std::string(webp);
    if (!IsMetadataChunk(fourcc)) {
      if (fourcc == "VP8X" && payload >= 1) vp8x_at = out.size() + kChunkHeader;
      out.append(webp.substr(pos, total));
    }
    pos += total;
  }
  if (vp8x_at != std::string::npos) {
    out[vp8x_at] = static_cast<char>(static_cast<unsigned char>(out[vp8x_at]) &
                                     ~(kIccFlag | kExifFlag | kXmpFlag));
  }
  WriteLe32(out, 4, static_cast<uint32_t>(out.size() - 8));
  return out;
}

}  // namespace gallery::image::internal
