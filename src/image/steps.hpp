#pragma once

// Internal to image/: the derivative pipeline, written as data.
//
// Two ordered lists of small steps over one context each (the shape of
// imgproxy's processing pipeline). The decode steps run once per upload and
// leave one upright sRGB image in memory, sized for the largest derivative;
// the output steps run once per derivative on a copy of that image. Every
// step may throw vips::VError; pipeline.cpp turns it into a Status.

#include <array>
#include <string>
#include <string_view>
#include <vips/vips8>

#include "image/pipeline.hpp"

namespace gallery::image::internal {

// One original on its way to an upright, metadata-free, in-memory image.
struct DecodeContext {
  std::string_view source;  // the encoded original; outlives the context
  ImageHeader header;       // from the probe; limits already checked
  int target_edge = 0;      // longest edge wanted: the largest derivative's
  vips::VImage image;       // the state between steps
};

// Loads the first frame with the format's own loader, shrinking on load
// (JPEG DCT scaling, WebP scaled decode) as far as the target allows.
void LoadShrunk(DecodeContext& ctx);
// Resizes so the longest edge is at most target_edge; never upscales. Also
// brings colour to sRGB through any embedded ICC profile (CMYK included).
void FitToTarget(DecodeContext& ctx);
// 8-bit sRGB (or sRGB with alpha): converts 16-bit, grey, CMYK, Lab.
void ToSrgb8(DecodeContext& ctx);
// Decodes now, into memory: decoding errors surface here (not while encoding),
// every derivative reads the same pixels without decoding again, and the
// rotation that follows can read the pixels in any order (a sequential
// decode cannot be transposed).
void Materialize(DecodeContext& ctx);
// Applies the EXIF orientation (0 and invalid values read as 1).
void AutoOrient(DecodeContext& ctx);
// Removes every metadata field (EXIF, XMP, IPTC, ICC, ...) from the image,
// so no saver can write them, whatever its strip option does.
void StripMetadata(DecodeContext& ctx);

using DecodeStep = void (*)(DecodeContext&);
inline constexpr std::array<DecodeStep, 6> kDecodeSteps = {
    &LoadShrunk, &FitToTarget, &ToSrgb8, &Materialize, &AutoOrient, &StripMetadata};

// One derivative made from the decoded image.
struct OutputContext {
  const DerivativeSpec& spec;
  vips::VImage image;  // starts as the decoded image (shared, read-only)
  std::string bytes;   // the encoded result
};

// Reduces to spec.max_edge when the decoded image is larger; never upscales.
void FitToSpec(OutputContext& ctx);
// JPEG has no alpha: flatten onto white. WebP and AVIF keep alpha.
void FlattenForOpaqueFormat(OutputContext& ctx);
// Encodes with the spec's format and quality, with metadata stripped (for
// WebP also from the encoded container: see webp_chunks.hpp).
void Encode(OutputContext& ctx);

using OutputStep = void (*)(OutputContext&);
inline constexpr std::array<OutputStep, 3> kOutputSteps = {&FitToSpec, &FlattenForOpaqueFormat,
                                                           &Encode};

}  // namespace gallery::image::internal
