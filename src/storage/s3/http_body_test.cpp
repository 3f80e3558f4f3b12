#include "storage/s3/http_body.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "common/crypto.hpp"

namespace gallery::storage::s3 {
namespace {

std::string ReadAll(HttpBody& body, size_t piece) {
  std::string out;
  std::string buffer(piece, '\0');
  for (;;) {
    Result<size_t> n = body.Read(buffer.data(), buffer.size());
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    if (!n.ok() || *n == 0) return out;
    out.append(buffer.data(), *n);
  }
}

TEST(ConcatBodyTest, ReadsOneBodyAfterTheOtherAndRewinds) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("gallery-body-" + NewId());
  std::ofstream(path) << "0123456789";
  StringBody head("kept-");
  FileRangeBody tail(path, 3, 5);
  ASSERT_TRUE(tail.status().ok());
  ConcatBody body(head, tail);
  EXPECT_EQ(body.size(), 10u);
  EXPECT_EQ(ReadAll(body, 3), "kept-34567");
  ASSERT_TRUE(body.Rewind().ok());
  EXPECT_EQ(ReadAll(body, 64), "kept-34567");
  Result<std::string> hash = Sha256HexOfBody(body);
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(*hash, Sha256Hex("kept-34567"));
  EXPECT_EQ(ReadAll(body, 64), "kept-34567") << "hashing rewinds after itself";
  std::filesystem::remove(path);
}

TEST(ConcatBodyTest, AnEmptyFirstBodyIsSkipped) {
  StringBody empty("");
  StringBody rest("abc");
  ConcatBody body(empty, rest);
  EXPECT_EQ(ReadAll(body, 2), "abc");
}

}  // namespace
}  // namespace gallery::storage::s3
