#pragma once

// Internal to image/: counting the scans of a JPEG without decoding it.
//
// Why: a progressive JPEG can hold thousands of tiny scans, each of which
// makes libjpeg walk the whole coefficient buffer again: a few kilobytes
// that take minutes of CPU to decode (a "scan bomb"). libjpeg-turbo only
// guards against it in its command-line tools (-maxscans), and libvips does
// not expose a limit, so the probe counts scans first.

#include <string_view>

namespace gallery::image::internal {

// Real progressive JPEGs have about 10 scans (libjpeg's and mozjpeg's
// scripts use at most a few dozen); this leaves a wide margin.
inline constexpr int kMaxJpegScans = 100;

// The number of scans of the progressive JPEG `bytes`: start-of-scan markers,
// found by walking its marker segments and entropy-coded data up to the
// end-of-image marker (so JPEGs embedded in metadata, like EXIF thumbnails,
// are not counted). A sequential JPEG answers 1 as soon as its first scan
// starts, without reading on: each of its scans carries its own data, so the
// work cannot outgrow the file. Stops early, returning what it has counted,
// at a structure it cannot follow: the decoder reports those.
int CountJpegScans(std::string_view bytes);

}  // namespace gallery::image::internal
