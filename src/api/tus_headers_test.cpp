#include "api/tus_headers.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/crypto.hpp"

namespace gallery::api {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(TusHeadersTest, IntegersAreDigitsOnly) {
  EXPECT_EQ(*ParseTusInteger("Upload-Length", "0"), 0u);
  EXPECT_EQ(*ParseTusInteger("Upload-Length", "9223372036854775807"), 9223372036854775807u);
  for (std::string_view bad : {"", "-1", "+1", " 1", "1 ", "0x10", "1.5", "9223372036854775808",
                               "99999999999999999999999"}) {
    Result<uint64_t> n = ParseTusInteger("Upload-Offset", bad);
    EXPECT_EQ(n.code(), ErrorCode::kInvalidArgument) << bad;
    if (!n.ok()) {
      EXPECT_NE(n.status().public_detail().find("Upload-Offset"), std::string::npos);
    }
  }
}

TEST(TusHeadersTest, MetadataAsTusJsClientSendsIt) {
  // tus-js-client: "key base64" pairs joined by ",".
  auto parsed = ParseUploadMetadata("filename " + Base64Encode("IMG 1.jpg") + ",filetype " +
                                    Base64Encode("image/jpeg") + ",is_confidential");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_THAT(*parsed, ElementsAre(Pair("filename", "IMG 1.jpg"), Pair("filetype", "image/jpeg"),
                                   Pair("is_confidential", "")));
  EXPECT_TRUE(ParseUploadMetadata("")->empty());
  EXPECT_EQ(ParseUploadMetadata(" name  " + Base64Encode("é.png") + " , x ")->at("name"), "é.png");
}

TEST(TusHeadersTest, BadMetadataIsRefused) {
  for (std::string_view bad :
       {"filename aGk=,filename aGk=", "filename a b", ",x", "filename %%", "k\x01y aGk="}) {
    EXPECT_EQ(ParseUploadMetadata(bad).code(), ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(TusHeadersTest, MetadataRoundTrips) {
  EXPECT_EQ(FormatUploadMetadata(""), "");
  EXPECT_EQ(ParseUploadMetadata(FormatUploadMetadata("Ünïcødé, with comma.jpg"))->at("filename"),
            "Ünïcødé, with comma.jpg");
}

TEST(TusHeadersTest, Checksums) {
  Result<service::ChunkChecksum> sha1 = ParseUploadChecksum("sha1 Kq5sNclPz7QV2+lfQIuc6R7oRu0=");
  ASSERT_TRUE(sha1.ok()) << sha1.status().ToString();
  EXPECT_EQ(sha1->algorithm, service::ChecksumAlgorithm::kSha1);
  EXPECT_EQ(sha1->digest.size(), 20u);
  EXPECT_EQ(ParseUploadChecksum("sha256 " + Base64Encode(std::string(32, 'x')))->algorithm,
            service::ChecksumAlgorithm::kSha256);
  for (std::string_view bad : {"md5 1B2M2Y8AsgTpgAmY7PhCfg==", "sha1", "sha1 !!!", "sha1 ", ""}) {
    EXPECT_EQ(ParseUploadChecksum(bad).code(), ErrorCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace gallery::api
