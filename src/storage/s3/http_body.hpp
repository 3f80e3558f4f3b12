#pragma once

// Request bodies that an HTTP client reads in pieces and can read again from
// the start (a retried request resends its whole body).

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "common/status.hpp"

namespace gallery::storage::s3 {

class HttpBody {
 public:
  virtual ~HttpBody() = default;

  // Total number of bytes (sent as Content-Length).
  virtual uint64_t size() const = 0;
  // Starts again from the first byte.
  virtual Status Rewind() = 0;
  // Copies up to `capacity` next bytes into `buffer`; returns how many (0 at
  // the end). An error aborts the request.
  virtual Result<size_t> Read(char* buffer, size_t capacity) = 0;
};

// Bytes in memory; `bytes` must outlive the body.
class StringBody final : public HttpBody {
 public:
  explicit StringBody(std::string_view bytes) : bytes_(bytes) {}
  uint64_t size() const override { return bytes_.size(); }
  Status Rewind() override;
  Result<size_t> Read(char* buffer, size_t capacity) override;

 private:
  std::string_view bytes_;
  size_t position_ = 0;
};

// `length` bytes of a local file from `offset`, read with pread: the file is
// never held in memory. Fails (kIoError) when the file is shorter than
// promised, e.g. truncated while being sent.
class FileRangeBody final : public HttpBody {
 public:
  // Opens `path`; check status() before use.
  FileRangeBody(const std::filesystem::path& path, uint64_t offset, uint64_t length);
  ~FileRangeBody() override;
  FileRangeBody(const FileRangeBody&) = delete;
  FileRangeBody& operator=(const FileRangeBody&) = delete;

  // OK when the file could be opened.
  const Status& status() const { return status_; }
  uint64_t size() const override { return length_; }
  Status Rewind() override;
  Result<size_t> Read(char* buffer, size_t capacity) override;

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  Status status_;
  uint64_t offset_;
  uint64_t length_;
  uint64_t position_ = 0;
};

// One body after another (e.g. bytes kept from an earlier request, then a
// range of a file). Both must outlive this body.
class ConcatBody final : public HttpBody {
 public:
  ConcatBody(HttpBody& first, HttpBody& second) : first_(first), second_(second) {}
  uint64_t size() const override { return first_.size() + second_.size(); }
  Status Rewind() override;
  Result<size_t> Read(char* buffer, size_t capacity) override;

 private:
  HttpBody& first_;
  HttpBody& second_;
  bool in_second_ = false;
};

// Hex SHA-256 of every byte of `body`, read from its start in pieces; the
// body is rewound before and after.
Result<std::string> Sha256HexOfBody(HttpBody& body);

// Hex SHA-256 of `length` bytes of `path` from `offset`, read in pieces.
Result<std::string> Sha256HexOfFileRange(const std::filesystem::path& path, uint64_t offset,
                                         uint64_t length);

}  // namespace gallery::storage::s3
