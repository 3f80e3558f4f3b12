// InitImageLibrary: libvips' process-wide settings for a server that runs one
// image per core on untrusted uploads.

#include <mutex>

#include "image/pipeline.hpp"
#include "image/vips_boundary.hpp"

namespace gallery::image {
namespace {

// The loader base classes of the formats we accept (format.hpp). Every other
// loader (SVG, PDF, ImageMagick, Matlab, FITS, ...) is blocked, so no byte
// sequence can reach it even by a libvips code path that picks a loader by
// sniffing (new_from_buffer, thumbnail_buffer).
constexpr const char* kAllowedLoaders[] = {
    "VipsForeignLoadJpeg",  "VipsForeignLoadPng",  "VipsForeignLoadWebp",
    "VipsForeignLoadNsgif", "VipsForeignLoadHeif", "VipsForeignLoadTiff",
};

// The operation cache only helps when the same operation runs twice on the
// same input; uploads are all different. Keep it small so it never holds much
// decoded memory.
constexpr int kCacheMaxOperations = 16;
constexpr size_t kCacheMaxBytes = 16 * 1024 * 1024;

Status StartVips(const char* argv0) {
  if (VIPS_INIT(argv0 != nullptr ? argv0 : "gallery") != 0) {
    std::string message = vips_error_buffer();
    vips_error_clear();
    return Status::Internal("libvips failed to start: " + message);
  }
  // One worker thread per pipeline: the ImagePool runs one image per core.
  vips_concurrency_set(1);
  vips_cache_set_max(kCacheMaxOperations);
  vips_cache_set_max_mem(kCacheMaxBytes);
  vips_cache_set_max_files(0);
  vips_leak_set(FALSE);
  // Loaders libvips itself marks as unsafe for untrusted input, then every
  // loader but ours.
  vips_block_untrusted_set(TRUE);
  vips_operation_block_set("VipsForeignLoad", TRUE);
  for (const char* loader : kAllowedLoaders) vips_operation_block_set(loader, FALSE);
  return Status::Ok();
}

}  // namespace

Status InitImageLibrary(const char* argv0) {
  static std::once_flag once;
  static Status status;
  std::call_once(once, [argv0] { status = StartVips(argv0); });
  return status;
}

}  // namespace gallery::image
