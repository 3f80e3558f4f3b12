// EXIF extraction with libexif, on data from untrusted files: every entry is
// checked for format, count and size before it is read, and nothing here can
// fail an upload.

#include "image/exif.hpp"

#include <libexif/exif-data.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/time.hpp"
#include "image/text.hpp"

namespace gallery::image::internal {
namespace {

struct ExifDataDeleter {
  void operator()(ExifData* data) const { exif_data_unref(data); }
};
using ExifDataPtr = std::unique_ptr<ExifData, ExifDataDeleter>;

class ExifReader {
 public:
  explicit ExifReader(ExifData* data) : data_(data), order_(exif_data_get_byte_order(data)) {}

  bool empty() const {
    for (ExifContent* ifd : data_->ifd) {
      if (ifd != nullptr && ifd->count > 0) return false;
    }
    return true;
  }

  // ASCII text of `tag` in `ifd`, sanitised; nullopt when absent or empty.
  std::optional<std::string> Text(ExifIfd ifd, ExifTag tag, size_t max_bytes = 128) const {
    const ExifEntry* e = Find(ifd, tag);
    if (e == nullptr || e->data == nullptr ||
        (e->format != EXIF_FORMAT_ASCII && e->format != EXIF_FORMAT_UNDEFINED)) {
      return std::nullopt;
    }
    std::string_view raw(reinterpret_cast<const char*>(e->data), e->size);
    raw = raw.substr(0, raw.find('\0'));
    std::string text = SanitizeText(raw, max_bytes);
    if (text.empty()) return std::nullopt;
    return text;
  }

  // The `index`th unsigned rational of `tag`; nullopt when absent, of another
  // type, too short, or with a zero denominator.
  std::optional<ExifRational> Rational(ExifIfd ifd, ExifTag tag, unsigned index = 0) const {
    const ExifEntry* e = Find(ifd, tag);
    const size_t unit = exif_format_get_size(EXIF_FORMAT_RATIONAL);
    if (e == nullptr || e->data == nullptr || e->format != EXIF_FORMAT_RATIONAL ||
        e->components <= index || e->size < unit * (index + 1)) {
      return std::nullopt;
    }
    ExifRational r = exif_get_rational(e->data + unit * index, order_);
    if (r.denominator == 0) return std::nullopt;
    return r;
  }

  // The first SHORT or LONG value of `tag`.
  std::optional<uint32_t> Integer(ExifIfd ifd, ExifTag tag) const {
    const ExifEntry* e = Find(ifd, tag);
    if (e == nullptr || e->data == nullptr || e->components == 0) return std::nullopt;
    if (e->format == EXIF_FORMAT_SHORT && e->size >= 2) return exif_get_short(e->data, order_);
    if (e->format == EXIF_FORMAT_LONG && e->size >= 4) return exif_get_long(e->data, order_);
    return std::nullopt;
  }

 private:
  const ExifEntry* Find(ExifIfd ifd, ExifTag tag) const {
    ExifContent* content = data_->ifd[ifd];
    return content == nullptr ? nullptr : exif_content_get_entry(content, tag);
  }

