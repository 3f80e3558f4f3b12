#include "common/password.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

namespace gallery {
namespace {

TEST(PasswordTest, HashIsArgon2idAndVerifies) {
  Result<std::string> hash = HashPassword("correct horse battery staple");
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_NE(hash->find("m=65536,t=2,p=1"), std::string::npos) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse battery stapl"));
  EXPECT_FALSE(VerifyPassword(*hash, "Correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
  EXPECT_FALSE(NeedsRehash(*hash));
}

TEST(PasswordTest, SaltMakesEveryHashDifferent) {
  Result<std::string> a = HashPassword("same");
  Result<std::string> b = HashPassword("same");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword(*a, "same"));
  EXPECT_TRUE(VerifyPassword(*b, "same"));
}

TEST(PasswordTest, BinaryAndLongPasswordsWork) {
  const std::string binary("a\0b\xff\x01", 5);
  Result<std::string> hash = HashPassword(binary);
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(VerifyPassword(*hash, binary));
  EXPECT_FALSE(VerifyPassword(*hash, std::string("a\0b\xff", 4)));
  EXPECT_FALSE(VerifyPassword(*hash, "a"));

  const std::string long_password(10000, 'x');
  Result<std::string> long_hash = HashPassword(long_password);
  ASSERT_TRUE(long_hash.ok());
  EXPECT_TRUE(VerifyPassword(*long_hash, long_password));
  EXPECT_FALSE(VerifyPassword(*long_hash, long_password + "x"));
}

TEST(PasswordTest, MalformedHashesNeverVerifyAndNeedRehash) {
  for (const std::string& bad : {std::string(), std::string("plain"), std::string("$argon2id$"),
                                 std::string("$argon2id$v=19$m=65536,t=2,p=1$AAAA$BBBB"),
                                 std::string("x\0y", 3), std::string(1000, '$')}) {
    EXPECT_FALSE(VerifyPassword(bad, "plain")) << bad;
    EXPECT_FALSE(VerifyPassword(bad, "")) << bad;
    EXPECT_TRUE(NeedsRehash(bad)) << bad;
  }
}

TEST(PasswordTest, OldParametersVerifyButNeedRehash) {
  ASSERT_GE(sodium_init(), 0);
  char weak[crypto_pwhash_STRBYTES];
  ASSERT_EQ(crypto_pwhash_str_alg(weak, "pw", 2, crypto_pwhash_OPSLIMIT_MIN,
                                  crypto_pwhash_MEMLIMIT_MIN, crypto_pwhash_ALG_ARGON2ID13),
            0);
  EXPECT_TRUE(VerifyPassword(weak, "pw"));
  EXPECT_FALSE(VerifyPassword(weak, "pW"));
  EXPECT_TRUE(NeedsRehash(weak));
}

TEST(PasswordTest, ConcurrentHashingFromManyThreads) {
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([i, &ok] {
      const std::string password = "password-" + std::to_string(i);
      Result<std::string> hash = HashPassword(password);
      ok[i] = hash.ok() && VerifyPassword(*hash, password) && !VerifyPassword(*hash, "other");
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(ok[i]) << i;
}

TEST(PasswordTest, SecretTokensAre256RandomBitsInBase64Url) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string token = NewSecretToken();
    EXPECT_EQ(token.size(), 43u);
    EXPECT_EQ(
        token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos)
        << token;
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(PasswordTest, HashTokenIsSha256Hex) {
  EXPECT_EQ(HashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::string token = NewSecretToken();
  EXPECT_EQ(HashToken(token), HashToken(token));
  EXPECT_NE(HashToken(token), HashToken(NewSecretToken()));
  EXPECT_EQ(HashToken(token).size(), 64u);
}

}  // namespace
}  // namespace gallery
