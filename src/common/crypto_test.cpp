#include "common/crypto.hpp"

#include <gtest/gtest.h>

#include <set>

namespace gallery {
namespace {

TEST(CryptoTest, Sha256KnownVector) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(CryptoTest, IncrementalMatchesOneShot) {
  Sha256 h;
  h.Update("a");
  h.Update("bc");
  EXPECT_EQ(h.Finish(), Sha256Of("abc"));
}

TEST(CryptoTest, HmacKnownVector) {
  // RFC 4231 test case 2.
  Sha256Digest d = HmacSha256("Jefe", "what do ya want for nothing?");
  EXPECT_EQ(HexEncode(std::string_view(reinterpret_cast<const char*>(d.data()), d.size())),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(CryptoTest, Base64RoundTrip) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xff\xfe\x00"}) {
    std::string back;
    ASSERT_TRUE(Base64UrlDecode(Base64UrlEncode(s), &back));
    EXPECT_EQ(back, s);
  }
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  std::string out;
  EXPECT_FALSE(Base64UrlDecode("a+b", &out));
}

TEST(CryptoTest, Sha1KnownVectorsInPieces) {
  auto hex = [](const Sha1Digest& d) {
    return HexEncode(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
  };
  Sha1 empty;
  EXPECT_EQ(hex(empty.Finish()), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  Sha1 abc;
  abc.Update("a");
  abc.Update("bc");
  EXPECT_EQ(hex(abc.Finish()), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

TEST(CryptoTest, Base64StandardDecodesPaddedAndUnpadded) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xff\xfe\x00\xfb"}) {
    const std::string encoded = Base64Encode(s);
    std::string back;
    ASSERT_TRUE(Base64Decode(encoded, &back)) << encoded;
    EXPECT_EQ(back, s);
    const std::string unpadded = encoded.substr(0, encoded.find('='));
    ASSERT_TRUE(Base64Decode(unpadded, &back)) << unpadded;
    EXPECT_EQ(back, s);
  }
  std::string out;
  EXPECT_TRUE(Base64Decode("aW1nLmpwZw==", &out));
  EXPECT_EQ(out, "img.jpg");
  for (std::string_view bad :
       {std::string_view("Zm9vY"), std::string_view("Zm9vYg="), std::string_view("Zm9vYg==="),
        std::string_view("Zm9v=Yg="), std::string_view("Zm9-"), std::string_view("Zm9_"),
        std::string_view("===="), std::string_view("Zm 9v"), std::string_view("Zm9vYmE=="),
        std::string_view("Zm\0v", 4)}) {
    EXPECT_FALSE(Base64Decode(bad, &out)) << bad;
  }
}

TEST(CryptoTest, IdsAreUrlSafeAndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = NewId();
    EXPECT_EQ(id.size(), 22u);
    EXPECT_EQ(
        id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos);
    EXPECT_TRUE(seen.insert(id).second);
  }
}

}  // namespace
}  // namespace gallery
