#include "common/time.hpp"

#include <gtest/gtest.h>

namespace gallery {
namespace {

TEST(TimeTest, FormatsUtc) {
  EXPECT_EQ(FormatRfc3339(FromUnixMillis(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(FromUnixMillis(1714557600123), true), "2024-05-01T10:00:00.123Z");
}

TEST(TimeTest, FormatsHttpDates) {
  // RFC 9110's own example.
  EXPECT_EQ(FormatHttpDate(FromUnixMillis(784111777'999)), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(FormatHttpDate(FromUnixMillis(0)), "Thu, 01 Jan 1970 00:00:00 GMT");
}

TEST(TimeTest, ParsesOffsetsAndFractions) {
  auto t = ParseRfc3339("2024-05-01T12:00:00+02:00");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(FormatRfc3339(*t), "2024-05-01T10:00:00Z");
  auto f = ParseRfc3339("2024-05-01T10:00:00.5Z");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(ToUnixMillis(*f) % 1000, 500);
}

TEST(TimeTest, RejectsGarbage) {
  EXPECT_FALSE(ParseRfc3339("").has_value());
  EXPECT_FALSE(ParseRfc3339("2024-13-01T00:00:00Z").has_value());
  EXPECT_FALSE(ParseRfc3339("2024-02-30T00:00:00Z").has_value());
  EXPECT_FALSE(ParseRfc3339("2024-05-01T10:00:00").has_value());
  EXPECT_FALSE(ParseRfc3339("2024-05-01T10:00:00Zjunk").has_value());
}

}  // namespace
}  // namespace gallery
