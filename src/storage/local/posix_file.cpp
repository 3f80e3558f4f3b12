#include "storage/local/posix_file.hpp"

#include <fcntl.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <memory>

namespace gallery::storage::posix {
namespace {

// Bytes moved per copy_file_range/sendfile call, and the buffer of the
// read/write fallback: large enough for throughput, small enough for memory.
constexpr size_t kCopyChunk = 1 << 20;

enum class CopyOutcome { kDone, kUnsupported, kFailed };

bool IsUnsupportedCopy(int err) {
  return err == EXDEV || err == ENOSYS || err == EINVAL || err == EOPNOTSUPP;
}

// Each method reads `in_fd` at *offset (advanced as it copies) and writes at
// the file position of `out_fd`, so that when one reports kUnsupported the
// next continues exactly where it stopped.
CopyOutcome CopyWithCopyFileRange(int in_fd, int out_fd, off_t* offset, Status* status,
                                  const std::filesystem::path& in_path) {
  for (;;) {
    ssize_t n = ::copy_file_range(in_fd, offset, out_fd, nullptr, kCopyChunk, 0);
    if (n > 0) continue;
    if (n == 0) return CopyOutcome::kDone;
    if (errno == EINTR) continue;
    if (IsUnsupportedCopy(errno)) return CopyOutcome::kUnsupported;
    *status = Status::FromErrno(errno, "copy_file_range from " + in_path.string());
    return CopyOutcome::kFailed;
  }
}

CopyOutcome CopyWithSendfile(int in_fd, int out_fd, off_t* offset, Status* status,
                             const std::filesystem::path& in_path) {
  for (;;) {
    ssize_t n = ::sendfile(out_fd, in_fd, offset, kCopyChunk);
    if (n > 0) continue;
    if (n == 0) return CopyOutcome::kDone;
    if (errno == EINTR) continue;
    if (errno == EINVAL || errno == ENOSYS) return CopyOutcome::kUnsupported;
    *status = Status::FromErrno(errno, "sendfile from " + in_path.string());
    return CopyOutcome::kFailed;
  }
}

Status CopyWithReadWrite(int in_fd, int out_fd, off_t offset, const std::filesystem::path& in_path,
                         const std::filesystem::path& out_path) {
  auto buffer = std::make_unique<char[]>(kCopyChunk);
  for (;;) {
    ssize_t n = ::pread(in_fd, buffer.get(), kCopyChunk, offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno(errno, "read " + in_path.string());
    }
    if (n == 0) return Status::Ok();
    GALLERY_RETURN_IF_ERROR(
        WriteAll(out_fd, std::string_view(buffer.get(), static_cast<size_t>(n)), out_path));
    offset += n;
  }
}

}  // namespace

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.Release();
  }
  return *this;
}

int UniqueFd::Release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

Status UniqueFd::Close(const std::filesystem::path& path) {
  int fd = Release();
  // Linux releases the descriptor even when close fails (EINTR included), so
  // never retry: the number may already belong to another thread's file.
  if (fd >= 0 && ::close(fd) != 0 && errno != EINTR) {
    return Status::FromErrno(errno, "close " + path.string());
  }
  return Status::Ok();
}

Status WriteAll(int fd, std::string_view bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno(errno, "write " + path.string());
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status CopyToEnd(int in_fd, const std::filesystem::path& in_path, int out_fd,
                 const std::filesystem::path& out_path) {
  off_t offset = 0;
  Status status;
  switch (CopyWithCopyFileRange(in_fd, out_fd, &offset, &status, in_path)) {
    case CopyOutcome::kDone:
      return Status::Ok();
    case CopyOutcome::kFailed:
      return status;
    case CopyOutcome::kUnsupported:
      break;
  }
  switch (CopyWithSendfile(in_fd, out_fd, &offset, &status, in_path)) {
    case CopyOutcome::kDone:
      return Status::Ok();
    case CopyOutcome::kFailed:
      return status;
    case CopyOutcome::kUnsupported:
      break;
  }
  return CopyWithReadWrite(in_fd, out_fd, offset, in_path, out_path);
}

Status ReadExactlyAt(int fd, uint64_t offset, size_t length, std::string* out,
                     const std::filesystem::path& path) {
  out->resize(length);
  size_t done = 0;
  while (done < length) {
    ssize_t n = ::pread(fd, out->data() + done, length - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno(errno, "read " + path.string());
    }
    if (n == 0) return Status::IoError("read " + path.string() + ": file ended early");
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status FsyncDirectory(const std::filesystem::path& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return Status::FromErrno(errno, "open directory " + dir.string());
  if (::fsync(fd.get()) != 0) return Status::FromErrno(errno, "fsync directory " + dir.string());
  return fd.Close(dir);
}

Clock::time_point ModificationTime(const struct stat& st) {
  auto since_epoch =
      std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec);
  return Clock::time_point(std::chrono::duration_cast<Clock::duration>(since_epoch));
}

}  // namespace gallery::storage::posix
