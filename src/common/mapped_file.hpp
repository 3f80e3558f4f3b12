#pragma once

// A read-only memory map of a whole file: large request bodies are read
// through the page cache instead of being copied onto the heap.

#include <filesystem>
#include <memory>
#include <string_view>

#include "common/status.hpp"

namespace gallery {

class MappedFile {
 public:
  // Maps `path` read-only. An empty file maps to an empty view.
  static Result<std::unique_ptr<MappedFile>> Open(const std::filesystem::path& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }

 private:
  MappedFile(void* data, size_t size) : data_(data), size_(size) {}
  void* data_;
  size_t size_;
};

}  // namespace gallery
