#pragma once

// UploadStaging: where the bytes of a resumable upload wait until the whole
// file has arrived. Appends come in pieces of any size, possibly through
// different instances and across restarts, so nothing about an upload is
// held in memory between calls: what the staging needs to continue is
// either derivable from the upload id or returned as a `state` string that
// the caller records in the database (UploadStore's staging_state) and
// passes back on the next call.
//
// The caller serialises writes: at most one Append (or Remove) per upload at
// a time, which the upload's claim in the database guarantees across
// instances. Bytes are committed in steps: after each step Append calls the
// caller's `commit` with the offset reached and the state to record, and the
// bytes up to a committed offset stay readable until Remove. Whatever a
// failed or crashed step left past the last committed offset is ignored and
// overwritten by the next Append.
//
// Implementations: NewLocalUploadStaging (local/local_upload_staging.hpp),
// a file per upload under the data directory; NewS3UploadStaging
// (s3/s3_upload_staging.hpp), an S3 multipart upload per upload. Both pass
// one conformance suite (upload_staging_conformance_testing.hpp).
//
// Thread safety: safe for concurrent use on different uploads. Methods
// block (disk or network): call them from a blocking pool.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "common/status.hpp"

namespace gallery::storage {

// The bytes of one append: a view of memory, or the first `size` bytes of a
// local file (a spooled request body). Never copied whole into memory.
struct UploadBytes {
  std::string_view memory;     // used when `file` is empty
  std::filesystem::path file;  // non-empty: the bytes are in this file
  uint64_t size = 0;

  static UploadBytes InMemory(std::string_view bytes) { return {bytes, {}, bytes.size()}; }
  static UploadBytes InFile(std::filesystem::path file, uint64_t size) {
    return {{}, std::move(file), size};
  }
  bool in_file() const { return !file.empty(); }
};

// Reads `length` bytes of `bytes` from `offset` into `out` (resized), from
// memory or with pread. kIoError when the file is shorter.
Status ReadUploadBytes(const UploadBytes& bytes, uint64_t offset, size_t length, std::string* out);

// An upload as last committed.
struct StagedUpload {
  std::string id;       // UploadStaging::ValidUploadId
  uint64_t length = 0;  // the whole file's size
  uint64_t offset = 0;  // bytes committed so far
  std::string state;    // as last committed; "" before the first byte
};

// Records a step: the upload now holds `new_offset` committed bytes and the
// staging's state is `new_state`. Called in increasing order of new_offset
// (a step may also record a new state at the same offset).
using CommitStaged = std::function<Status(uint64_t new_offset, const std::string& new_state)>;

// The whole file in one local file.
struct AssembledUpload {
  std::filesystem::path path;  // exactly `length` bytes
  // true: a copy made for the caller, who deletes it when done. false: the
  // staging's own file, removed by Remove.
  bool temporary = false;
};

class UploadStaging {
 public:
  virtual ~UploadStaging() = default;

  // True for ids made of 1..64 characters of [A-Za-z0-9_-] (what NewId
  // makes). Every method refuses other ids with kInvalidArgument.
  static bool ValidUploadId(std::string_view id);

  // Appends `bytes` (1 .. length - offset of them) after the upload's first
  // `offset` bytes. Calls `commit` after each step that made more of them
  // durable; the last call reaches offset + bytes.size. When `commit`
  // fails, stops and returns its error. When a step fails, returns that
  // error: the steps committed before it stand, the rest of `bytes` must be
  // appended again. kInvalidArgument (nothing done) for an empty append or
  // one past the length.
  virtual Status Append(const StagedUpload& upload, const UploadBytes& bytes,
                        const CommitStaged& commit) = 0;

  // The whole file as a local file, once every byte is committed
  // (offset == length, else kInvalidArgument). May write a temporary copy
  // in `scratch_dir`. May be called again after a failure, or after it
  // succeeded (e.g. when making the photo failed and is retried).
  virtual Result<AssembledUpload> Assemble(const StagedUpload& upload,
                                           const std::filesystem::path& scratch_dir) = 0;

  // Removes everything staged for the upload, leftovers of failed steps
  // included. `state` is the last committed one ("" if unknown). OK when
  // nothing was there.
  virtual Status Remove(const std::string& upload_id, const std::string& state) = 0;
};

}  // namespace gallery::storage
