#pragma once

// MemoryBlobStore: a BlobStore that keeps objects in memory. For tests of the
// layers above (and demos without a disk); it passes the BlobStore
// conformance suite, so code tested against it behaves the same on the real
// stores. Objects are lost with the store. Unlike a file system store it can
// hold both "a" and "a/b".

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "storage/blob_store.hpp"

namespace gallery::storage {

class MemoryBlobStore final : public BlobStore {
 public:
  MemoryBlobStore() = default;
  MemoryBlobStore(const MemoryBlobStore&) = delete;
  MemoryBlobStore& operator=(const MemoryBlobStore&) = delete;

  // The BlobStore contracts. Safe for concurrent use. PutFile reads the
  // source whole (into memory, where the object will live anyway).
  Status Put(std::string_view key, std::string_view bytes, const PutOptions& options) override;
  Status PutFile(std::string_view key, const std::filesystem::path& source,
                 const PutOptions& options) override;
  Result<BlobData> Get(std::string_view key, const ByteRange& range = {}) override;
  Result<BlobInfo> Head(std::string_view key) override;
  Status Delete(std::string_view key) override;
  Result<ListPage> List(std::string_view prefix, std::string_view start_after,
                        size_t limit) override;
  Status Ping() override;

 private:
  struct Object {
    // Immutable once stored; shared so that Get copies bytes outside the lock.
    std::shared_ptr<const std::string> bytes;
    Clock::time_point last_modified;
  };

  Status Store(std::string_view key, std::string bytes);

  std::mutex mutex_;
  std::map<std::string, Object, std::less<>> objects_;  // GUARDED_BY(mutex_)
};

}  // namespace gallery::storage
