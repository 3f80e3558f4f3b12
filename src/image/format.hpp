#pragma once

// Recognising image formats from their bytes. The file name and the client's
// Content-Type are never trusted: only magic bytes decide.

#include <optional>
#include <string_view>

namespace gallery::image {

// The formats we accept as uploads.
enum class Format { kJpeg, kPng, kWebp, kGif, kHeic, kAvif, kTiff };

// The format whose signature starts `head` (the first bytes of the file; 32
// are enough). nullopt for everything else, including SVG, PDF, HTML, and
// truncated or unknown signatures: those are refused as unsupported.
std::optional<Format> SniffFormat(std::string_view head);

// "image/jpeg", "image/png", ...
std::string_view MimeType(Format format);

// "jpg", "png", ... (used in blob keys and download names)
std::string_view FileExtension(Format format);

}  // namespace gallery::image
