#include "http/multipart.hpp"

#include <gtest/gtest.h>

namespace gallery::http {
namespace {

std::string Body(const std::string& boundary,
                 const std::vector<std::pair<std::string, std::string>>& parts) {
  std::string body;
  for (const auto& [headers, data] : parts) {
    body += "--" + boundary + "\r\n" + headers + "\r\n\r\n" + data + "\r\n";
  }
  body += "--" + boundary + "--\r\n";
  return body;
}

TEST(MultipartBoundaryTest, ReadsQuotedAndPlainBoundaries) {
  EXPECT_EQ(*MultipartBoundary("multipart/form-data; boundary=abc123"), "abc123");
  EXPECT_EQ(*MultipartBoundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\""), "a b");
}

TEST(MultipartBoundaryTest, RefusesOtherTypesAndMissingBoundary) {
  EXPECT_EQ(MultipartBoundary("application/json").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(MultipartBoundary("multipart/form-data").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=").code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=" + std::string(71, 'x')).code(),
            ErrorCode::kInvalidArgument);
}

TEST(ParseMultipartTest, SplitsPartsWithBinaryData) {
  std::string binary("\x00\x01\r\n--not-the-boundary\r\n\xff", 24);
  std::string body =
      Body("XyZ", {{"Content-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n"
                    "Content-Type: image/jpeg",
                    binary},
                   {"Content-Disposition: form-data; name=\"note\"", "hello"}});
  auto parts = ParseMultipart(body, "XyZ");
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "file");
  EXPECT_EQ((*parts)[0].filename.value_or(""), "a.jpg");
  EXPECT_EQ((*parts)[0].content_type, "image/jpeg");
  EXPECT_EQ((*parts)[0].data, binary);
  EXPECT_EQ((*parts)[1].name, "note");
  EXPECT_FALSE((*parts)[1].filename.has_value());
  EXPECT_EQ((*parts)[1].data, "hello");
}

TEST(ParseMultipartTest, PrefersRfc5987FileName) {
  std::string body =
      Body("b", {{"Content-Disposition: form-data; name=\"file\"; filename=\"x.jpg\"; "
                  "filename*=UTF-8''caf%C3%A9.jpg",
                  "data"}});
  auto parts = ParseMultipart(body, "b");
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ((*parts)[0].filename.value_or(""), "caf\xC3\xA9.jpg");
}

TEST(ParseMultipartTest, IgnoresPreambleAndEmptyPart) {
  std::string body =
      "preamble text\r\n" + Body("b", {{"Content-Disposition: form-data; name=\"file\"", ""}});
  auto parts = ParseMultipart(body, "b");
  ASSERT_TRUE(parts.ok());
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_TRUE((*parts)[0].data.empty());
}

TEST(ParseMultipartTest, RefusesBrokenBodies) {
  const std::string ok = Body("b", {{"Content-Disposition: form-data; name=\"file\"", "data"}});
  // No boundary anywhere.
  EXPECT_EQ(ParseMultipart("just some bytes", "b").code(), ErrorCode::kInvalidArgument);
  // Wrong boundary.
  EXPECT_EQ(ParseMultipart(ok, "other").code(), ErrorCode::kInvalidArgument);
  // Closing delimiter missing.
  EXPECT_EQ(ParseMultipart(ok.substr(0, ok.size() - 10), "b").code(), ErrorCode::kInvalidArgument);
  // Headers never end.
  EXPECT_EQ(ParseMultipart("--b\r\nContent-Disposition: form-data; name=\"f\"\r\n", "b").code(),
            ErrorCode::kInvalidArgument);
  // A part without Content-Disposition.
  EXPECT_EQ(ParseMultipart(Body("b", {{"Content-Type: text/plain", "x"}}), "b").code(),
            ErrorCode::kInvalidArgument);
  // A header line without a colon.
  EXPECT_EQ(ParseMultipart(Body("b", {{"garbage", "x"}}), "b").code(), ErrorCode::kInvalidArgument);
}

TEST(ParseMultipartTest, BoundsThePartCount) {
  std::vector<std::pair<std::string, std::string>> many(
      5, {"Content-Disposition: form-data; name=\"f\"", "x"});
  EXPECT_TRUE(ParseMultipart(Body("b", many), "b", 5).ok());
  EXPECT_EQ(ParseMultipart(Body("b", many), "b", 4).code(), ErrorCode::kInvalidArgument);
}

TEST(ParseMultipartTest, ErrorsCarryAPublicDetail) {
  auto r = ParseMultipart("nothing", "b");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().public_detail().find("Malformed multipart"), std::string::npos);
}

}  // namespace
}  // namespace gallery::http
