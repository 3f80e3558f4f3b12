#include "storage/blob_store.hpp"

#include <gtest/gtest.h>

namespace gallery::storage {
namespace {

TEST(ValidateBlobKeyTest, AcceptsServiceKeys) {
  for (const std::string& key : std::vector<std::string>{
           "photos/abc/original", "photos/AbC-_9/small.webp", "a", ".hidden", "a/.b", "a..b", "...",
           "-", "x/y/z/w", std::string(kMaxBlobKeySegmentLength, 's'),
           std::string(kMaxBlobKeySegmentLength, 's') + "/" + std::string(10, 't')}) {
    EXPECT_TRUE(ValidateBlobKey(key).ok()) << key << ": " << ValidateBlobKey(key).ToString();
  }
  std::string longest;
  while (longest.size() + 101 <= kMaxBlobKeyLength) longest += std::string(100, 'k') + "/";
  longest += std::string(kMaxBlobKeyLength - longest.size(), 'k');
  ASSERT_EQ(longest.size(), kMaxBlobKeyLength);
  EXPECT_TRUE(ValidateBlobKey(longest).ok());
}

TEST(ValidateBlobKeyTest, RefusesEverythingElseWithAReason) {
  struct Case {
    std::string key;
    std::string reason;
  };
  for (const Case& c : std::vector<Case>{
           {"", "empty"},
           {"/abs", "leading"},
           {"a/", "trailing"},
           {"a//b", "empty segment"},
           {"a/./b", "segment"},
           {"../x", "segment"},
           {"a/..", "segment"},
           {".", "segment"},
           {"a\\b", "character"},
           {"a b", "character"},
           {std::string("a\0b", 3), "character"},
           {"\xc3\xa9", "character"},
           {"a~b", "character"},
           {std::string(kMaxBlobKeyLength + 1, 'a'), "too long"},
           {"a/" + std::string(kMaxBlobKeySegmentLength + 1, 'b'), "segment too long"},
       }) {
    Status status = ValidateBlobKey(c.key);
    EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument) << c.key;
    EXPECT_NE(status.message().find(c.reason), std::string::npos) << status.message();
  }
}

TEST(ValidateBlobKeyTest, MessagesShowABoundedPrintableKey) {
  Status status = ValidateBlobKey(std::string(5000, '\n'));
  EXPECT_LT(status.message().size(), 200u);
  EXPECT_EQ(status.message().find('\n'), std::string::npos);
}

}  // namespace
}  // namespace gallery::storage
