#include "image/jpeg_scans.hpp"

#include <cstddef>
#include <cstring>

namespace gallery::image::internal {
namespace {

constexpr unsigned char kMarkerPrefix = 0xFF;
constexpr unsigned char kSoi = 0xD8;
constexpr unsigned char kEoi = 0xD9;
constexpr unsigned char kSos = 0xDA;
constexpr unsigned char kTem = 0x01;

bool IsRestart(unsigned char m) { return m >= 0xD0 && m <= 0xD7; }

// Start-of-frame markers of the progressive processes (Huffman and
// arithmetic, plain and differential).
bool IsProgressiveFrame(unsigned char m) {
  return m == 0xC2 || m == 0xC6 || m == 0xCA || m == 0xCE;
}

}  // namespace

int CountJpegScans(std::string_view bytes) {
  auto at = [&](size_t i) { return static_cast<unsigned char>(bytes[i]); };
  if (bytes.size() < 4 || at(0) != kMarkerPrefix || at(1) != kSoi) return 0;
  int scans = 0;
  bool progressive = false;
  size_t pos = 2;
  while (pos + 1 < bytes.size()) {
    if (at(pos) != kMarkerPrefix) return scans;  // not a marker: leave it to the decoder
    const unsigned char marker = at(pos + 1);
    if (marker == kMarkerPrefix) {  // fill byte
      ++pos;
      continue;
    }
    if (marker == kEoi) return scans;
    if (marker == kTem || IsRestart(marker) || marker == kSoi) {  // no length field
      pos += 2;
      continue;
    }
    if (pos + 3 >= bytes.size()) return scans;
    const size_t length = (size_t{at(pos + 2)} << 8) | at(pos + 3);
    if (length < 2) return scans;
    pos += 2 + length;
    if (IsProgressiveFrame(marker)) progressive = true;
    if (marker != kSos) continue;
    ++scans;
    if (!progressive) return scans;
    // Entropy-coded data: runs until a marker other than a stuffed 0xFF00 or
    // a restart marker. memchr: this walks megabytes for a large photo.
    while (pos + 1 < bytes.size()) {
      const void* ff = std::memchr(bytes.data() + pos, kMarkerPrefix, bytes.size() - pos - 1);
      if (ff == nullptr) return scans;
      pos = static_cast<size_t>(static_cast<const char*>(ff) - bytes.data());
      const unsigned char next = at(pos + 1);
      if (next != 0x00 && !IsRestart(next) && next != kMarkerPrefix) break;
      ++pos;
    }
  }
  return scans;
}

}  // namespace gallery::image::internal
