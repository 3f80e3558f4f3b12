#include "image/loader.hpp"

#include "image/vips_boundary.hpp"

namespace gallery::image::internal {
namespace {

// How strict each decoder is about damaged data. JPEG and PNG stop on errors
// and truncation but tolerate warnings: libjpeg's "extraneous bytes before
// marker" and libpng's "known incorrect sRGB profile" are common in real
// cameras' and editors' files whose pixels are fine. libnsgif only warns about
// broken frame data, so GIF stops on warnings too. libtiff warns about
// unknown tags, libheif and libwebp fail hard on real damage.
VipsFailOn FailOnFor(Format format) {
  return format == Format::kGif ? VIPS_FAIL_ON_WARNING : VIPS_FAIL_ON_ERROR;
}

}  // namespace

vips::VImage LoadFirstFrame(std::string_view bytes, Format format, const LoadOptions& options) {
  BorrowedBlob blob(bytes);
  vips::VOption* o = vips::VImage::option()
                         ->set("access", VIPS_ACCESS_SEQUENTIAL)
                         ->set("fail_on", FailOnFor(format));
  switch (format) {
    case Format::kJpeg:
      if (options.shrink > 1) o->set("shrink", options.shrink);
      return vips::VImage::jpegload_buffer(blob.get(), o);
    case Format::kPng:
      return vips::VImage::pngload_buffer(blob.get(), o);
    case Format::kWebp:
      if (options.shrink > 1) o->set("scale", 1.0 / options.shrink);
      return vips::VImage::webpload_buffer(blob.get(), o);
    case Format::kGif:
      return vips::VImage::gifload_buffer(blob.get(), o);
    case Format::kHeic:
    case Format::kAvif:
      return vips::VImage::heifload_buffer(blob.get(), o);
    case Format::kTiff:
      return vips::VImage::tiffload_buffer(blob.get(), o);
  }
  delete o;
  throw vips::VError("no loader for this format");
}

int ShrinkOnLoadFactor(Format format, int longest_edge, int target_edge) {
  if (target_edge <= 0 || longest_edge <= target_edge) return 1;
  const int ratio = longest_edge / target_edge;  // floor: decoded edge stays >= target
  if (format == Format::kJpeg) {
    for (int shrink : {8, 4, 2}) {
      if (ratio >= shrink) return shrink;
    }
    return 1;
  }
  if (format == Format::kWebp) return ratio;
  return 1;
}

}  // namespace gallery::image::internal
