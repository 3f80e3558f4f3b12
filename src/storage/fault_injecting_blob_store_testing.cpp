#include "storage/fault_injecting_blob_store_testing.hpp"

#include <algorithm>
#include <cassert>
#include <utility>

namespace gallery::storage::testing {

std::string_view BlobStoreMethodName(BlobStoreMethod method) {
  switch (method) {
    case BlobStoreMethod::kPut:
      return "Put";
    case BlobStoreMethod::kPutFile:
      return "PutFile";
    case BlobStoreMethod::kGet:
      return "Get";
    case BlobStoreMethod::kHead:
      return "Head";
    case BlobStoreMethod::kDelete:
      return "Delete";
    case BlobStoreMethod::kList:
      return "List";
    case BlobStoreMethod::kPing:
      return "Ping";
  }
  return "?";
}

FaultInjectingBlobStore::FaultInjectingBlobStore(std::unique_ptr<BlobStore> inner)
    : BlobStoreWrapper(std::move(inner)) {}

void FaultInjectingBlobStore::FailNthCall(BlobStoreMethod method, uint64_t n, Status status,
                                          FaultTiming timing) {
  assert(n >= 1 && !status.ok());
  std::lock_guard lock(mutex_);
  MethodState& state = methods_[static_cast<size_t>(method)];
  state.pending.push_back({state.calls + n, Fault{std::move(status), timing}});
}

void FaultInjectingBlobStore::FailEveryCall(BlobStoreMethod method, Status status,
                                            FaultTiming timing) {
  assert(!status.ok());
  std::lock_guard lock(mutex_);
  methods_[static_cast<size_t>(method)].every_call = Fault{std::move(status), timing};
}

void FaultInjectingBlobStore::ClearFaults() {
  std::lock_guard lock(mutex_);
  for (MethodState& state : methods_) {
    state.every_call.reset();
    state.pending.clear();
  }
}

uint64_t FaultInjectingBlobStore::CallCount(BlobStoreMethod method) const {
  std::lock_guard lock(mutex_);
  return methods_[static_cast<size_t>(method)].calls;
}

uint64_t FaultInjectingBlobStore::InjectedFaultCount(BlobStoreMethod method) const {
  std::lock_guard lock(mutex_);
  return methods_[static_cast<size_t>(method)].injected;
}

std::optional<FaultInjectingBlobStore::Fault> FaultInjectingBlobStore::NextCall(
    BlobStoreMethod method) {
  std::lock_guard lock(mutex_);
  MethodState& state = methods_[static_cast<size_t>(method)];
  uint64_t call_number = ++state.calls;
  std::optional<Fault> fault;
  auto due = std::find_if(state.pending.begin(), state.pending.end(),
                          [&](const PendingFault& p) { return p.call_number == call_number; });
  if (due != state.pending.end()) {
    fault = std::move(due->fault);
    state.pending.erase(due);
  }
  if (state.every_call) fault = state.every_call;
  if (fault) ++state.injected;
  return fault;
}

template <typename R, typename Call>
R FaultInjectingBlobStore::Intercept(BlobStoreMethod method, Call&& call) {
  std::optional<Fault> fault = NextCall(method);
  if (!fault) return call();
  if (fault->timing == FaultTiming::kAfterCall) (void)call();
  return fault->status;
}

Status FaultInjectingBlobStore::Put(std::string_view key, std::string_view bytes,
                                    const PutOptions& options) {
  return Intercept<Status>(BlobStoreMethod::kPut,
                           [&] { return BlobStoreWrapper::Put(key, bytes, options); });
}

Status FaultInjectingBlobStore::PutFile(std::string_view key, const std::filesystem::path& source,
                                        const PutOptions& options) {
  return Intercept<Status>(BlobStoreMethod::kPutFile,
                           [&] { return BlobStoreWrapper::PutFile(key, source, options); });
}

Result<BlobData> FaultInjectingBlobStore::Get(std::string_view key, const ByteRange& range) {
  return Intercept<Result<BlobData>>(BlobStoreMethod::kGet,
                                     [&] { return BlobStoreWrapper::Get(key, range); });
}

Result<BlobInfo> FaultInjectingBlobStore::Head(std::string_view key) {
  return Intercept<Result<BlobInfo>>(BlobStoreMethod::kHead,
                                     [&] { return BlobStoreWrapper::Head(key); });
}

Status FaultInjectingBlobStore::Delete(std::string_view key) {
  return Intercept<Status>(BlobStoreMethod::kDelete, [&] { return BlobStoreWrapper::Delete(key); });
}

Result<ListPage> FaultInjectingBlobStore::List(std::string_view prefix,
                                               std::string_view start_after, size_t limit) {
  return Intercept<Result<ListPage>>(
      BlobStoreMethod::kList, [&] { return BlobStoreWrapper::List(prefix, start_after, limit); });
}

Status FaultInjectingBlobStore::Ping() {
  return Intercept<Status>(BlobStoreMethod::kPing, [&] { return BlobStoreWrapper::Ping(); });
}

}  // namespace gallery::storage::testing
