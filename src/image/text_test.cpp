#include "image/text.hpp"

#include <gtest/gtest.h>

namespace gallery::image::internal {
namespace {

using namespace std::string_view_literals;

TEST(SanitizeTextTest, KeepsValidUtf8) {
  EXPECT_EQ(SanitizeText("Canon EOS 40D"), "Canon EOS 40D");
  EXPECT_EQ(SanitizeText("Zürich \xE6\x9D\xB1\xE4\xBA\xAC \xF0\x9F\x93\xB7"),
            "Zürich \xE6\x9D\xB1\xE4\xBA\xAC \xF0\x9F\x93\xB7");
}

TEST(SanitizeTextTest, ReadsInvalidUtf8AsLatin1) {
  EXPECT_EQ(SanitizeText("\xA9 Fran\xE7ois"), "\xC2\xA9 Fran\xC3\xA7ois");
  // Overlong encodings and surrogates are not UTF-8.
  EXPECT_EQ(SanitizeText("\xC0\xAF"sv), "\xC3\x80\xC2\xAF");
  EXPECT_EQ(SanitizeText("\xED\xA0\x80"sv), "\xC3\xAD\xC2\xA0");  // 0x80 is C1: dropped
}

TEST(SanitizeTextTest, DropsControlsAndCollapsesSpace) {
  EXPECT_EQ(SanitizeText("  KONICA MINOLTA  "), "KONICA MINOLTA");
  EXPECT_EQ(SanitizeText("a\tb\r\nc"), "a b c");
  EXPECT_EQ(SanitizeText("a\0b\x1B[31mc\x7F"sv), "ab[31mc");
  EXPECT_EQ(SanitizeText("evil\xE2\x80\xAEtxt.exe"), "eviltxt.exe");  // right-to-left override
  EXPECT_EQ(SanitizeText("\xEF\xBB\xBFx"), "x");
  EXPECT_EQ(SanitizeText("\x01\x02\x03"), "");
}

TEST(SanitizeTextTest, CutsOnACharacterBoundary) {
  EXPECT_EQ(SanitizeText("abcdef", 4), "abcd");
  EXPECT_EQ(SanitizeText("ab\xC3\xA9", 3), "ab");  // é is two bytes
  EXPECT_EQ(SanitizeText(std::string(10000, 'x')).size(), 256u);
}

}  // namespace
}  // namespace gallery::image::internal
