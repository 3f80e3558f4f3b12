#pragma once

// A directory of static files (the built web UI) loaded into memory once at
// start and served from there: strong ETags, 304 on If-None-Match, and the
// precompressed `.br` / `.gz` siblings a build emits, chosen by
// Accept-Encoding. Nothing touches the disk after Load().

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.hpp"
#include "http/message.hpp"

namespace gallery::http {

// One file with its precompressed variants (null when the build made none).
struct StaticFile {
  std::string content_type;
  std::string etag;  // strong, quoted; the encoded variants append "-br"/"-gz"
  std::shared_ptr<const std::string> identity;
  std::shared_ptr<const std::string> brotli;
  std::shared_ptr<const std::string> gzip;
};

enum class ContentCoding { kIdentity, kBrotli, kGzip };

// The coding to send for `accept_encoding` (the request header, "" when
// absent) among those available: br before gzip before identity, honouring
// q-values ("gzip;q=0" refuses gzip, "*" stands for any coding not listed).
// Identity is the answer when nothing better is acceptable.
ContentCoding ChooseContentCoding(std::string_view accept_encoding, bool have_brotli,
                                  bool have_gzip);

// The Content-Type for a file name by its extension ("application/octet-stream"
// when unknown). Text types carry "; charset=utf-8".
std::string ContentTypeForPath(std::string_view path);

class StaticAssets {
 public:
  struct Limits {
    uint64_t max_file_bytes = 32ull << 20;
    uint64_t max_total_bytes = 128ull << 20;
  };

  // Reads every regular file under `root` (recursively, not following
  // symbolic links to directories). `name.br` and `name.gz` become the
  // variants of `name` when it exists. Errors: kNotFound when `root` is not
  // a directory or has no index.html; kInvalidArgument when a file or the
  // whole tree is over `limits` (a web root pointed at the wrong place);
  // kIoError when a file cannot be read.
  static Result<StaticAssets> Load(const std::filesystem::path& root, Limits limits);
  static Result<StaticAssets> Load(const std::filesystem::path& root) {
    return Load(root, Limits{});
  }

  // The file at `relative` ("index.html", "assets/app-1234.js"), or null.
  // Thread-safe (read-only after Load).
  const StaticFile* Find(std::string_view relative) const;

  // Every relative path, sorted.
  const std::map<std::string, StaticFile, std::less<>>& files() const { return files_; }
  const std::filesystem::path& root() const { return root_; }
  uint64_t total_bytes() const { return total_bytes_; }

 private:
  std::filesystem::path root_;
  std::map<std::string, StaticFile, std::less<>> files_;
  uint64_t total_bytes_ = 0;
};

// A 200 (or 304 when If-None-Match matches) answer with `file`'s bytes in
// the best coding the request accepts, its ETag, `cache_control`, and
// `Vary: Accept-Encoding` when the file has encoded variants.
Response StaticFileResponse(const Request& request, const StaticFile& file,
                            std::string_view cache_control);

}  // namespace gallery::http
