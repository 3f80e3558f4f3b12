#include "storage/s3/http_body.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "common/crypto.hpp"

namespace gallery::storage::s3 {

Status StringBody::Rewind() {
  position_ = 0;
  return Status::Ok();
}

Result<size_t> StringBody::Read(char* buffer, size_t capacity) {
  const size_t n = std::min(capacity, bytes_.size() - position_);
  std::memcpy(buffer, bytes_.data() + position_, n);
  position_ += n;
  return n;
}

FileRangeBody::FileRangeBody(const std::filesystem::path& path, uint64_t offset, uint64_t length)
    : path_(path), offset_(offset), length_(length) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) status_ = Status::FromErrno(errno, path.string());
}

FileRangeBody::~FileRangeBody() {
  if (fd_ >= 0) ::close(fd_);
}

Status FileRangeBody::Rewind() {
  position_ = 0;
  return status_;
}

Result<size_t> FileRangeBody::Read(char* buffer, size_t capacity) {
  if (!status_.ok()) return status_;
  const size_t want = static_cast<size_t>(std::min<uint64_t>(capacity, length_ - position_));
  if (want == 0) return size_t{0};
  ssize_t n;
  do {
    n = ::pread(fd_, buffer, want, static_cast<off_t>(offset_ + position_));
  } while (n < 0 && errno == EINTR);
  if (n < 0) return Status::FromErrno(errno, path_.string());
  if (n == 0) {
    return Status::IoError(path_.string() + ": file ended at " +
                           std::to_string(offset_ + position_) + " bytes, expected " +
                           std::to_string(offset_ + length_) + " (changed while being read)");
  }
  position_ += static_cast<uint64_t>(n);
  return static_cast<size_t>(n);
}

Status ConcatBody::Rewind() {
  in_second_ = false;
  GALLERY_RETURN_IF_ERROR(first_.Rewind());
  return second_.Rewind();
}

Result<size_t> ConcatBody::Read(char* buffer, size_t capacity) {
  if (!in_second_) {
    Result<size_t> n = first_.Read(buffer, capacity);
    if (!n.ok() || *n > 0 || capacity == 0) return n;
    in_second_ = true;
  }
  return second_.Read(buffer, capacity);
}

Result<std::string> Sha256HexOfBody(HttpBody& body) {
  GALLERY_RETURN_IF_ERROR(body.Rewind());
  Sha256 hash;
  std::vector<char> buffer(256 * 1024);
  for (;;) {
    Result<size_t> n = body.Read(buffer.data(), buffer.size());
    if (!n.ok()) return n.status();
    if (*n == 0) break;
    hash.Update(std::string_view(buffer.data(), *n));
  }
  GALLERY_RETURN_IF_ERROR(body.Rewind());
  const Sha256Digest digest = hash.Finish();
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

Result<std::string> Sha256HexOfFileRange(const std::filesystem::path& path, uint64_t offset,
                                         uint64_t length) {
  FileRangeBody body(path, offset, length);
  GALLERY_RETURN_IF_ERROR(body.status());
  Sha256 hash;
  std::vector<char> buffer(256 * 1024);
  for (;;) {
    Result<size_t> n = body.Read(buffer.data(), buffer.size());
    if (!n.ok()) return n.status();
    if (*n == 0) break;
    hash.Update(std::string_view(buffer.data(), *n));
  }
  const Sha256Digest digest = hash.Finish();
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

}  // namespace gallery::storage::s3
