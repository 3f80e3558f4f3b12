#include "common/status.hpp"

#include <gtest/gtest.h>

#include <cerrno>

namespace gallery {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, FromErrnoMapsNotFound) {
  Status s = Status::FromErrno(ENOENT, "/x");
  EXPECT_EQ(s.code(), ErrorCode::kNotFound);
  EXPECT_NE(s.message().find("/x"), std::string::npos);
  EXPECT_EQ(Status::FromErrno(ENOSPC, "/y").code(), ErrorCode::kIoError);
}

TEST(StatusTest, WithContextKeepsCodeAndPublicDetail) {
  Status s(ErrorCode::kUnavailable, "inner", "public");
  Status w = s.WithContext("outer");
  EXPECT_EQ(w.code(), ErrorCode::kUnavailable);
  EXPECT_EQ(w.message(), "outer: inner");
  EXPECT_EQ(w.public_detail(), "public");
}

TEST(StatusTest, RetryAfterSurvivesContext) {
  Status s = Status(ErrorCode::kTooManyRequests, "locked").WithRetryAfter(std::chrono::seconds(42));
  EXPECT_EQ(s.retry_after().count(), 42);
  EXPECT_EQ(s.WithContext("sign-in").retry_after().count(), 42);
  EXPECT_EQ(Status::Internal("x").retry_after().count(), 0);
}

TEST(ResultTest, HoldsValueOrError) {
  Result<int> good = 7;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 7);
  Result<int> bad = Status::NotFound("nope");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.code(), ErrorCode::kNotFound);
  EXPECT_EQ(bad.status().message(), "nope");
}

TEST(ErrorCodeSlugTest, SlugsAreStable) {
  // Clients rely on these: they are part of the problem+json `type`.
  EXPECT_EQ(ErrorCodeSlug(ErrorCode::kUnsupportedMediaType), "unsupported-media-type");
  EXPECT_EQ(ErrorCodeSlug(ErrorCode::kNotFound), "not-found");
  EXPECT_EQ(ErrorCodeSlug(ErrorCode::kImageTooLarge), "image-too-large");
  EXPECT_EQ(ErrorCodeSlug(ErrorCode::kOverloaded), "overloaded");
  EXPECT_EQ(ErrorCodeSlug(ErrorCode::kLocked), "locked");
}

}  // namespace
}  // namespace gallery
