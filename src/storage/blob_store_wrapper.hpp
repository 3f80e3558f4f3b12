#pragma once

// BlobStoreWrapper: a BlobStore that forwards every call to an inner store
// (leveldb EnvWrapper style). Decorators (fault injection, instrumentation,
// scoped cleanup in tests) derive from it and override only what they change.

#include <memory>
#include <utility>

#include "storage/blob_store.hpp"

namespace gallery::storage {

class BlobStoreWrapper : public BlobStore {
 public:
  // REQUIRES: inner != nullptr.
  explicit BlobStoreWrapper(std::unique_ptr<BlobStore> inner) : inner_(std::move(inner)) {}

  // The wrapped store. Calls made on it directly bypass the wrapper.
  BlobStore& inner() const { return *inner_; }

  Status Put(std::string_view key, std::string_view bytes, const PutOptions& options) override {
    return inner_->Put(key, bytes, options);
  }
  Status PutFile(std::string_view key, const std::filesystem::path& source,
                 const PutOptions& options) override {
    return inner_->PutFile(key, source, options);
  }
  Result<BlobData> Get(std::string_view key, const ByteRange& range) override {
    return inner_->Get(key, range);
  }
  Result<BlobInfo> Head(std::string_view key) override { return inner_->Head(key); }
  Status Delete(std::string_view key) override { return inner_->Delete(key); }
  Result<ListPage> List(std::string_view prefix, std::string_view start_after,
                        size_t limit) override {
    return inner_->List(prefix, start_after, limit);
  }
  std::optional<std::string> PresignGet(std::string_view key, std::chrono::seconds ttl,
                                        std::string_view content_disposition) override {
    return inner_->PresignGet(key, ttl, content_disposition);
  }
  Status Ping() override { return inner_->Ping(); }

 private:
  const std::unique_ptr<BlobStore> inner_;
};

}  // namespace gallery::storage
