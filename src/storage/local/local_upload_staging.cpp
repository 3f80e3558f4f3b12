#include "storage/local/local_upload_staging.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <system_error>

#include "storage/local/posix_file.hpp"

namespace gallery::storage {
namespace {

namespace fs = std::filesystem;
using posix::UniqueFd;

constexpr size_t kCopyChunk = 1 << 20;
constexpr mode_t kFileMode = 0600;  // partial uploads are nobody else's business

// Writes `length` bytes of the file `in_fd` from `in_offset` at `out_offset`
// of `out_fd`: copy_file_range (no copy through user memory, a reflink on
// file systems that can), else pread/pwrite.
Status CopyRange(int in_fd, const fs::path& in_path, off_t in_offset, int out_fd,
                 const fs::path& out_path, off_t out_offset, uint64_t length) {
  bool fallback = false;
  std::unique_ptr<char[]> buffer;
  while (length > 0) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(length, kCopyChunk));
    ssize_t n;
    if (!fallback) {
      n = ::copy_file_range(in_fd, &in_offset, out_fd, &out_offset, want, 0);
      if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP)) {
        fallback = true;
        continue;
      }
    } else {
      if (!buffer) buffer = std::make_unique<char[]>(kCopyChunk);
      n = ::pread(in_fd, buffer.get(), want, in_offset);
      if (n > 0) {
        for (ssize_t done = 0; done < n;) {
          ssize_t w = ::pwrite(out_fd, buffer.get() + done, static_cast<size_t>(n - done),
                               out_offset + done);
          if (w < 0) {
            if (errno == EINTR) continue;
            return Status::FromErrno(errno, "write " + out_path.string());
          }
          done += w;
        }
        in_offset += n;
        out_offset += n;
      }
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno(errno, "copy from " + in_path.string());
    }
    if (n == 0) return Status::IoError("read " + in_path.string() + ": file ended early");
    length -= static_cast<uint64_t>(n);
  }
  return Status::Ok();
}

Status WriteAt(int fd, std::string_view bytes, off_t offset, const fs::path& path) {
  while (!bytes.empty()) {
    ssize_t n = ::pwrite(fd, bytes.data(), bytes.size(), offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno(errno, "write " + path.string());
    }
    bytes.remove_prefix(static_cast<size_t>(n));
    offset += n;
  }
  return Status::Ok();
}

class LocalUploadStaging final : public UploadStaging {
 public:
  explicit LocalUploadStaging(fs::path root) : root_(std::move(root)) {}

  Status Append(const StagedUpload& upload, const UploadBytes& bytes,
                const CommitStaged& commit) override {
    GALLERY_RETURN_IF_ERROR(CheckAppend(upload, bytes));
    const fs::path path = PathFor(upload.id);
    // The file exists from the first append on: creating it later would
    // hide lost bytes behind a sparse hole.
    const int flags = O_WRONLY | O_CLOEXEC | (upload.offset == 0 ? O_CREAT : 0);
    UniqueFd out(::open(path.c_str(), flags, kFileMode));
    if (!out.valid()) {
      if (errno == ENOENT) {
        return Status::Internal("staged file " + path.string() + " of an upload at offset " +
                                std::to_string(upload.offset) + " is missing");
      }
      return Status::FromErrno(errno, "open " + path.string());
    }
    struct stat st;
    if (::fstat(out.get(), &st) != 0) return Status::FromErrno(errno, "stat " + path.string());
    if (static_cast<uint64_t>(st.st_size) < upload.offset) {
      return Status::Internal("staged file " + path.string() + " holds " +
                              std::to_string(st.st_size) + " bytes, fewer than the committed " +
                              std::to_string(upload.offset));
    }
    const off_t at = static_cast<off_t>(upload.offset);
    if (bytes.in_file()) {
      UniqueFd in(::open(bytes.file.c_str(), O_RDONLY | O_CLOEXEC));
      if (!in.valid()) return Status::FromErrno(errno, "open " + bytes.file.string());
      GALLERY_RETURN_IF_ERROR(CopyRange(in.get(), bytes.file, 0, out.get(), path, at, bytes.size));
    } else {
      GALLERY_RETURN_IF_ERROR(WriteAt(out.get(), bytes.memory, at, path));
    }
    const uint64_t end = upload.offset + bytes.size;
    if (::ftruncate(out.get(), static_cast<off_t>(end)) != 0) {
      return Status::FromErrno(errno, "truncate " + path.string());
    }
    if (::fdatasync(out.get()) != 0) return Status::FromErrno(errno, "fdatasync " + path.string());
    GALLERY_RETURN_IF_ERROR(out.Close(path));
    if (upload.offset == 0) GALLERY_RETURN_IF_ERROR(posix::FsyncDirectory(root_));
    return commit(end, "");
  }

  Result<AssembledUpload> Assemble(const StagedUpload& upload, const fs::path&) override {
    GALLERY_RETURN_IF_ERROR(CheckId(upload.id));
    if (upload.offset != upload.length) {
      return Status::InvalidArgument("upload " + upload.id + " is not complete");
    }
    const fs::path path = PathFor(upload.id);
    std::error_code ec;
    const uintmax_t size = fs::file_size(path, ec);
    if (ec) return Status::FromErrno(ec.value(), "staged file " + path.string());
    if (size != upload.length) {
      return Status::Internal("staged file " + path.string() + " holds " + std::to_string(size) +
                              " bytes, not " + std::to_string(upload.length));
    }
    return AssembledUpload{path, false};
  }

  Status Remove(const std::string& upload_id, const std::string&) override {
    GALLERY_RETURN_IF_ERROR(CheckId(upload_id));
    const fs::path path = PathFor(upload_id);
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      return Status::FromErrno(errno, "remove " + path.string());
    }
    return Status::Ok();
  }

 private:
  static Status CheckId(std::string_view id) {
    if (!ValidUploadId(id)) return Status::InvalidArgument("invalid upload id");
    return Status::Ok();
  }

  static Status CheckAppend(const StagedUpload& upload, const UploadBytes& bytes) {
    GALLERY_RETURN_IF_ERROR(CheckId(upload.id));
    if (bytes.size == 0) return Status::InvalidArgument("empty append");
    if (upload.offset > upload.length || bytes.size > upload.length - upload.offset) {
      return Status::InvalidArgument("append past the upload's length");
    }
    return Status::Ok();
  }

  // REQUIRES: ValidUploadId(id), so the path stays in root_.
  fs::path PathFor(std::string_view id) const { return root_ / std::string(id); }

  const fs::path root_;
};

}  // namespace

Result<std::unique_ptr<UploadStaging>> NewLocalUploadStaging(const fs::path& root) {
  if (root.empty()) return Status::InvalidArgument("upload staging directory is empty");
  std::error_code ec;
  fs::path absolute = fs::absolute(root, ec).lexically_normal();
  if (ec) return Status::FromErrno(ec.value(), root.string());
  fs::create_directories(absolute, ec);
  if (ec) return Status::FromErrno(ec.value(), "create " + absolute.string());
  if (!fs::is_directory(absolute, ec)) {
    return Status::InvalidArgument(absolute.string() + " is not a directory");
  }
  return std::unique_ptr<UploadStaging>(new LocalUploadStaging(std::move(absolute)));
}

}  // namespace gallery::storage
