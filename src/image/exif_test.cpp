#include "image/exif.hpp"

#include <gtest/gtest.h>
#include <libexif/exif-data.h>

#include <cstdlib>
#include <cstring>
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

// ----- synthetic EXIF blocks, built with libexif --------------------------

namespace gallery::image {
namespace {

class ExifBuilder {
 public:
  ExifBuilder() : data_(exif_data_new()) {
    exif_data_set_byte_order(data_, EXIF_BYTE_ORDER_MOTOROLA);
    exif_data_unset_option(data_, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
  }
  ~ExifBuilder() { exif_data_unref(data_); }

  void Ascii(ExifIfd ifd, int tag, std::string_view text) {
    ExifEntry* e = Add(ifd, tag, EXIF_FORMAT_ASCII, static_cast<unsigned>(text.size() + 1));
    std::memcpy(e->data, text.data(), text.size());
  }
  void Rationals(ExifIfd ifd, int tag, std::vector<ExifRational> values) {
    ExifEntry* e = Add(ifd, tag, EXIF_FORMAT_RATIONAL, static_cast<unsigned>(values.size()));
    for (size_t i = 0; i < values.size(); ++i) {
      exif_set_rational(e->data + 8 * i, EXIF_BYTE_ORDER_MOTOROLA, values[i]);
    }
  }
  void Short(ExifIfd ifd, int tag, uint16_t value) {
    ExifEntry* e = Add(ifd, tag, EXIF_FORMAT_SHORT, 1);
    exif_set_short(e->data, EXIF_BYTE_ORDER_MOTOROLA, value);
  }

  // "Exif\0\0" + TIFF, as libvips hands it over.
  std::string Block() const {
    unsigned char* buf = nullptr;
    unsigned int size = 0;
    exif_data_save_data(data_, &buf, &size);
    std::string block(reinterpret_cast<char*>(buf), size);
    free(buf);
    return block;
  }

 private:
  ExifEntry* Add(ExifIfd ifd, int tag, ExifFormat format, unsigned components) {
    ExifEntry* e = exif_entry_new();
    e->tag = static_cast<ExifTag>(tag);
    e->format = format;
    e->components = components;
    e->size = exif_format_get_size(format) * components;
    e->data = static_cast<unsigned char*>(calloc(1, e->size));
    exif_content_add_entry(data_->ifd[ifd], e);
    exif_entry_unref(e);  // the content holds it
    return e;
  }

  ExifData* data_;
};

ImageHeader Header() {
  ImageHeader h;
  h.orientation = 1;
  h.display_width = 4000;
  h.display_height = 3000;
  return h;
}

TEST(SummarizeExifTest, TakenAtUsesTheOffsetWhenPresent) {
  ExifBuilder b;
  b.Ascii(EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL, "2024:05:01 12:00:00");
  b.Ascii(EXIF_IFD_EXIF, EXIF_TAG_OFFSET_TIME_ORIGINAL, "+02:00");
  ExifSummary s = internal::SummarizeExif(b.Block(), Header());
  ASSERT_TRUE(s.taken_at.has_value());
  EXPECT_EQ(FormatRfc3339(*s.taken_at), "2024-05-01T10:00:00Z");
  EXPECT_EQ(nlohmann::json::parse(s.json)["taken_at"], "2024-05-01T10:00:00Z");

  ExifBuilder west;
  west.Ascii(EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL, "2024:12:31 23:30:00");
  west.Ascii(EXIF_IFD_EXIF, EXIF_TAG_OFFSET_TIME_ORIGINAL, "-05:00");
  EXPECT_EQ(nlohmann::json::parse(internal::SummarizeExif(west.Block(), Header()).json)["taken_at"],
            "2025-01-01T04:30:00Z");
}

TEST(SummarizeExifTest, InvalidDatesAreLeftOut) {
  for (std::string_view bad : {"0000:00:00 00:00:00", "2024:13:45 99:00:00", "yesterday",
                               "2024-05-01T10:00:00Z", "2024:05:01"}) {
    ExifBuilder b;
    b.Ascii(EXIF_IFD_0, EXIF_TAG_MAKE, "Canon");
    b.Ascii(EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL, bad);
    ExifSummary s = internal::SummarizeExif(b.Block(), Header());
    EXPECT_FALSE(s.taken_at.has_value()) << bad;
    EXPECT_FALSE(nlohmann::json::parse(s.json).contains("taken_at")) << bad;
  }
  // A broken offset: the local time is taken as UTC.
  ExifBuilder b;
  b.Ascii(EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL, "2024:05:01 12:00:00");
  b.Ascii(EXIF_IFD_EXIF, EXIF_TAG_OFFSET_TIME_ORIGINAL, "+2h");
  EXPECT_EQ(nlohmann::json::parse(internal::SummarizeExif(b.Block(), Header()).json)["taken_at"],
            "2024-05-01T12:00:00Z");
}

TEST(SummarizeExifTest, SouthernAndWesternHemispheresAreNegative) {
  ExifBuilder b;
  b.Ascii(EXIF_IFD_GPS, EXIF_TAG_GPS_LATITUDE_REF, "S");
  b.Rationals(EXIF_IFD_GPS, EXIF_TAG_GPS_LATITUDE, {{33, 1}, {51, 1}, {54, 1}});
  b.Ascii(EXIF_IFD_GPS, EXIF_TAG_GPS_LONGITUDE_REF, "W");
  b.Rationals(EXIF_IFD_GPS, EXIF_TAG_GPS_LONGITUDE, {{70, 1}, {39, 1}, {3600, 100}});
  nlohmann::json j = nlohmann::json::parse(internal::SummarizeExif(b.Block(), Header()).json);
  EXPECT_NEAR(j["gps_latitude"].get<double>(), -33.865, 1e-6);
  EXPECT_NEAR(j["gps_longitude"].get<double>(), -70.66, 1e-6);
}

TEST(SummarizeExifTest, ImpossibleGpsIsLeftOut) {
  ExifBuilder b;
  b.Ascii(EXIF_IFD_GPS, EXIF_TAG_GPS_LATITUDE_REF, "N");
  b.Rationals(EXIF_IFD_GPS, EXIF_TAG_GPS_LATITUDE, {{95, 1}, {0, 1}, {0, 1}});   // > 90
  b.Rationals(EXIF_IFD_GPS, EXIF_TAG_GPS_LONGITUDE, {{10, 0}, {0, 1}, {0, 1}});  // 10/0
  nlohmann::json j = nlohmann::json::parse(internal::SummarizeExif(b.Block(), Header()).json);
  EXPECT_FALSE(j.contains("gps_latitude"));
  EXPECT_FALSE(j.contains("gps_longitude"));
}

TEST(SummarizeExifTest, ExposureFNumberFocalLengthIso) {
  ExifBuilder b;
  b.Rationals(EXIF_IFD_EXIF, EXIF_TAG_EXPOSURE_TIME, {{10, 4}});
  b.Rationals(EXIF_IFD_EXIF, EXIF_TAG_FNUMBER, {{28, 10}});
  b.Rationals(EXIF_IFD_EXIF, EXIF_TAG_FOCAL_LENGTH, {{1234, 100}});
  b.Short(EXIF_IFD_EXIF, EXIF_TAG_ISO_SPEED_RATINGS, 800);
  b.Ascii(EXIF_IFD_EXIF, EXIF_TAG_LENS_MODEL, "EF 24-70mm f/2.8L");
  nlohmann::json j = nlohmann::json::parse(internal::SummarizeExif(b.Block(), Header()).json);
  EXPECT_EQ(j["exposure_time"], "2.5");
  EXPECT_DOUBLE_EQ(j["f_number"].get<double>(), 2.8);
  EXPECT_DOUBLE_EQ(j["focal_length"].get<double>(), 12.3);
  EXPECT_EQ(j["iso"], 800);
  EXPECT_EQ(j["lens"], "EF 24-70mm f/2.8L");
  EXPECT_EQ(j["width"], 4000);
  EXPECT_EQ(j["height"], 3000);

  ExifBuilder fast;
  fast.Rationals(EXIF_IFD_EXIF, EXIF_TAG_EXPOSURE_TIME, {{1, 8000}});
  fast.Rationals(EXIF_IFD_EXIF, EXIF_TAG_FNUMBER, {{28, 0}});  // zero denominator
  nlohmann::json k = nlohmann::json::parse(internal::SummarizeExif(fast.Block(), Header()).json);
  EXPECT_EQ(k["exposure_time"], "1/8000");
  EXPECT_FALSE(k.contains("f_number"));
}

TEST(SummarizeExifTest, TextIsSanitisedAndWrongTypesIgnored) {
  ExifBuilder b;
  b.Ascii(EXIF_IFD_0, EXIF_TAG_MAKE, "Ca\x01non\x1B[2J \xE9quipe");  // control bytes, Latin-1
  b.Short(EXIF_IFD_0, EXIF_TAG_MODEL, 42);                           // a number where text belongs
  b.Ascii(EXIF_IFD_EXIF, EXIF_TAG_LENS_MODEL, "<script>alert(1)</script>");
  const ExifSummary s = internal::SummarizeExif(b.Block(), Header());
  nlohmann::json j = nlohmann::json::parse(s.json);
  EXPECT_EQ(j["camera_make"], "Canon[2J \xC3\xA9quipe");
  EXPECT_FALSE(j.contains("camera_model"));
  // Kept as inert text: JSON-escaped by the serialiser, never interpreted.
  EXPECT_EQ(j["lens"], "<script>alert(1)</script>");
}

}  // namespace
}  // namespace gallery::image
