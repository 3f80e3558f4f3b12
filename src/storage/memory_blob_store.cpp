#include "storage/memory_blob_store.hpp"

#include <cerrno>
#include <cstdint>
#include <fstream>
#include <system_error>
#include <utility>

namespace gallery::storage {

Status MemoryBlobStore::Put(std::string_view key, std::string_view bytes, const PutOptions&) {
  GALLERY_RETURN_IF_ERROR(ValidateBlobKey(key));
  return Store(key, std::string(bytes));
}

Status MemoryBlobStore::PutFile(std::string_view key, const std::filesystem::path& source,
                                const PutOptions&) {
  GALLERY_RETURN_IF_ERROR(ValidateBlobKey(key));
  std::error_code ec;
  std::filesystem::file_status status = std::filesystem::status(source, ec);
  if (ec || !std::filesystem::exists(status)) {
    return Status::FromErrno(ec ? ec.value() : ENOENT, "open source " + source.string());
  }
  if (!std::filesystem::is_regular_file(status)) {
    return Status::InvalidArgument("source " + source.string() + " is not a regular file");
  }
  uintmax_t size = std::filesystem::file_size(source, ec);
  if (ec) return Status::FromErrno(ec.value(), "stat source " + source.string());
  std::string bytes(size, '\0');
  std::ifstream in(source, std::ios::binary);
  if (!in.read(bytes.data(), static_cast<std::streamsize>(size))) {
    return Status::IoError("read source " + source.string());
  }
  return Store(key, std::move(bytes));
}

Status MemoryBlobStore::Store(std::string_view key, std::string bytes) {
  Object object{std::make_shared<const std::string>(std::move(bytes)), Clock::now()};
  std::lock_guard lock(mutex_);
  objects_.insert_or_assign(std::string(key), std::move(object));
  return Status::Ok();
}

Result<BlobData> MemoryBlobStore::Get(std::string_view key, const ByteRange& range) {
  GALLERY_RETURN_IF_ERROR(ValidateBlobKey(key));
  std::shared_ptr<const std::string> bytes;
  {
    std::lock_guard lock(mutex_);
    auto it = objects_.find(key);
    if (it == objects_.end()) return Status::NotFound("no blob \"" + std::string(key) + "\"");
    bytes = it->second.bytes;
  }
  BlobData data;
  data.total_size = bytes->size();
  if (data.total_size == 0) return data;
  if (range.offset >= data.total_size) {
    return Status(ErrorCode::kRangeNotSatisfiable,
                  "offset " + std::to_string(range.offset) + " is past the end of blob \"" +
                      std::string(key) + "\" (" + std::to_string(data.total_size) + " bytes)");
  }
  uint64_t length = data.total_size - range.offset;
  if (range.length && *range.length < length) length = *range.length;
  data.bytes = bytes->substr(range.offset, length);
  return data;
}

Result<BlobInfo> MemoryBlobStore::Head(std::string_view key) {
  GALLERY_RETURN_IF_ERROR(ValidateBlobKey(key));
  std::lock_guard lock(mutex_);
  auto it = objects_.find(key);
  if (it == objects_.end()) return Status::NotFound("no blob \"" + std::string(key) + "\"");
  return BlobInfo{it->first, it->second.bytes->size(), it->second.last_modified};
}

Status MemoryBlobStore::Delete(std::string_view key) {
  GALLERY_RETURN_IF_ERROR(ValidateBlobKey(key));
  std::lock_guard lock(mutex_);
  if (auto it = objects_.find(key); it != objects_.end()) objects_.erase(it);
  return Status::Ok();
}

Result<ListPage> MemoryBlobStore::List(std::string_view prefix, std::string_view start_after,
                                       size_t limit) {
  if (limit == 0) return Status::InvalidArgument("List limit must be positive");
  ListPage page;
  std::lock_guard lock(mutex_);
  // The first key both after start_after and not before prefix; the keys
  // with the prefix follow it contiguously.
  auto it = prefix > start_after ? objects_.lower_bound(prefix) : objects_.upper_bound(start_after);
  for (; it != objects_.end() && it->first.starts_with(prefix); ++it) {
    if (page.blobs.size() == limit) {
      page.next_start_after = page.blobs.back().key;
      break;
    }
    page.blobs.push_back(BlobInfo{it->first, it->second.bytes->size(), it->second.last_modified});
  }
  return page;
}

Status MemoryBlobStore::Ping() { return Status::Ok(); }

}  // namespace gallery::storage