  ExifData* data_;
  ExifByteOrder order_;
};

double ToDouble(ExifRational r) { return static_cast<double>(r.numerator) / r.denominator; }

double Round(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

// "1/250" for fractions of a second, "2" or "2.5" for longer exposures.
std::optional<std::string> ExposureTime(ExifRational r) {
  if (r.numerator == 0) return std::nullopt;
  if (r.numerator < r.denominator) {
    const double denominator = static_cast<double>(r.denominator) / r.numerator;
    return "1/" + std::to_string(std::llround(denominator));
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", Round(ToDouble(r), 1));
  return std::string(buf);
}

bool IsDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

// EXIF "YYYY:MM:DD HH:MM:SS" plus an optional "+HH:MM" offset (OffsetTime*);
// without an offset the time is taken as UTC.
std::optional<Clock::time_point> ParseExifDateTime(std::string_view dt,
                                                   std::optional<std::string_view> offset) {
  if (dt.size() < 19 || dt[4] != ':' || dt[7] != ':' || dt[10] != ' ' || dt[13] != ':' ||
      dt[16] != ':' || !IsDigits(dt.substr(0, 4)) || !IsDigits(dt.substr(5, 2)) ||
      !IsDigits(dt.substr(8, 2)) || !IsDigits(dt.substr(11, 2)) || !IsDigits(dt.substr(14, 2)) ||
      !IsDigits(dt.substr(17, 2)) || dt.substr(0, 4) == "0000") {
    return std::nullopt;
  }
  std::string rfc3339 = std::string(dt.substr(0, 4)) + "-" + std::string(dt.substr(5, 2)) + "-" +
                        std::string(dt.substr(8, 2)) + "T" + std::string(dt.substr(11, 8));
  const bool valid_offset =
      offset && offset->size() == 6 && ((*offset)[0] == '+' || (*offset)[0] == '-') &&
      IsDigits(offset->substr(1, 2)) && (*offset)[3] == ':' && IsDigits(offset->substr(4, 2));
  rfc3339 += valid_offset ? std::string(*offset) : "Z";
  return ParseRfc3339(rfc3339);
}

// Degrees, minutes, seconds and a hemisphere reference to signed degrees.
std::optional<double> GpsCoordinate(const ExifReader& exif, ExifTag value_tag, ExifTag ref_tag,
                                    char negative_ref, double max_abs) {
  std::optional<ExifRational> deg = exif.Rational(EXIF_IFD_GPS, value_tag, 0);
  std::optional<ExifRational> min = exif.Rational(EXIF_IFD_GPS, value_tag, 1);
  std::optional<ExifRational> sec = exif.Rational(EXIF_IFD_GPS, value_tag, 2);
  if (!deg || !min || !sec) return std::nullopt;
  double value = ToDouble(*deg) + ToDouble(*min) / 60.0 + ToDouble(*sec) / 3600.0;
  if (!std::isfinite(value) || value > max_abs) return std::nullopt;
  std::optional<std::string> ref = exif.Text(EXIF_IFD_GPS, ref_tag, 4);
  if (ref && !ref->empty() && ((*ref)[0] == negative_ref)) value = -value;
  return Round(value, 6);
}

}  // namespace

ExifSummary SummarizeExif(std::string_view exif_block, const ImageHeader& header) {
  ExifSummary summary;
  if (exif_block.empty()) return summary;
  ExifDataPtr data(exif_data_new());
  if (!data) return summary;
  // Read what is there, never "fix" it: libexif would otherwise add the
  // mandatory tags it finds missing, with made-up values (dates set to now).
  exif_data_unset_option(data.get(), EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
  exif_data_load_data(data.get(), reinterpret_cast<const unsigned char*>(exif_block.data()),
                      static_cast<unsigned int>(exif_block.size()));
  const ExifReader exif(data.get());
  if (exif.empty()) return summary;

  nlohmann::json j = nlohmann::json::object();
  if (auto v = exif.Text(EXIF_IFD_0, EXIF_TAG_MAKE)) j["camera_make"] = *v;
  if (auto v = exif.Text(EXIF_IFD_0, EXIF_TAG_MODEL)) j["camera_model"] = *v;
  if (auto v = exif.Text(EXIF_IFD_EXIF, EXIF_TAG_LENS_MODEL)) j["lens"] = *v;
  if (auto r = exif.Rational(EXIF_IFD_EXIF, EXIF_TAG_EXPOSURE_TIME)) {
    if (auto v = ExposureTime(*r)) j["exposure_time"] = *v;
  }
  if (auto r = exif.Rational(EXIF_IFD_EXIF, EXIF_TAG_FNUMBER); r && r->numerator > 0) {
    j["f_number"] = Round(ToDouble(*r), 1);
  }
  if (auto v = exif.Integer(EXIF_IFD_EXIF, EXIF_TAG_ISO_SPEED_RATINGS); v && *v > 0) {
    j["iso"] = *v;
  }
  if (auto r = exif.Rational(EXIF_IFD_EXIF, EXIF_TAG_FOCAL_LENGTH); r && r->numerator > 0) {
    j["focal_length"] = Round(ToDouble(*r), 1);
  }
  if (auto dt = exif.Text(EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL, 32)) {
    std::optional<std::string> offset = exif.Text(EXIF_IFD_EXIF, EXIF_TAG_OFFSET_TIME_ORIGINAL, 8);
    summary.taken_at =
        ParseExifDateTime(*dt, offset ? std::optional<std::string_view>(*offset) : std::nullopt);
    if (summary.taken_at) j["taken_at"] = FormatRfc3339(*summary.taken_at);
  }
  if (auto lat = GpsCoordinate(exif, static_cast<ExifTag>(EXIF_TAG_GPS_LATITUDE),
                               static_cast<ExifTag>(EXIF_TAG_GPS_LATITUDE_REF), 'S', 90.0)) {
    if (auto lon = GpsCoordinate(exif, static_cast<ExifTag>(EXIF_TAG_GPS_LONGITUDE),
                                 static_cast<ExifTag>(EXIF_TAG_GPS_LONGITUDE_REF), 'W', 180.0)) {
      j["gps_latitude"] = *lat;
      j["gps_longitude"] = *lon;
    }
  }
  j["orientation"] = header.orientation;
  j["width"] = header.display_width;
  j["height"] = header.display_height;
  summary.json = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return summary;
}

}  // namespace gallery::image::internal
