#pragma once

// Internal to image/: the frame layout a GIF declares, read from its block
// structure without decoding any pixel data.
//
// Why: each frame of a GIF declares its own position and size, and nothing
// stops them from lying far outside the logical screen (a frame at 65535,65535
// in a 100x100 GIF). libnsgif clips such frames, but other decoders (browsers
// showing the original, other tools) size their canvas from them: a
// decompression bomb that the logical screen size alone does not reveal.

#include <cstdint>
#include <optional>
#include <string_view>

namespace gallery::image::internal {

struct GifLayout {
  int screen_width = 0;
  int screen_height = 0;
  int frames = 0;  // image descriptors seen
  // Width x height of the canvas that holds the screen and every frame as
  // declared: max(left + width) x max(top + height).
  uint64_t canvas_pixels = 0;
};

// nullopt when `bytes` is not a GIF. A structure that breaks off (truncated
// or garbage between blocks) yields what was declared before the break: the
// decoder refuses such files anyway; this is only about declared sizes.
std::optional<GifLayout> ScanGifLayout(std::string_view bytes);

}  // namespace gallery::image::internal
