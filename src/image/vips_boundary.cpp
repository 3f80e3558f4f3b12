#include "image/vips_boundary.hpp"

#include "image/pipeline.hpp"

namespace gallery::image::internal {

Status EnsureImageLibrary() { return InitImageLibrary("gallery"); }

BorrowedBlob::BorrowedBlob(std::string_view bytes)
    : blob_(vips_blob_new(nullptr, bytes.data(), bytes.size())) {}

BorrowedBlob::~BorrowedBlob() { vips_area_unref(VIPS_AREA(blob_)); }

std::string TakeBlob(VipsBlob* blob) {
  size_t length = 0;
  const void* data = vips_blob_get(blob, &length);
  std::string out(static_cast<const char*>(data), length);
  vips_area_unref(VIPS_AREA(blob));
  return out;
}

std::string DrainVipsError(const vips::VError& error) {
  std::string text = error.what();
  vips_error_clear();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  for (char& c : text) {
    if (c == '\n') c = ' ';
  }
  return text.empty() ? "libvips failed without a message" : text;
}

}  // namespace gallery::image::internal
