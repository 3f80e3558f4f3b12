#pragma once

// Internal to image/: removing metadata chunks from an encoded WebP.
//
// Why: libvips 8.14's webpsave writes an EXIF chunk it builds from the
// image's fields (orientation, resolution, ...) even with strip set (fixed in
// later libvips releases). Derivatives must carry no EXIF at all, so the
// encoded RIFF container is filtered after saving.

#include <string>
#include <string_view>

namespace gallery::image::internal {

// Returns `webp` without its EXIF, XMP and ICCP chunks, with the RIFF size and
// the VP8X feature flags updated to match. Returns `webp` unchanged when it is
// not a well-formed RIFF WebP (a saver's output always is).
std::string StripWebpMetadataChunks(std::string_view webp);

}  // namespace gallery::image::internal
