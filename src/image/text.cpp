#include "image/text.hpp"

#include <optional>
#include <vector>

namespace gallery::image::internal {
namespace {

// Decodes strict UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
// nullopt if any byte sequence is invalid.
std::optional<std::vector<char32_t>> DecodeUtf8(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    size_t length;
    char32_t cp;
    char32_t min;
    if (b0 < 0x80) {
      out.push_back(b0);
      ++i;
      continue;
    } else if ((b0 & 0xE0) == 0xC0) {
      length = 2, cp = b0 & 0x1F, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
      length = 3, cp = b0 & 0x0F, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
      length = 4, cp = b0 & 0x07, min = 0x10000;
    } else {
      return std::nullopt;
    }
    if (i + length > s.size()) return std::nullopt;
    for (size_t k = 1; k < length; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    out.push_back(cp);
    i += length;
  }
  return out;
}

bool IsSpace(char32_t cp) { return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r'; }

// Characters that are invisible or change how surrounding text is shown.
bool IsDropped(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) ||     // C0, DEL, C1
         (cp >= 0x202A && cp <= 0x202E) ||              // bidi embeddings/overrides
         (cp >= 0x2066 && cp <= 0x2069) ||              // bidi isolates
         cp == 0x200E || cp == 0x200F ||                // directional marks
         cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF;  // separators, BOM
}

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::string SanitizeText(std::string_view raw, size_t max_bytes) {
  std::optional<std::vector<char32_t>> decoded = DecodeUtf8(raw);
  if (!decoded) {  // Latin-1: every byte is its own code point
    decoded.emplace(raw.begin(), raw.end());
    for (char32_t& cp : *decoded) cp = static_cast<unsigned char>(cp);
  }
  std::string out;
  bool pending_space = false;
  for (char32_t cp : *decoded) {
    if (IsSpace(cp)) {
      pending_space = !out.empty();
      continue;
    }
    if (IsDropped(cp)) continue;
    std::string piece;
    if (pending_space) piece += ' ';
    AppendUtf8(cp, piece);
    if (out.size() + piece.size() > max_bytes) break;
    out += piece;
    pending_space = false;
  }
  return out;
}

}  // namespace gallery::image::internal
