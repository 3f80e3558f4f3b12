// The public pipeline: probe, limits, EXIF, one decode, then every derivative.
// This is the boundary where libvips errors become Status values.

#include "image/pipeline.hpp"

#include <algorithm>

#include "image/exif.hpp"
#include "image/probe.hpp"
#include "image/steps.hpp"
#include "image/vips_boundary.hpp"

namespace gallery::image {
namespace {

using internal::DecodeContext;
using internal::OutputContext;

Status ValidateSpecs(const std::vector<DerivativeSpec>& specs) {
  for (const DerivativeSpec& spec : specs) {
    if (spec.max_edge < 1) {
      return Status::InvalidArgument("derivative '" + spec.name + "' has max_edge < 1");
    }
  }
  return Status::Ok();
}

ExifSummary ExtractExif(const internal::ProbedImage& probed) {
  VipsImage* raw = probed.image.get_image();
  const void* data = nullptr;
  size_t length = 0;
  if (vips_image_get_typeof(raw, VIPS_META_EXIF_NAME) == 0 ||
      vips_image_get_blob(raw, VIPS_META_EXIF_NAME, &data, &length) != 0) {
    vips_error_clear();
    return ExifSummary{};
  }
  return internal::SummarizeExif(std::string_view(static_cast<const char*>(data), length),
                                 probed.header);
}

// Runs the decode steps: one upright sRGB image in memory, at most
// `target_edge` on its longest side. Any failure is the image's fault.
Result<vips::VImage> Decode(std::string_view bytes, const ImageHeader& header, int target_edge) {
  DecodeContext ctx{bytes, header, target_edge, {}};
  return internal::RunVips(ErrorCode::kUnprocessableImage, "decoding the image", [&] {
    for (internal::DecodeStep step : internal::kDecodeSteps) step(ctx);
    return ctx.image;
  });
}

// Runs the output steps for one spec on the decoded image. The pixels are
// already in memory, so a failure here is ours, not the image's.
Result<Derivative> MakeOutput(const vips::VImage& decoded, const DerivativeSpec& spec) {
  OutputContext ctx{spec, decoded, {}};
  return internal::RunVips(ErrorCode::kInternal, "making derivative '" + spec.name + "'", [&] {
    for (internal::OutputStep step : internal::kOutputSteps) step(ctx);
    return Derivative{spec.name, spec.format, std::move(ctx.bytes), ctx.image.width(),
                      ctx.image.height()};
  });
}

// Probe and limits: everything that must pass before any pixel is decoded.
Result<internal::ProbedImage> ProbeWithinLimits(std::string_view bytes, const Limits& limits) {
  Result<internal::ProbedImage> probed = internal::ProbeImage(bytes);
  if (!probed.ok()) return probed.status();
  GALLERY_RETURN_IF_ERROR(CheckLimits(probed->header, limits));
  return probed;
}

}  // namespace

std::string_view OutputMimeType(OutputFormat format) {
  switch (format) {
    case OutputFormat::kJpeg:
      return "image/jpeg";
    case OutputFormat::kWebp:
      return "image/webp";
    case OutputFormat::kAvif:
      return "image/avif";
  }
  return "application/octet-stream";
}

std::string_view OutputExtension(OutputFormat format) {
  switch (format) {
    case OutputFormat::kJpeg:
      return "jpg";
    case OutputFormat::kWebp:
      return "webp";
    case OutputFormat::kAvif:
      return "avif";
  }
  return "bin";
}

Result<ProcessedImage> ProcessUpload(std::string_view bytes,
                                     const std::vector<DerivativeSpec>& specs,
                                     const Limits& limits) {
  GALLERY_RETURN_IF_ERROR(ValidateSpecs(specs));
  Result<internal::ProbedImage> probed = ProbeWithinLimits(bytes, limits);
  if (!probed.ok()) return probed.status();

  ProcessedImage out;
  out.header = probed->header;
  out.exif = ExtractExif(*probed);
  if (specs.empty()) return out;

  int target_edge = 0;
  for (const DerivativeSpec& spec : specs) target_edge = std::max(target_edge, spec.max_edge);
  Result<vips::VImage> decoded = Decode(bytes, out.header, target_edge);
  if (!decoded.ok()) return decoded.status();

  out.derivatives.reserve(specs.size());
  for (const DerivativeSpec& spec : specs) {
    Result<Derivative> derivative = MakeOutput(*decoded, spec);
    if (!derivative.ok()) return derivative.status();
    out.derivatives.push_back(std::move(derivative).value());
  }
  return out;
}

Result<Derivative> MakeDerivative(std::string_view bytes, const DerivativeSpec& spec,
                                  const Limits& limits) {
  GALLERY_RETURN_IF_ERROR(ValidateSpecs({spec}));
  Result<internal::ProbedImage> probed = ProbeWithinLimits(bytes, limits);
  if (!probed.ok()) return probed.status();
  Result<vips::VImage> decoded = Decode(bytes, probed->header, spec.max_edge);
  if (!decoded.ok()) return decoded.status();
  return MakeOutput(*decoded, spec);
}

}  // namespace gallery::image
