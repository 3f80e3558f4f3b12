#pragma once

// Internal to image/: EXIF as inert data for the Photo resource.

#include <string_view>

#include "image/pipeline.hpp"

namespace gallery::image::internal {

// Summarises `exif_block` (libvips' "exif-data": "Exif\0\0" then a TIFF
// structure) for an image whose probed header is `header`. Never fails: a
// broken or absent block gives "{}" (or whatever fields could be read), every
// text value is sanitised, every number checked for range. See ExifSummary
// in pipeline.hpp for the fields.
ExifSummary SummarizeExif(std::string_view exif_block, const ImageHeader& header);

}  // namespace gallery::image::internal
