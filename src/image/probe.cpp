// ProbeHeader and CheckLimits: everything decided before any pixel is decoded.

#include "image/probe.hpp"

#include <algorithm>

#include "image/gif_layout.hpp"
#include "image/jpeg_scans.hpp"
#include "image/loader.hpp"
#include "image/vips_boundary.hpp"

namespace gallery::image {
namespace internal {
namespace {

bool IsAnimationFormat(Format format) { return format == Format::kGif || format == Format::kWebp; }

// libheif refuses images over its own size limit (16384x16384) while reading
// the header, before libvips can report a size. That refusal is a pixel limit,
// so it is reported as one. The text is libheif's; it is matched only for
// HEIF, whose header read is the only call that can produce it.
bool IsHeifSizeLimit(const std::string& message) {
  return message.find("Security limit exceeded") != std::string::npos;
}

}  // namespace

Result<ProbedImage> ProbeImage(std::string_view bytes) {
  GALLERY_RETURN_IF_ERROR(EnsureImageLibrary());
  const std::optional<Format> format = SniffFormat(bytes);
  if (!format) {
    return Status(ErrorCode::kUnsupportedMediaType, "not a recognised image format");
  }
  ProbedImage probed;
  ImageHeader& h = probed.header;
  h.format = *format;
  if (h.format == Format::kJpeg) {
    if (const int scans = CountJpegScans(bytes); scans > kMaxJpegScans) {
      return Status(ErrorCode::kUnprocessableImage,
                    "JPEG with " + std::to_string(scans) + " scans (at most " +
                        std::to_string(kMaxJpegScans) + " are decoded)");
    }
  }
  if (h.format == Format::kGif) {
    if (std::optional<GifLayout> layout = ScanGifLayout(bytes)) {
      h.declared_canvas_pixels = layout->canvas_pixels;
    }
  }
  try {
    probed.image = LoadFirstFrame(bytes, h.format, LoadOptions{});
  } catch (const vips::VError& e) {
    std::string message = DrainVipsError(e);
    const bool too_large =
        (h.format == Format::kHeic || h.format == Format::kAvif) && IsHeifSizeLimit(message);
    return Status(too_large ? ErrorCode::kImageTooLarge : ErrorCode::kUnprocessableImage,
                  "reading the image header: " + message);
  }
  VipsImage* raw = probed.image.get_image();
  h.stored_width = probed.image.width();
  h.stored_height = probed.image.height();
  if (h.stored_width <= 0 || h.stored_height <= 0) {
    return Status(ErrorCode::kUnprocessableImage, "the image header has no size");
  }
  h.frames = IsAnimationFormat(h.format) ? std::max(1, vips_image_get_n_pages(raw)) : 1;
  // libvips reads EXIF orientation into "orientation" and answers 1 for a
  // missing or out-of-range value. HEIF loaders apply the file's rotation
  // themselves and leave no orientation behind.
  h.orientation = std::clamp(vips_image_get_orientation(raw), 1, 8);
  const bool swaps = h.orientation >= 5;
  h.display_width = swaps ? h.stored_height : h.stored_width;
  h.display_height = swaps ? h.stored_width : h.stored_height;
  return probed;
}

}  // namespace internal

Result<ImageHeader> ProbeHeader(std::string_view bytes) {
  Result<internal::ProbedImage> probed = internal::ProbeImage(bytes);
  if (!probed.ok()) return probed.status();
  return probed->header;
}

Status CheckLimits(const ImageHeader& header, const Limits& limits) {
  const uint64_t stored =
      static_cast<uint64_t>(header.stored_width) * static_cast<uint64_t>(header.stored_height);
  const uint64_t per_frame = std::max(stored, header.declared_canvas_pixels);
  const uint64_t frames = static_cast<uint64_t>(std::max(1, header.frames));
  // per_frame < 2^32 * 2^16 and frames < 2^31: guard the product anyway.
  const bool overflow = per_frame != 0 && frames > UINT64_MAX / per_frame;
  if (overflow || per_frame * frames > limits.max_pixels) {
    return Status(ErrorCode::kImageTooLarge,
                  "image of " + std::to_string(header.stored_width) + "x" +
                      std::to_string(header.stored_height) + " x " + std::to_string(frames) +
                      " frames (declared canvas " + std::to_string(header.declared_canvas_pixels) +
                      " px) is over the limit of " + std::to_string(limits.max_pixels) + " pixels");
  }
  return Status::Ok();
}

}  // namespace gallery::image
