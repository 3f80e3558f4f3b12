#pragma once

// Internal to image/: how each accepted format is loaded.
//
// Always the format's own loader (jpegload_buffer for a sniffed JPEG, ...),
// never one chosen by libvips' own sniffing, so a file that is two formats at
// once is only ever read as the one we recognised. Sequential access (one
// pass, no whole-image buffering), and a fail_on level per format so broken
// pixel data is an error, never a grey-filled picture.

#include <string_view>
#include <vips/vips8>

#include "image/format.hpp"

namespace gallery::image::internal {

struct LoadOptions {
  // Shrink-on-load: decode at roughly 1/shrink of the stored size when the
  // format can do so cheaply (JPEG: DCT scaling by 1, 2, 4 or 8; WebP: the
  // decoder's own scaling). Ignored by the other formats.
  int shrink = 1;
};

// The first frame (page) of `bytes`, lazily: the header is read now, pixels
// when the image is evaluated. Throws vips::VError.
// REQUIRES: `bytes` outlives the returned image; `format` is what
// SniffFormat(bytes) returned.
vips::VImage LoadFirstFrame(std::string_view bytes, Format format, const LoadOptions& options);

// The largest shrink-on-load factor for `format` that keeps the longest edge
// (`longest_edge` as stored) at or above `target_edge`, so the final resize
// only ever reduces. 1 when the format cannot shrink on load.
int ShrinkOnLoadFactor(Format format, int longest_edge, int target_edge);

}  // namespace gallery::image::internal
