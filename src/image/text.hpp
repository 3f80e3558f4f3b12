#pragma once

// Internal to image/: turning bytes from a file's metadata into inert text.

#include <cstddef>
#include <string>
#include <string_view>

namespace gallery::image::internal {

// Returns valid UTF-8 made from `raw`: bytes that are valid UTF-8 are read as
// such, anything else as Latin-1 (what old cameras write). Control characters
// (C0, DEL, C1), bidirectional overrides and byte-order marks are removed,
// tabs and line breaks become spaces, runs of spaces collapse, and the ends
// are trimmed. The result is at most `max_bytes` long, cut on a character
// boundary.
std::string SanitizeText(std::string_view raw, size_t max_bytes = 256);

}  // namespace gallery::image::internal
