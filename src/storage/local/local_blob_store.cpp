#include "storage/local/local_blob_store.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <functional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "common/crypto.hpp"
#include "storage/local/posix_file.hpp"

namespace gallery::storage {
namespace {

namespace fs = std::filesystem;
using posix::UniqueFd;

// Names of temporary files. "~" is outside the key alphabet, so no key
// segment can equal or collide with such a name.
constexpr std::string_view kTempPrefix = ".~tmp-";
constexpr mode_t kFileMode = 0644;
constexpr mode_t kDirectoryMode = 0755;
// How often a Put recreates its directory when a concurrent Delete of the
// last object there removes it between mkdir and open. Each retry needs
// another Delete to win the same narrow race.
constexpr int kMaxDirectoryAttempts = 8;

std::string TempName() { return std::string(kTempPrefix) + HexEncode(RandomBytes(8)); }

Status Conflict(std::string_view key, std::string_view why) {
  return Status(ErrorCode::kConflict,
                "cannot store blob \"" + std::string(key) + "\": " + std::string(why));
}

// Status::FromErrno for a failed write step. ENOENT there means the root or a
// directory vanished under the store, not "no object": report it as I/O.
Status WriteError(int err, std::string_view context) {
  Status status = Status::FromErrno(err, context);
  if (status.code() == ErrorCode::kNotFound) return Status::IoError(status.message());
  return status;
}

Status NoObject(std::string_view key) {
  return Status::NotFound("no blob \"" + std::string(key) + "\"");
}

// The errors that mean "no object under this key": the file or one of its
// directories is missing, or a directory component is a file.
bool IsMissing(int err) { return err == ENOENT || err == ENOTDIR; }

// A directory entry as List orders it: within one directory, sorting by
// `sort_name` (the name, plus "/" for a directory) sorts every key below the
// entries bytewise.
struct ListEntry {
  std::string sort_name;
  bool is_directory = false;
};

class LocalBlobStore final : public BlobStore {
 public:
  explicit LocalBlobStore(fs::path root) : root_(std::move(root)) {}

  Status Put(std::string_view key, std::string_view bytes, const PutOptions& options) override;
  Status PutFile(std::string_view key, const fs::path& source, const PutOptions& options) override;
  Result<BlobData> Get(std::string_view key, const ByteRange& range) override;
  Result<BlobInfo> Head(std::string_view key) override;
  Status Delete(std::string_view key) override;
  Result<ListPage> List(std::string_view prefix, std::string_view start_after,
                        size_t limit) override;
  Status Ping() override;

 private:
  // REQUIRES: ValidateBlobKey(key) is OK, so the path stays below root_.
  fs::path PathFor(std::string_view key) const { return root_ / fs::path(key); }

  // Replaces the object under `key` with what `fill` writes to a fresh
  // temporary file (given its descriptor and path). REQUIRES: key is valid.
  Status WriteAtomically(std::string_view key,
                         const std::function<Status(int fd, const fs::path& path)>& fill);
  // Creates the directories above `key` that are missing, fsyncing the
  // parent of each one created.
  Status CreateParentDirectories(std::string_view key);
  // Removes the directories above `key` that are empty, deepest first,
  // stopping at the first that is not (or at root_). Best effort.
  void RemoveEmptyParentDirectories(std::string_view key);
  // Appends to *out, in key order, the objects below the directory whose key
  // prefix is `dir_key` ("" for root_, else ending in "/") that match
  // `prefix` and follow `start_after`, until *out holds `want` entries.
  Status ListDirectory(const std::string& dir_key, std::string_view prefix,
                       std::string_view start_after, size_t want, std::vector<BlobInfo>* out);

