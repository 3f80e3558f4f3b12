#include "image/format.hpp"

#include <gtest/gtest.h>

#include <map>

#include "image/test_support.hpp"

namespace gallery::image {
namespace {

using namespace std::string_view_literals;
using testing::ReadTestFile;
using testing::TestFilesUnder;

// formats/<folder>/ holds one format per folder; the loose files are a
// progressive JPEG and an SVG.
std::optional<Format> ExpectedFormat(const std::filesystem::path& file) {
  static const std::map<std::string, Format> kByFolder = {
      {"avif", Format::kAvif}, {"heic", Format::kHeic}, {"gif", Format::kGif},
      {"png", Format::kPng},   {"tiff", Format::kTiff}, {"webp", Format::kWebp}};
  const std::string folder = file.parent_path().filename().string();
  if (auto it = kByFolder.find(folder); it != kByFolder.end()) return it->second;
  if (file.extension() == ".jpg") return Format::kJpeg;
  return std::nullopt;  // the SVG
}

TEST(SniffFormatTest, RecognisesEveryTestFormatAndRefusesSvg) {
  const auto files = TestFilesUnder("formats");
  ASSERT_GE(files.size(), 29u);
  int svgs = 0;
  for (const auto& file : files) {
    const std::string bytes = ReadTestFile(file);
    const std::optional<Format> expected = ExpectedFormat(file);
    EXPECT_EQ(SniffFormat(bytes), expected) << file;
    // 32 bytes are enough for every one of them.
    EXPECT_EQ(SniffFormat(std::string_view(bytes).substr(0, 32)), expected) << file;
    if (file.extension() == ".svg") ++svgs;
  }
  EXPECT_EQ(svgs, 1);
}

TEST(SniffFormatTest, HeicAndAvifAreToldApartByBrand) {
  auto ftyp = [](std::string_view major, std::string_view compatible) {
    std::string box = std::string("\0\0\0"sv) + static_cast<char>(16 + compatible.size()) + "ftyp" +
                      std::string(major) + std::string("\0\0\0\0"sv) + std::string(compatible);
    return box + std::string("\0\0\0\x08meta"sv);
  };
  EXPECT_EQ(SniffFormat(ftyp("avif", "mif1")), Format::kAvif);
  EXPECT_EQ(SniffFormat(ftyp("avis", "")), Format::kAvif);
  EXPECT_EQ(SniffFormat(ftyp("heic", "mif1")), Format::kHeic);
  EXPECT_EQ(SniffFormat(ftyp("heix", "")), Format::kHeic);
  // Generic HEIF major brand: the compatible brands decide.
  EXPECT_EQ(SniffFormat(ftyp("mif1", "miafavif")), Format::kAvif);
  EXPECT_EQ(SniffFormat(ftyp("mif1", "miafheic")), Format::kHeic);
  EXPECT_EQ(SniffFormat(ftyp("mif1", "miaf")), std::nullopt);
  // Other ISO media files: MP4 video, QuickTime.
  EXPECT_EQ(SniffFormat(ftyp("isom", "iso2mp41")), std::nullopt);
  EXPECT_EQ(SniffFormat(ftyp("qt  ", "")), std::nullopt);
}

TEST(SniffFormatTest, RefusesDocumentsMarkupAndShortInput) {
  EXPECT_EQ(SniffFormat(""), std::nullopt);
  EXPECT_EQ(SniffFormat("<!DOCTYPE html><html><body><img src=x></body></html>"), std::nullopt);
  EXPECT_EQ(SniffFormat("<html><head><title>x</title></head></html>"), std::nullopt);
  EXPECT_EQ(SniffFormat("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj"sv), std::nullopt);
  EXPECT_EQ(SniffFormat("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            std::nullopt);
  EXPECT_EQ(SniffFormat("<svg width=\"10\" height=\"10\"></svg>"), std::nullopt);
  EXPECT_EQ(SniffFormat("BM\x36\x0a\0\0\0\0\0\0\x36\0\0\0"sv), std::nullopt);  // BMP
  EXPECT_EQ(SniffFormat("\0\0\x01\0\x01\0\x10\x10"sv), std::nullopt);          // ICO
  EXPECT_EQ(SniffFormat("\x1F\x8B\x08\0"sv), std::nullopt);                    // gzip (svgz)
  EXPECT_EQ(SniffFormat("RIFF\x24\0\0\0WAVEfmt "sv), std::nullopt);            // WAV
  EXPECT_EQ(SniffFormat("RIFF\x24\0\0\0WEBPJUNK"sv), std::nullopt);            // no VP8 chunk

  // Every proper prefix of a signature is too short to decide.
  for (std::string_view signature :
       {"\xFF\xD8\xFF"sv, "\x89PNG\r\n\x1A\n"sv, "GIF89a"sv, "RIFF\0\0\0\0WEBPVP8 "sv, "II*\0"sv}) {
    for (size_t n = 0; n < signature.size(); ++n) {
      EXPECT_EQ(SniffFormat(signature.substr(0, n)), std::nullopt) << n;
    }
    EXPECT_NE(SniffFormat(signature), std::nullopt);
  }
}

TEST(SniffFormatTest, PngWithoutItsFirstByteIsRefused) {
  EXPECT_EQ(SniffFormat(ReadTestFile("malformed/corrupt-png/pillow_pngtest_bad.png.bin")),
            std::nullopt);
}

TEST(FormatTest, MimeTypesAndExtensions) {
  EXPECT_EQ(MimeType(Format::kJpeg), "image/jpeg");
  EXPECT_EQ(MimeType(Format::kPng), "image/png");
  EXPECT_EQ(MimeType(Format::kWebp), "image/webp");
  EXPECT_EQ(MimeType(Format::kGif), "image/gif");
  EXPECT_EQ(MimeType(Format::kHeic), "image/heic");
  EXPECT_EQ(MimeType(Format::kAvif), "image/avif");
  EXPECT_EQ(MimeType(Format::kTiff), "image/tiff");
  EXPECT_EQ(FileExtension(Format::kJpeg), "jpg");
  EXPECT_EQ(FileExtension(Format::kHeic), "heic");
  EXPECT_EQ(FileExtension(Format::kAvif), "avif");
  EXPECT_EQ(FileExtension(Format::kTiff), "tiff");
}

}  // namespace
}  // namespace gallery::image
