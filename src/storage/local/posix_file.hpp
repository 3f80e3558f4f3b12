#pragma once

// Small POSIX file helpers for LocalBlobStore: an owning file descriptor and
// loops that finish partial reads and writes and retry on EINTR. Every error
// is a Status built with Status::FromErrno, with the path as context.

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/status.hpp"
#include "storage/blob_store.hpp"

namespace gallery::storage::posix {

// Owns a file descriptor and closes it on destruction (errors ignored there:
// call Close() where the result of close matters, e.g. after writing).
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd();
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.Release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  // Gives up ownership; returns the descriptor (-1 if none).
  int Release();
  // Closes now. Returns OK, or the close error with `path` as context.
  Status Close(const std::filesystem::path& path);

 private:
  int fd_ = -1;
};

// Writes all of `bytes` at the current position of `fd`.
Status WriteAll(int fd, std::string_view bytes, const std::filesystem::path& path);

// Copies `in_fd` from offset 0 to its end onto the current position of
// `out_fd`, in chunks, without holding the data in user memory when the
// kernel can do it (copy_file_range, then sendfile, then read/write).
Status CopyToEnd(int in_fd, const std::filesystem::path& in_path, int out_fd,
                 const std::filesystem::path& out_path);

// Reads exactly `length` bytes at `offset` into `out` (resized). kIoError if
// the file ends first.
Status ReadExactlyAt(int fd, uint64_t offset, size_t length, std::string* out,
                     const std::filesystem::path& path);

// fsync of a directory, so that entries created or renamed in it are durable.
Status FsyncDirectory(const std::filesystem::path& dir);

// The modification time recorded in `st`, to the nanosecond the file system
// keeps.
Clock::time_point ModificationTime(const struct stat& st);

}  // namespace gallery::storage::posix
