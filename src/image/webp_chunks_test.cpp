#include "image/webp_chunks.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace gallery::image::internal {
namespace {

std::string Le32(uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  return s;
}

std::string Chunk(std::string_view fourcc, std::string_view payload) {
  std::string c =
      std::string(fourcc) + Le32(static_cast<uint32_t>(payload.size())) + std::string(payload);
  if (payload.size() % 2 == 1) c += '\0';
  return c;
}

std::string Riff(const std::string& chunks) {
  return "RIFF" + Le32(static_cast<uint32_t>(4 + chunks.size())) + "WEBP" + chunks;
}

TEST(StripWebpMetadataChunksTest, RemovesExifXmpIccAndTheirFlags) {
  // VP8X flags: ICC 0x20 | alpha 0x10 | EXIF 0x08 | XMP 0x04.
  const std::string vp8x = Chunk("VP8X", std::string("\x3C\0\0\0\x09\0\0\x09\0\0", 10));
  const std::string image = Chunk("VP8L", "pixels!");  // odd size: padded
  const std::string in = Riff(vp8x + Chunk("ICCP", "profile") + image +
                              Chunk("EXIF", "Exif\0\0MM") + Chunk("XMP ", "<x:xmpmeta/>"));
  const std::string out = StripWebpMetadataChunks(in);
  const std::string want_vp8x = Chunk("VP8X", std::string("\x10\0\0\0\x09\0\0\x09\0\0", 10));
  EXPECT_EQ(out, Riff(want_vp8x + image));
  EXPECT_EQ(out.find("Exif"), std::string::npos);
}

TEST(StripWebpMetadataChunksTest, LeavesCleanFilesAlone) {
  const std::string simple = Riff(Chunk("VP8 ", "abcd"));
  EXPECT_EQ(StripWebpMetadataChunks(simple), simple);
}

TEST(StripWebpMetadataChunksTest, MalformedInputIsReturnedUnchanged) {
  EXPECT_EQ(StripWebpMetadataChunks("RIFF"), "RIFF");
  const std::string truncated = Riff(Chunk("VP8 ", "abcd")).substr(0, 18);
  EXPECT_EQ(StripWebpMetadataChunks(truncated), truncated);
  const std::string lying = "RIFF" + Le32(100) + "WEBP" + "EXIF" + Le32(1000) + "xx";
  EXPECT_EQ(StripWebpMetadataChunks(lying), lying);
}

}  // namespace
}  // namespace gallery::image::internal
