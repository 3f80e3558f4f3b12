#include "http/static_assets.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <system_error>
#include <vector>

#include "common/ascii.hpp"
#include "common/crypto.hpp"
#include "http/responses.hpp"

namespace gallery::http {
namespace {

namespace fs = std::filesystem;

// "q=0.5" → 0.5; anything unparsable counts as 1 (lenient, like browsers).
double ParseQ(std::string_view params) {
  while (!params.empty()) {
    size_t semi = params.find(';');
    std::string_view param = TrimBlanks(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    if (param.size() < 2 || (param[0] != 'q' && param[0] != 'Q') || param[1] != '=') continue;
    std::string_view value = param.substr(2);
    double q = 1;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), q);
    if (ec != std::errc() || q < 0 || q > 1) return 1;
    return q;
  }
  return 1;
}

Result<std::string> ReadWholeFile(const fs::path& path, uint64_t size) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot open " + path.string());
  std::string bytes(size, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (in.gcount() != static_cast<std::streamsize>(size)) {
    return Status::IoError("short read of " + path.string());
  }
  return bytes;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

ContentCoding ChooseContentCoding(std::string_view accept_encoding, bool have_brotli,
                                  bool have_gzip) {
  std::optional<double> br, gzip, star;
  std::string_view rest = accept_encoding;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    size_t semi = item.find(';');
    std::string coding = AsciiLower(TrimBlanks(item.substr(0, semi)));
    double q = semi == std::string_view::npos ? 1 : ParseQ(item.substr(semi + 1));
    if (coding == "br") {
      br = q;
    } else if (coding == "gzip" || coding == "x-gzip") {
      gzip = q;
    } else if (coding == "*") {
      star = q;
    }
  }
  // A coding the client did not list is acceptable only through "*".
  const double q_br = have_brotli ? br.value_or(star.value_or(0)) : 0;
  const double q_gzip = have_gzip ? gzip.value_or(star.value_or(0)) : 0;
  if (q_br > 0 && q_br >= q_gzip) return ContentCoding::kBrotli;
  if (q_gzip > 0) return ContentCoding::kGzip;
  return ContentCoding::kIdentity;
}

std::string ContentTypeForPath(std::string_view path) {
  static const std::map<std::string, std::string, std::less<>> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".txt", "text/plain; charset=utf-8"},
      {".xml", "application/xml"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".avif", "image/avif"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".wasm", "application/wasm"},
  };
  size_t slash = path.rfind('/');
  size_t dot = path.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) {
    return "application/octet-stream";
  }
  auto it = kTypes.find(AsciiLower(path.substr(dot)));
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

Result<StaticAssets> StaticAssets::Load(const fs::path& root, Limits limits) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    return Status::NotFound(root.string() + " is not a directory");
  }
  StaticAssets assets;
  assets.root_ = fs::absolute(root, ec);
  if (ec) assets.root_ = root;

  // Every file first, so that variants can be attached whatever the order.
  std::map<std::string, std::string, std::less<>> raw;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
  if (ec) return Status::IoError("cannot list " + root.string() + ": " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return Status::IoError("cannot list " + root.string() + ": " + ec.message());
    if (!it->is_regular_file(ec)) continue;
    const uint64_t size = it->file_size(ec);
    if (ec) return Status::IoError("cannot stat " + it->path().string() + ": " + ec.message());
    std::string relative = it->path().lexically_relative(root).generic_string();
    if (size > limits.max_file_bytes) {
      return Status::InvalidArgument(it->path().string() + " is larger than " +
                                     std::to_string(limits.max_file_bytes) +
                                     " bytes: is this the built web UI?");
    }
    assets.total_bytes_ += size;
    if (assets.total_bytes_ > limits.max_total_bytes) {
      return Status::InvalidArgument(root.string() + " holds more than " +
                                     std::to_string(limits.max_total_bytes) +
                                     " bytes: is this the built web UI?");
    }
    Result<std::string> bytes = ReadWholeFile(it->path(), size);
    if (!bytes.ok()) return bytes.status();
    raw.emplace(std::move(relative), std::move(*bytes));
  }
  if (raw.find("index.html") == raw.end()) {
    return Status::NotFound(root.string() + " has no index.html");
  }

  for (auto& [path, bytes] : raw) {
    const bool variant = EndsWith(path, ".br") || EndsWith(path, ".gz");
    if (variant && raw.count(path.substr(0, path.size() - 3)) != 0) continue;
    StaticFile file;
    file.content_type = ContentTypeForPath(path);
    file.etag = "\"" + Sha256Hex(bytes).substr(0, 32) + "\"";
    file.identity = std::make_shared<const std::string>(bytes);
    if (auto br = raw.find(path + ".br"); br != raw.end()) {
      file.brotli = std::make_shared<const std::string>(br->second);
    }
    if (auto gz = raw.find(path + ".gz"); gz != raw.end()) {
      file.gzip = std::make_shared<const std::string>(gz->second);
    }
    assets.files_.emplace(path, std::move(file));
  }
  return assets;
}

const StaticFile* StaticAssets::Find(std::string_view relative) const {
  auto it = files_.find(relative);
  return it == files_.end() ? nullptr : &it->second;
}

Response StaticFileResponse(const Request& request, const StaticFile& file,
                            std::string_view cache_control) {
  namespace field = beast_http;
  const ContentCoding coding = ChooseContentCoding(request.Header("Accept-Encoding"),
                                                   file.brotli != nullptr, file.gzip != nullptr);
  std::string etag = file.etag;
  std::shared_ptr<const std::string> body = file.identity;
  const char* encoding = nullptr;
  if (coding == ContentCoding::kBrotli) {
    etag.insert(etag.size() - 1, "-br");
    body = file.brotli;
    encoding = "br";
  } else if (coding == ContentCoding::kGzip) {
    etag.insert(etag.size() - 1, "-gz");
    body = file.gzip;
    encoding = "gzip";
  }

  Response r;
  if (IfNoneMatchHits(request, etag)) {
    r.msg.result(HttpStatus::not_modified);
  } else {
    r.msg.result(HttpStatus::ok);
    r.msg.set(field::field::content_type, file.content_type);
    if (encoding != nullptr) r.msg.set(field::field::content_encoding, encoding);
    r.shared_body = std::move(body);
  }
  r.msg.set(field::field::etag, etag);
  r.msg.set(field::field::cache_control, cache_control);
  if (file.brotli || file.gzip) r.msg.set(field::field::vary, "Accept-Encoding");
  r.msg.set("X-Content-Type-Options", "nosniff");
  return r;
}

}  // namespace gallery::http
