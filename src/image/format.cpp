#include "image/format.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

namespace gallery::image {
namespace {

bool StartsWith(std::string_view head, std::string_view magic) {
  return head.size() >= magic.size() && head.substr(0, magic.size()) == magic;
}

uint32_t ReadBigEndian32(std::string_view bytes, size_t offset) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + offset);
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

// ISO base media (HEIF) brands. AVIF files carry "avif"/"avis"; HEIC files
// one of the HEVC brands. "mif1"/"msf1"/"miaf" are generic HEIF brands that
// say nothing about the codec, so they only decide together with another one.
constexpr std::array<std::string_view, 2> kAvifBrands = {"avif", "avis"};
constexpr std::array<std::string_view, 6> kHeicBrands = {"heic", "heix", "heim",
                                                         "heis", "hevc", "hevx"};

template <size_t N>
bool IsOneOf(std::string_view brand, const std::array<std::string_view, N>& brands) {
  for (std::string_view b : brands) {
    if (brand == b) return true;
  }
  return false;
}

// An "ftyp" box first: size(4) "ftyp" major_brand(4) minor_version(4)
// compatible_brands(4 each). The major brand decides; when it is a generic
// one, the first compatible brand that names a codec decides.
std::optional<Format> SniffHeif(std::string_view head) {
  if (head.size() < 16 || head.substr(4, 4) != "ftyp") return std::nullopt;
  const uint32_t box_size = ReadBigEndian32(head, 0);
  if (box_size < 16 || box_size % 4 != 0) return std::nullopt;
  const std::string_view major = head.substr(8, 4);
  if (IsOneOf(major, kAvifBrands)) return Format::kAvif;
  if (IsOneOf(major, kHeicBrands)) return Format::kHeic;
  const size_t end = std::min<size_t>(box_size, head.size());
  for (size_t off = 16; off + 4 <= end; off += 4) {
    const std::string_view brand = head.substr(off, 4);
    if (IsOneOf(brand, kAvifBrands)) return Format::kAvif;
    if (IsOneOf(brand, kHeicBrands)) return Format::kHeic;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Format> SniffFormat(std::string_view head) {
  using namespace std::string_view_literals;
  if (StartsWith(head, "\xFF\xD8\xFF"sv)) return Format::kJpeg;
  if (StartsWith(head, "\x89PNG\r\n\x1A\n"sv)) return Format::kPng;
  if (StartsWith(head, "GIF87a"sv) || StartsWith(head, "GIF89a"sv)) return Format::kGif;
  // RIFF container, WEBP form, then a VP8 / VP8L / VP8X chunk.
  if (head.size() >= 16 && StartsWith(head, "RIFF"sv) && head.substr(8, 4) == "WEBP" &&
      head.substr(12, 3) == "VP8" && (head[15] == ' ' || head[15] == 'L' || head[15] == 'X')) {
    return Format::kWebp;
  }
  // Classic TIFF (42) and BigTIFF (43), little and big endian.
  if (StartsWith(head, "II\x2A\x00"sv) || StartsWith(head, "MM\x00\x2A"sv) ||
      StartsWith(head, "II\x2B\x00"sv) || StartsWith(head, "MM\x00\x2B"sv)) {
    return Format::kTiff;
  }
  return SniffHeif(head);
}

std::string_view MimeType(Format format) {
  switch (format) {
    case Format::kJpeg:
      return "image/jpeg";
    case Format::kPng:
      return "image/png";
    case Format::kWebp:
      return "image/webp";
    case Format::kGif:
      return "image/gif";
    case Format::kHeic:
      return "image/heic";
    case Format::kAvif:
      return "image/avif";
    case Format::kTiff:
      return "image/tiff";
  }
  return "application/octet-stream";
}

std::string_view FileExtension(Format format) {
  switch (format) {
    case Format::kJpeg:
      return "jpg";
    case Format::kPng:
      return "png";
    case Format::kWebp:
      return "webp";
    case Format::kGif:
      return "gif";
    case Format::kHeic:
      return "heic";
    case Format::kAvif:
      return "avif";
    case Format::kTiff:
      return "tiff";
  }
  return "bin";
}

}  // namespace gallery::image
