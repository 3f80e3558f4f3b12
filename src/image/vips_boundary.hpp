#pragma once

// Internal to image/: the seam between libvips and the project's error model.
// Every public function of image/ runs its libvips calls through
// RunVips(), so a vips::VError never leaves this folder.

#include <string>
#include <string_view>
#include <utility>
#include <vips/vips8>

#include "common/status.hpp"

namespace gallery::image::internal {

// Starts libvips if nobody has yet (InitImageLibrary with a default argv0).
// Returns the start-up status, the same on every call.
Status EnsureImageLibrary();

// A VipsBlob that borrows `bytes` without copying.
// REQUIRES: `bytes` outlives this object and every image loaded from it
// (loaders keep a reference to the blob and read it lazily).
class BorrowedBlob {
 public:
  explicit BorrowedBlob(std::string_view bytes);
  ~BorrowedBlob();
  BorrowedBlob(const BorrowedBlob&) = delete;
  BorrowedBlob& operator=(const BorrowedBlob&) = delete;

  VipsBlob* get() const { return blob_; }

 private:
  VipsBlob* blob_;
};

// Takes ownership of a blob returned by a libvips saver and copies it out.
std::string TakeBlob(VipsBlob* blob);

// The libvips error text carried by `error`, trimmed, for logs. Also clears
// libvips' error buffer, which is process-wide: it may hold text from another
// thread's failure, which is why codes are never decided from this text
// except where documented.
std::string DrainVipsError(const vips::VError& error);

// Runs `fn` (which may throw vips::VError) and returns its value, or a Status
// with `code` and the libvips message prefixed by `context`.
template <typename Fn>
auto RunVips(ErrorCode code, std::string_view context, Fn&& fn) -> Result<decltype(fn())> {
  try {
    return std::forward<Fn>(fn)();
  } catch (const vips::VError& e) {
    return Status(code, std::string(context) + ": " + DrainVipsError(e));
  }
}

// The same for a step that yields nothing.
template <typename Fn>
Status RunVipsStatus(ErrorCode code, std::string_view context, Fn&& fn) {
  try {
    std::forward<Fn>(fn)();
    return Status::Ok();
  } catch (const vips::VError& e) {
    return Status(code, std::string(context) + ": " + DrainVipsError(e));
  }
}

}  // namespace gallery::image::internal
