#pragma once

// Internal to image/: the header probe, keeping the header-only image so the
// pipeline can read metadata (EXIF) without loading the file again.

#include <string_view>
#include <vips/vips8>

#include "common/status.hpp"
#include "image/pipeline.hpp"

namespace gallery::image::internal {

struct ProbedImage {
  ImageHeader header;
  vips::VImage image;  // header only: pixels are never evaluated from it
};

// What ProbeHeader does, plus the image. REQUIRES: `bytes` outlives the image.
Result<ProbedImage> ProbeImage(std::string_view bytes);

}  // namespace gallery::image::internal
