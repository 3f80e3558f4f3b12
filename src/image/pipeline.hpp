#pragma once

// The image pipeline: header probe and limits (before any decoding), then
// decode with shrink-on-load, auto-orient, resize, strip metadata, encode.
// libvips exceptions never leave image/: every failure is a Status
// (kUnprocessableImage for images libvips cannot read, kImageTooLarge for
// limits).
//
// Thread safety: all functions are safe to call concurrently; each call uses
// libvips with concurrency 1 (one image per core). Callers run them on the
// ImagePool, never on network threads.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"
#include "image/format.hpp"

namespace gallery::image {

// Starts libvips once per process (concurrency 1 per operation, a bounded
// operation cache). Safe to call more than once. Returns an error if libvips
// cannot start.
Status InitImageLibrary(const char* argv0);

struct Limits {
  uint64_t max_pixels = 100'000'000;  // width * height * frames
};

struct ImageHeader {
  Format format = Format::kJpeg;
  int stored_width = 0;  // as stored in the file
  int stored_height = 0;
  int frames = 1;         // pages of an animation, 1 for a still
  int orientation = 1;    // EXIF orientation 1..8 (invalid values read as 1)
  int display_width = 0;  // after orientation (5..8 swap width and height)
  int display_height = 0;
  // The canvas the file declares beyond its stored size, when the format has
  // such a notion: for GIF, the area that holds every frame at its declared
  // position (frames may claim extents far outside the logical screen). 0
  // when not applicable. Counted by CheckLimits like the stored size.
  uint64_t declared_canvas_pixels = 0;
};

// Reads only the header of `bytes` (no pixel decoding), with the loader of
// the sniffed format and no other. kUnsupportedMediaType when the bytes are
// not an accepted format; kUnprocessableImage when the header is unreadable;
// kImageTooLarge when a HEIC/AVIF header is over libheif's own size limit
// (16384 x 16384), which refuses before reporting a size.
Result<ImageHeader> ProbeHeader(std::string_view bytes);

// kImageTooLarge when max(stored_width * stored_height, declared_canvas_pixels)
// * frames > max_pixels.
Status CheckLimits(const ImageHeader& header, const Limits& limits);

enum class OutputFormat { kJpeg, kWebp, kAvif };
std::string_view OutputMimeType(OutputFormat format);
std::string_view OutputExtension(OutputFormat format);  // "jpg", "webp", "avif"

struct DerivativeSpec {
  std::string name;    // "thumb", "preview"
  int max_edge = 512;  // the longest edge is at most this; never upscaled
  OutputFormat format = OutputFormat::kJpeg;
  int quality = 80;
};

struct Derivative {
  std::string name;
  OutputFormat format = OutputFormat::kJpeg;
  std::string bytes;  // encoded, upright, with no EXIF/XMP/IPTC/ICC-name/GPS metadata
  int width = 0;
  int height = 0;
};

// EXIF extracted from the original, as inert data.
struct ExifSummary {
  // A JSON object: "camera_make", "camera_model", "lens", "exposure_time",
  // "f_number", "iso", "focal_length", "taken_at" (RFC 3339), "gps_latitude",
  // "gps_longitude", "orientation", "width", "height" (as displayed), each
  // present only when read and valid (orientation, width and height whenever
  // any EXIF was read). Values are JSON strings or numbers, text sanitised to
  // valid UTF-8 with control characters removed. exposure_time is a string
  // ("1/250", "2.5"); GPS is signed decimal degrees. "{}" when there is no
  // EXIF or it is unreadable (broken EXIF never fails an upload).
  std::string json = "{}";
  std::optional<std::chrono::system_clock::time_point> taken_at;
};

struct ProcessedImage {
  ImageHeader header;
  ExifSummary exif;
  std::vector<Derivative> derivatives;  // in the order of the specs
};

// The whole upload pipeline for one original: probe, check limits, extract
// EXIF, then make every derivative in `specs` from one decode where possible.
Result<ProcessedImage> ProcessUpload(std::string_view bytes,
                                     const std::vector<DerivativeSpec>& specs,
                                     const Limits& limits);

// Makes one derivative from the original (used to make WebP/AVIF variants
// lazily on first request). Same guarantees as in ProcessUpload.
Result<Derivative> MakeDerivative(std::string_view bytes, const DerivativeSpec& spec,
                                  const Limits& limits);

}  // namespace gallery::image
