#pragma once

// BlobStore on a local directory, for the embedded (single instance) shape.
//
// Key "photos/x/original" is the file <root>/photos/x/original: the tree can
// be backed up, inspected and served with ordinary tools. Directories are
// created on Put and empty ones removed on Delete. A Put writes a temporary
// file in the target's directory, fsyncs it, renames it over the target and
// fsyncs the directory, so a reader or a crash sees either the old or the
// whole new object. Temporary files are named ".~tmp-<random>": "~" never
// appears in a key, so they cannot collide with an object, and List skips
// them (as it skips anything else that is not a valid key segment, and
// symbolic links). A crash can leave temporary files behind; nothing reads
// them, and they are safe to remove when no Put is running.
//
// Delete is not fsynced: after a power loss a deleted object may come back
// (the sweeper of orphaned blobs removes it again). The content type of
// PutOptions is not kept. PresignGet returns nullopt. Files get mode 0644
// whatever the umask; directories 0755 less the umask.

#include <filesystem>
#include <memory>

#include "common/status.hpp"
#include "storage/blob_store.hpp"

namespace gallery::storage {

// Opens the store rooted at `root` (made absolute against the current
// directory now), creating the directory and its parents if missing.
// Returns kInvalidArgument if `root` is empty or exists but is not a
// directory, and the file system's error (usually kIoError) if it cannot be
// created or a file cannot be created in it. The store is safe for
// concurrent use; it keeps no state besides the files, so several stores
// (or processes) may share one root.
Result<std::unique_ptr<BlobStore>> NewLocalBlobStore(const std::filesystem::path& root);

}  // namespace gallery::storage
