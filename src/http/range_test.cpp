#include "http/range.hpp"

#include <gtest/gtest.h>

namespace gallery::http {
namespace {

ByteSpan Span(std::string_view header, uint64_t size) {
  auto r = ParseRange(header, size);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r->has_value()) << header;
  return r->value_or(ByteSpan{});
}

TEST(RangeTest, ParsesTheThreeForms) {
  ByteSpan a = Span("bytes=10-19", 100);
  EXPECT_EQ(a.offset, 10u);
  EXPECT_EQ(a.length, 10u);
  ByteSpan b = Span("bytes=90-", 100);
  EXPECT_EQ(b.offset, 90u);
  EXPECT_EQ(b.length, 10u);
  ByteSpan c = Span("bytes=-5", 100);
  EXPECT_EQ(c.offset, 95u);
  EXPECT_EQ(c.length, 5u);
}

TEST(RangeTest, ClipsToTheEnd) {
  ByteSpan a = Span("bytes=50-1000", 100);
  EXPECT_EQ(a.length, 50u);
  ByteSpan b = Span("bytes=-1000", 100);
  EXPECT_EQ(b.offset, 0u);
  EXPECT_EQ(b.length, 100u);
}

TEST(RangeTest, PastTheEndIsUnsatisfiable) {
  EXPECT_EQ(ParseRange("bytes=100-", 100).code(), ErrorCode::kRangeNotSatisfiable);
  EXPECT_EQ(ParseRange("bytes=-0", 100).code(), ErrorCode::kRangeNotSatisfiable);
}

TEST(RangeTest, IgnoresWhatItDoesNotServe) {
  for (std::string_view h :
       {"", "items=1-2", "bytes=1-2,4-5", "bytes=abc", "bytes=5-1", "bytes=-"}) {
    auto r = ParseRange(h, 100);
    ASSERT_TRUE(r.ok()) << h;
    EXPECT_FALSE(r->has_value()) << h;
  }
}

}  // namespace
}  // namespace gallery::http
