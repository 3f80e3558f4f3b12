#pragma once

// FaultInjectingBlobStore: a BlobStore decorator for tests that makes chosen
// calls fail (a full disk, an unreachable S3, a reply lost after the write
// happened) and counts calls, to test how the layers above handle storage
// failures. Without faults set it is transparent.
//
//   auto store = std::make_unique<FaultInjectingBlobStore>(std::make_unique<MemoryBlobStore>());
//   store->FailNthCall(BlobStoreMethod::kPut, 2, Status::IoError("disk full"));
//   // the next Put succeeds, the one after fails, later ones succeed again.

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "storage/blob_store_wrapper.hpp"

namespace gallery::storage::testing {

// The methods whose calls can fail. (PresignGet cannot: it has no Status.)
enum class BlobStoreMethod { kPut, kPutFile, kGet, kHead, kDelete, kList, kPing };
inline constexpr size_t kBlobStoreMethodCount = 7;
static_assert(static_cast<size_t>(BlobStoreMethod::kPing) + 1 == kBlobStoreMethodCount);

std::string_view BlobStoreMethodName(BlobStoreMethod method);

// When an injected failure happens relative to the real call.
enum class FaultTiming {
  // The inner store is not called: nothing happens, the caller gets the
  // error (the store was unreachable, the disk full).
  kInsteadOfCall,
  // The inner store is called and its effect stays, but the caller gets the
  // error instead of its result (a reply lost after a Put was stored).
  kAfterCall,
};

class FaultInjectingBlobStore final : public BlobStoreWrapper {
 public:
  // REQUIRES: inner != nullptr.
  explicit FaultInjectingBlobStore(std::unique_ptr<BlobStore> inner);

  // The n-th call of `method` from now (n = 1: the next one) returns
  // `status`. Several such faults may be pending at once, for the same or
  // different calls. REQUIRES: n >= 1, !status.ok().
  void FailNthCall(BlobStoreMethod method, uint64_t n, Status status,
                   FaultTiming timing = FaultTiming::kInsteadOfCall);
  // Every call of `method` from now on returns `status`, until ClearFaults.
  // Takes precedence over FailNthCall faults (which still count down).
  // REQUIRES: !status.ok().
  void FailEveryCall(BlobStoreMethod method, Status status,
                     FaultTiming timing = FaultTiming::kInsteadOfCall);
  // Removes every pending fault; calls succeed or fail as the inner store says.
  void ClearFaults();

  // Calls of `method` made so far, failed ones included.
  uint64_t CallCount(BlobStoreMethod method) const;
  // Calls of `method` that got an injected failure so far.
  uint64_t InjectedFaultCount(BlobStoreMethod method) const;

  // BlobStore, with the faults above. Safe for concurrent use; the n-th call
  // is the n-th to take the internal lock.
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
  struct Fault {
    Status status;
    FaultTiming timing = FaultTiming::kInsteadOfCall;
  };
  struct PendingFault {
    uint64_t call_number;  // fails the call with this CallCount
    Fault fault;
  };
  struct MethodState {
    uint64_t calls = 0;
    uint64_t injected = 0;
    std::optional<Fault> every_call;
    std::vector<PendingFault> pending;
  };

  // Counts a call of `method` and returns the fault it gets, if any.
  std::optional<Fault> NextCall(BlobStoreMethod method);
  // Runs `call` under the fault (if any) that this call of `method` gets.
  template <typename R, typename Call>
  R Intercept(BlobStoreMethod method, Call&& call);

  mutable std::mutex mutex_;
  std::array<MethodState, kBlobStoreMethodCount> methods_;  // GUARDED_BY(mutex_)
};

}  // namespace gallery::storage::testing