  const fs::path root_;  // absolute, normalized
};

Status LocalBlobStore::Put(std::string_view key, std::string_view bytes, const PutOptions&) {
  GALLERY_RETURN_IF_ERROR(ValidateBlobKey(key));
  return WriteAtomically(
      key, [bytes](int fd, const fs::path& path) { return posix::WriteAll(fd, bytes, path); });
}

Status LocalBlobStore::PutFile(std::string_view key, const fs::path& source, const PutOptions&) {
  GALLERY_RETURN_IF_ERROR(ValidateBlobKey(key));
  UniqueFd in(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in.valid()) return Status::FromErrno(errno, "open source " + source.string());
  struct stat st;
  if (::fstat(in.get(), &st) != 0) return Status::FromErrno(errno, "stat " + source.string());
  if (!S_ISREG(st.st_mode)) {
    return Status::InvalidArgument("source " + source.string() + " is not a regular file");
  }
  return WriteAtomically(key, [&](int fd, const fs::path& path) {
    return posix::CopyToEnd(in.get(), source, fd, path);
  });
}

Status LocalBlobStore::WriteAtomically(
    std::string_view key, const std::function<Status(int fd, const fs::path& path)>& fill) {
  const fs::path target = PathFor(key);
  const fs::path dir = target.parent_path();
  fs::path temp;
  UniqueFd fd;
  for (int attempt = 1; !fd.valid(); ++attempt) {
    temp = dir / TempName();
    fd = UniqueFd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kFileMode));
    if (fd.valid()) break;
    int err = errno;
    if (err == ENOTDIR) return Conflict(key, "a parent of it is an object");
    if (err == EEXIST) continue;  // a random name taken: draw another
    if (err != ENOENT || attempt == kMaxDirectoryAttempts) {
      return WriteError(err, "create " + temp.string());
    }
    // The directory is missing: never created, or removed by a concurrent
    // Delete of its last object. (Re)create it and try again.
    GALLERY_RETURN_IF_ERROR(CreateParentDirectories(key));
  }

  // From here on, the temporary file goes away unless it became the object.
  bool renamed = false;
  struct RemoveTemp {
    const fs::path& path;
    const bool& renamed;
    ~RemoveTemp() {
      if (!renamed) ::unlink(path.c_str());
    }
  } remove_temp{temp, renamed};

  // The mode is exact whatever the process umask.
  if (::fchmod(fd.get(), kFileMode) != 0) return Status::FromErrno(errno, "chmod " + temp.string());
  GALLERY_RETURN_IF_ERROR(fill(fd.get(), temp));
  if (::fsync(fd.get()) != 0) return Status::FromErrno(errno, "fsync " + temp.string());
  GALLERY_RETURN_IF_ERROR(fd.Close(temp));

  if (::rename(temp.c_str(), target.c_str()) != 0) {
    int err = errno;
    if (err != EISDIR && err != ENOTEMPTY && err != EEXIST) {
      return WriteError(err, "rename to " + target.string());
    }
    // The key is a directory. If it is empty (left by a Delete that lost a
    // race), it holds no object: remove it and retry once.
    if (::rmdir(target.c_str()) != 0) return Conflict(key, "objects exist below it");
    if (::rename(temp.c_str(), target.c_str()) != 0) {
      return WriteError(errno, "rename to " + target.string());
    }
  }
  renamed = true;
  return posix::FsyncDirectory(dir);
}

Status LocalBlobStore::CreateParentDirectories(std::string_view key) {
  for (int attempt = 1;; ++attempt) {
    fs::path dir = root_;
    bool vanished = false;
    for (size_t start = 0, slash; (slash = key.find('/', start)) != std::string_view::npos;
         start = slash + 1) {
      dir /= fs::path(key.substr(start, slash - start));
      if (::mkdir(dir.c_str(), kDirectoryMode) == 0) {
        GALLERY_RETURN_IF_ERROR(posix::FsyncDirectory(dir.parent_path()));
        continue;
      }
      int err = errno;
      // EEXIST: a directory (fine) or a file (found by the next mkdir or the
      // open, as ENOTDIR).
      if (err == EEXIST) continue;
      if (err == ENOTDIR) return Conflict(key, "a parent of it is an object");
      if (err == ENOENT && attempt < kMaxDirectoryAttempts) {
        vanished = true;  // a concurrent Delete removed a parent: start over
        break;
      }
      return WriteError(err, "create directory " + dir.string());
    }
    if (!vanished) return Status::Ok();
  }
}

void LocalBlobStore::RemoveEmptyParentDirectories(std::string_view key) {
  // Count the levels instead of comparing paths, so that no spelling of
  // root_ can make this climb above it.
  fs::path dir = PathFor(key).parent_path();
  for (size_t levels = std::count(key.begin(), key.end(), '/'); levels > 0; --levels) {
    // Fails with ENOTEMPTY when an object or a Put's temporary file is there.
    if (::rmdir(dir.c_str()) != 0) return;
    dir = dir.parent_path();
  }
}

