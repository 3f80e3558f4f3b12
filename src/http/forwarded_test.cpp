#include "http/forwarded.hpp"

#include <gtest/gtest.h>

namespace gallery::http {
namespace {

TEST(ForwardedHttpsTest, ReadsTheFirstProto) {
  Fields f;
  EXPECT_FALSE(ForwardedHttps(f));
  f.set("X-Forwarded-Proto", "https");
  EXPECT_TRUE(ForwardedHttps(f));
  f.set("X-Forwarded-Proto", "HTTPS, http");
  EXPECT_TRUE(ForwardedHttps(f));
  f.set("X-Forwarded-Proto", "http");
  EXPECT_FALSE(ForwardedHttps(f));
  f.set("X-Forwarded-Proto", "httpsx");
  EXPECT_FALSE(ForwardedHttps(f));
}

TEST(ClientAddressTest, PeerUnlessProxiesAreTrusted) {
  Fields f;
  f.set("X-Forwarded-For", "203.0.113.7");
  EXPECT_EQ(ClientAddress("10.0.0.5", f, 0), "10.0.0.5");
  EXPECT_EQ(ClientAddress("10.0.0.5", f, 1), "203.0.113.7");
  Fields none;
  EXPECT_EQ(ClientAddress("10.0.0.5", none, 1), "10.0.0.5");
}

TEST(ClientAddressTest, TakesTheEntryTheTrustedProxyWrote) {
  Fields f;
  // The client wrote the first entry itself; the load balancer appended the last.
  f.set("X-Forwarded-For", "1.1.1.1, 198.51.100.4");
  EXPECT_EQ(ClientAddress("10.0.0.5", f, 1), "198.51.100.4");
  EXPECT_EQ(ClientAddress("10.0.0.5", f, 2), "1.1.1.1");
  EXPECT_EQ(ClientAddress("10.0.0.5", f, 3), "1.1.1.1");
  Fields two;
  two.insert("X-Forwarded-For", "192.0.2.1");
  two.insert("X-Forwarded-For", "2001:db8::1 , 198.51.100.9");
  EXPECT_EQ(ClientAddress("10.0.0.5", two, 2), "2001:db8::1");
}

TEST(ClientAddressTest, GarbageFallsBackToThePeer) {
  Fields f;
  f.set("X-Forwarded-For", "1.1.1.1, not-an-address");
  EXPECT_EQ(ClientAddress("10.0.0.5", f, 1), "10.0.0.5");
  f.set("X-Forwarded-For", "");
  EXPECT_EQ(ClientAddress("10.0.0.5", f, 1), "10.0.0.5");
}

}  // namespace
}  // namespace gallery::http
