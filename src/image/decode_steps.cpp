// The decode steps of steps.hpp.

#include <algorithm>
#include <string>
#include <vector>

#include "image/loader.hpp"
#include "image/steps.hpp"

namespace gallery::image::internal {

void LoadShrunk(DecodeContext& ctx) {
  const int longest = std::max(ctx.header.stored_width, ctx.header.stored_height);
  LoadOptions options;
  options.shrink = ShrinkOnLoadFactor(ctx.header.format, longest, ctx.target_edge);
  ctx.image = LoadFirstFrame(ctx.source, ctx.header.format, options);
}

void FitToTarget(DecodeContext& ctx) {
  // thumbnail_image: premultiplied-alpha reduce, ICC import (embedded or the
  // CMYK fallback) and export to sRGB. The box is square, so rotating later
  // does not change which edge is limited.
  ctx.image = ctx.image.thumbnail_image(ctx.target_edge, vips::VImage::option()
                                                             ->set("height", ctx.target_edge)
                                                             ->set("size", VIPS_SIZE_DOWN)
                                                             ->set("no_rotate", true));
}

void ToSrgb8(DecodeContext& ctx) {
  vips::VImage& im = ctx.image;
  if (im.interpretation() != VIPS_INTERPRETATION_sRGB || im.format() != VIPS_FORMAT_UCHAR) {
    im = im.colourspace(VIPS_INTERPRETATION_sRGB);
  }
  if (im.format() != VIPS_FORMAT_UCHAR) im = im.cast(VIPS_FORMAT_UCHAR);
}

void Materialize(DecodeContext& ctx) { ctx.image = ctx.image.copy_memory(); }

void AutoOrient(DecodeContext& ctx) { ctx.image = ctx.image.autorot(); }

void StripMetadata(DecodeContext& ctx) {
  // copy(): images are shared and immutable once built; edit a new header.
  vips::VImage stripped = ctx.image.copy();
  std::vector<std::string> names;
  if (gchar** fields = vips_image_get_fields(stripped.get_image())) {
    for (gchar** f = fields; *f != nullptr; ++f) names.emplace_back(*f);
    g_strfreev(fields);
  }
  for (const std::string& name : names) {
    // Keep only what describes the pixels; drop everything that came from
    // the file: exif-*, xmp-data, iptc-data, icc-profile-data, orientation,
    // png comments, gif comments, heif metadata, loader names, ...
    const bool keep = name == "width" || name == "height" || name == "bands" || name == "format" ||
                      name == "coding" || name == "interpretation" || name == "xoffset" ||
                      name == "yoffset" || name == "xres" || name == "yres" || name == "filename";
    if (!keep) stripped.remove(name.c_str());
  }
  ctx.image = stripped;
}

}  // namespace gallery::image::internal