Result<BlobData> LocalBlobStore::Get(std::string_view key, const ByteRange& range) {
  GALLERY_RETURN_IF_ERROR(ValidateBlobKey(key));
  const fs::path path = PathFor(key);
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    if (IsMissing(errno)) return NoObject(key);
    return Status::FromErrno(errno, "open " + path.string());
  }
  // The descriptor pins this version: a concurrent Put renames a new file
  // over the name, and this one stays whole until closed.
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return Status::FromErrno(errno, "stat " + path.string());
  if (!S_ISREG(st.st_mode)) return NoObject(key);
  BlobData data;
  data.total_size = static_cast<uint64_t>(st.st_size);
  if (data.total_size == 0) return data;
  if (range.offset >= data.total_size) {
    return Status(ErrorCode::kRangeNotSatisfiable,
                  "offset " + std::to_string(range.offset) + " is past the end of blob \"" +
                      std::string(key) + "\" (" + std::to_string(data.total_size) + " bytes)");
  }
  uint64_t length = data.total_size - range.offset;
  if (range.length && *range.length < length) length = *range.length;
  GALLERY_RETURN_IF_ERROR(
      posix::ReadExactlyAt(fd.get(), range.offset, static_cast<size_t>(length), &data.bytes, path));
  return data;
}

Result<BlobInfo> LocalBlobStore::Head(std::string_view key) {
  GALLERY_RETURN_IF_ERROR(ValidateBlobKey(key));
  const fs::path path = PathFor(key);
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (IsMissing(errno)) return NoObject(key);
    return Status::FromErrno(errno, "stat " + path.string());
  }
  if (!S_ISREG(st.st_mode)) return NoObject(key);
  return BlobInfo{std::string(key), static_cast<uint64_t>(st.st_size), posix::ModificationTime(st)};
}

Status LocalBlobStore::Delete(std::string_view key) {
  GALLERY_RETURN_IF_ERROR(ValidateBlobKey(key));
  const fs::path path = PathFor(key);
  if (::unlink(path.c_str()) != 0) {
    // EISDIR: the key names a directory of other objects, not an object.
    if (IsMissing(errno) || errno == EISDIR) return Status::Ok();
    return Status::FromErrno(errno, "delete " + path.string());
  }
  RemoveEmptyParentDirectories(key);
  return Status::Ok();
}

Result<ListPage> LocalBlobStore::List(std::string_view prefix, std::string_view start_after,
                                      size_t limit) {
  if (limit == 0) return Status::InvalidArgument("List limit must be positive");
  ListPage page;
  // Every match lies below the directory that `prefix` names up to its last
  // "/"; start there. If that is not a valid key, no key can match.
  std::string dir_key;
  if (size_t slash = prefix.rfind('/'); slash != std::string_view::npos) {
    if (!ValidateBlobKey(prefix.substr(0, slash)).ok()) return page;
    dir_key = std::string(prefix.substr(0, slash + 1));
  }
  // One more than asked, to learn whether more follow.
  GALLERY_RETURN_IF_ERROR(ListDirectory(dir_key, prefix, start_after, limit + 1, &page.blobs));
  if (page.blobs.size() > limit) {
    page.blobs.resize(limit);
    page.next_start_after = page.blobs.back().key;
  }
  return page;
}

