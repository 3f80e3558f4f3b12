#include "storage/upload_staging.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "storage/local/posix_file.hpp"

namespace gallery::storage {

bool UploadStaging::ValidUploadId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status ReadUploadBytes(const UploadBytes& bytes, uint64_t offset, size_t length, std::string* out) {
  if (offset > bytes.size || length > bytes.size - offset) {
    return Status::Internal("read of " + std::to_string(length) + " bytes at " +
                            std::to_string(offset) + " past the end of an append of " +
                            std::to_string(bytes.size));
  }
  if (!bytes.in_file()) {
    out->assign(bytes.memory.substr(offset, length));
    return Status::Ok();
  }
  posix::UniqueFd fd(::open(bytes.file.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return Status::FromErrno(errno, "open " + bytes.file.string());
  return posix::ReadExactlyAt(fd.get(), offset, length, out, bytes.file);
}

}  // namespace gallery::storage
