#include "common/markup_escape.hpp"

#include <gtest/gtest.h>

namespace gallery {
namespace {

TEST(EscapeMarkupTest, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(EscapeMarkup("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  EXPECT_EQ(EscapeMarkup("plain caf\xC3\xA9"), "plain caf\xC3\xA9");
}

}  // namespace
}  // namespace gallery