Status LocalBlobStore::ListDirectory(const std::string& dir_key, std::string_view prefix,
                                     std::string_view start_after, size_t want,
                                     std::vector<BlobInfo>* out) {
  const fs::path dir = dir_key.empty() ? root_ : PathFor(dir_key.substr(0, dir_key.size() - 1));
  std::vector<ListEntry> entries;
  {
    DIR* stream = ::opendir(dir.c_str());
    if (stream == nullptr) {
      if (IsMissing(errno)) return Status::Ok();  // removed by a concurrent Delete
      return Status::FromErrno(errno, "open directory " + dir.string());
    }
    std::unique_ptr<DIR, int (*)(DIR*)> closer(stream, &::closedir);
    errno = 0;
    while (const dirent* entry = ::readdir(stream)) {
      std::string_view name = entry->d_name;
      // Skips ".", "..", temporary files and anything no key could name.
      if (!ValidateBlobKey(name).ok()) continue;
      unsigned char type = entry->d_type;
      if (type == DT_UNKNOWN) {
        struct stat st;
        if (::lstat((dir / entry->d_name).c_str(), &st) != 0) continue;
        type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
      }
      if (type == DT_DIR) {
        entries.push_back({std::string(name) + "/", true});
      } else if (type == DT_REG) {
        entries.push_back({std::string(name), false});
      }
      errno = 0;
    }
    if (errno != 0) return Status::FromErrno(errno, "read directory " + dir.string());
  }
  std::sort(entries.begin(), entries.end(),
            [](const ListEntry& a, const ListEntry& b) { return a.sort_name < b.sort_name; });

  for (const ListEntry& entry : entries) {
    std::string key = dir_key + entry.sort_name;
    if (entry.is_directory) {
      // Every key below starts with `key` (which ends in "/").
      bool may_match_prefix = key.starts_with(prefix) || prefix.starts_with(key);
      bool may_follow_start =
          !(std::string_view(key) < start_after) || start_after.starts_with(key);
      if (!may_match_prefix || !may_follow_start) continue;
      GALLERY_RETURN_IF_ERROR(ListDirectory(key, prefix, start_after, want, out));
    } else {
      if (!key.starts_with(prefix) || !(start_after < std::string_view(key))) continue;
      const fs::path path = PathFor(key);
      struct stat st;
      if (::lstat(path.c_str(), &st) != 0) {
        if (IsMissing(errno)) continue;  // deleted since the directory was read
        return Status::FromErrno(errno, "stat " + path.string());
      }
      if (!S_ISREG(st.st_mode)) continue;
      out->push_back(
          BlobInfo{std::move(key), static_cast<uint64_t>(st.st_size), posix::ModificationTime(st)});
    }
    if (out->size() >= want) return Status::Ok();
  }
  return Status::Ok();
}

// Creates and removes a file in `root`: the one check that covers a missing
// or replaced directory, permissions, a read-only mount and a full inode
// table.
Status ProbeWritable(const fs::path& root) {
  struct stat st;
  if (::stat(root.c_str(), &st) != 0) return Status::FromErrno(errno, "stat " + root.string());
  if (!S_ISDIR(st.st_mode)) return Status::IoError(root.string() + " is not a directory");
  const fs::path probe = root / TempName();
  UniqueFd fd(::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kFileMode));
  if (!fd.valid()) return Status::FromErrno(errno, "create a file in " + root.string());
  Status closed = fd.Close(probe);
  if (::unlink(probe.c_str()) != 0) return Status::FromErrno(errno, "delete " + probe.string());
  return closed;
}

Status LocalBlobStore::Ping() {
  Status status = ProbeWritable(root_);
  if (status.ok()) return status;
  return Status(ErrorCode::kUnavailable, "local blob store: " + status.message());
}

}  // namespace

Result<std::unique_ptr<BlobStore>> NewLocalBlobStore(const fs::path& root) {
  if (root.empty()) return Status::InvalidArgument("local blob store root is empty");
  std::error_code ec;
  fs::path absolute = fs::absolute(root, ec);
  if (ec) return Status::FromErrno(ec.value(), "resolve " + root.string());
  absolute = absolute.lexically_normal();
  if (!absolute.has_filename() && absolute.has_relative_path()) {
    absolute = absolute.parent_path();  // drop a trailing "/"
  }

  struct stat st;
  if (::stat(absolute.c_str(), &st) != 0) {
    if (errno != ENOENT) return Status::FromErrno(errno, "local blob store root");
    fs::create_directories(absolute, ec);
    if (ec) {
      return Status::FromErrno(ec.value(), "create local blob store root " + absolute.string());
    }
  } else if (!S_ISDIR(st.st_mode)) {
    return Status::InvalidArgument("local blob store root " + absolute.string() +
                                   " is not a directory");
  }
  Status writable = ProbeWritable(absolute);
  if (!writable.ok()) {
    return writable.WithContext("local blob store root " + absolute.string() + " is not usable");
  }
  return std::unique_ptr<BlobStore>(std::make_unique<LocalBlobStore>(std::move(absolute)));
}

}  // namespace gallery::storage
