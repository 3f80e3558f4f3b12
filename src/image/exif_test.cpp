#include "image/exif.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/time.hpp"
#include "image/pipeline.hpp"
#include "image/test_support.hpp"

namespace gallery::image {
namespace {

using testing::ReadTestFile;
using testing::TestFilesUnder;

nlohmann::json ExifOf(const std::filesystem::path& file, ExifSummary* summary = nullptr) {
  Result<ProcessedImage> processed = ProcessUpload(ReadTestFile(file), {}, Limits{});
  EXPECT_TRUE(processed.ok()) << file << ": " << processed.status().ToString();
  if (!processed.ok()) return nlohmann::json();
  if (summary != nullptr) *summary = processed->exif;
  // Throws (failing the test) unless it is valid JSON; must be an object.
  nlohmann::json j = nlohmann::json::parse(processed->exif.json);
  EXPECT_TRUE(j.is_object()) << file;
  return j;
}

TEST(ExifTest, CameraMakeAndModelFromEveryCamera) {
  int cameras = 0;
  for (const auto& file : TestFilesUnder("camera-exif")) {
    const std::string name = file.filename().string();
    if (name == "imagers_exif-xmp-metadata.jpg" || name == "long_description.jpg") continue;
    SCOPED_TRACE(file.string());
    nlohmann::json j = ExifOf(file);
    ASSERT_TRUE(j.contains("camera_make"));
    ASSERT_TRUE(j.contains("camera_model"));
    EXPECT_FALSE(j["camera_make"].get<std::string>().empty());
    EXPECT_FALSE(j["camera_model"].get<std::string>().empty());
    EXPECT_TRUE(j.contains("taken_at"));
    ++cameras;
  }
  EXPECT_GE(cameras, 15);
}

TEST(ExifTest, FieldsOfOneCamera) {
  ExifSummary summary;
  nlohmann::json j = ExifOf("camera-exif/gps/DSCN0010.jpg", &summary);
  EXPECT_EQ(j["camera_make"], "NIKON");
  EXPECT_EQ(j["camera_model"], "COOLPIX P6000");
  EXPECT_EQ(j["exposure_time"], "1/75");  // stored as 4/300
  EXPECT_DOUBLE_EQ(j["f_number"].get<double>(), 5.9);
  EXPECT_EQ(j["iso"], 64);
  EXPECT_DOUBLE_EQ(j["focal_length"].get<double>(), 24.0);
  // No OffsetTimeOriginal: the local time is taken as UTC.
  EXPECT_EQ(j["taken_at"], "2008-10-22T16:28:39Z");
  ASSERT_TRUE(summary.taken_at.has_value());
  EXPECT_EQ(FormatRfc3339(*summary.taken_at), "2008-10-22T16:28:39Z");
  EXPECT_EQ(j["orientation"], 1);
  EXPECT_EQ(j["width"], 640);
  EXPECT_EQ(j["height"], 480);
}

TEST(ExifTest, GpsAsSignedDecimalDegrees) {
  nlohmann::json j = ExifOf("camera-exif/gps/DSCN0010.jpg");
  // 43 deg 28' 2.814" N, 11 deg 53' 6.456" E
  EXPECT_NEAR(j["gps_latitude"].get<double>(), 43.467448, 1e-6);
  EXPECT_NEAR(j["gps_longitude"].get<double>(), 11.885127, 1e-6);

  nlohmann::json other = ExifOf("camera-exif/gps/DSCN0021.jpg");
  EXPECT_TRUE(other.contains("gps_latitude"));
  EXPECT_TRUE(other.contains("gps_longitude"));
}

TEST(ExifTest, DisplaySizeFollowsOrientation) {
  nlohmann::json j = ExifOf("exif-orientation/Landscape_6.jpg");
  if (!j.empty()) {  // the orientation set has EXIF
    EXPECT_EQ(j["orientation"], 6);
    EXPECT_EQ(j["width"], 1800);
    EXPECT_EQ(j["height"], 1200);
  }
}

TEST(ExifTest, NoExifIsAnEmptyObject) {
  ExifSummary summary;
  nlohmann::json j = ExifOf("formats/png/libvips_rgba.png", &summary);
  EXPECT_EQ(summary.json, "{}");
  EXPECT_FALSE(summary.taken_at.has_value());
}

TEST(ExifTest, BrokenExifNeverFailsAndStaysValidJson) {
  const auto files = TestFilesUnder("malformed/exif");
  ASSERT_GE(files.size(), 8u);
  for (const auto& file : files) {
    SCOPED_TRACE(file.string());
    nlohmann::json j = ExifOf(file);
    for (const auto& [key, value] : j.items()) {
      if (!value.is_string()) continue;
      for (unsigned char c : value.get<std::string>()) EXPECT_GE(c, 0x20) << key;
    }
  }
}

TEST(ExifTest, SummarizeNeverThrowsOnGarbage) {
  ImageHeader header;
  header.display_width = 1;
  header.display_height = 1;
  for (std::string_view garbage : {std::string_view(""), std::string_view("Exif\0\0", 6),
                                   std::string_view("Exif\0\0MM\0\x2A\xFF\xFF\xFF\xFF", 14),
                                   std::string_view("Exif\0\0II\x2A\0\x08\0\0\0\xFF\xFF", 16)}) {
    ExifSummary s = internal::SummarizeExif(garbage, header);
    EXPECT_TRUE(nlohmann::json::parse(s.json).is_object());
  }
}

}  // namespace
}  // namespace gallery::image
