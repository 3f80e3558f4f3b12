#include "storage/blob_store.hpp"

#include <string>

namespace gallery::storage {
namespace {

bool IsKeyChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-' || c == '/';
}

// The key for messages: keys are not user input, but a bad one may hold
// anything, so show a bounded, printable form.
std::string Printable(std::string_view key) {
  constexpr size_t kMaxShown = 64;
  std::string out;
  for (size_t i = 0; i < key.size() && i < kMaxShown; ++i) {
    char c = key[i];
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  if (key.size() > kMaxShown) out += "...";
  return out;
}

Status Invalid(std::string_view key, std::string_view reason) {
  return Status::InvalidArgument("invalid blob key \"" + Printable(key) +
                                 "\": " + std::string(reason));
}

}  // namespace

Status ValidateBlobKey(std::string_view key) {
  if (key.empty()) return Invalid(key, "empty");
  if (key.size() > kMaxBlobKeyLength) return Invalid(key, "too long");
  for (char c : key) {
    if (!IsKeyChar(c)) return Invalid(key, "character outside [A-Za-z0-9._/-]");
  }
  if (key.front() == '/') return Invalid(key, "leading \"/\"");
  if (key.back() == '/') return Invalid(key, "trailing \"/\"");
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = key.find('/', start);
    if (end == std::string_view::npos) end = key.size();
    std::string_view segment = key.substr(start, end - start);
    if (segment.empty()) return Invalid(key, "empty segment");
    if (segment == "." || segment == "..") return Invalid(key, "\".\" or \"..\" segment");
    if (segment.size() > kMaxBlobKeySegmentLength) return Invalid(key, "segment too long");
    start = end + 1;
  }
  return Status::Ok();
}

}  // namespace gallery::storage
