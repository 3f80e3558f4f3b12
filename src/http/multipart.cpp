#include "http/multipart.hpp"

#include <algorithm>
#include <cctype>

#include "common/ascii.hpp"
#include "http/message.hpp"

namespace gallery::http {
namespace {

Status Malformed(std::string detail) {
  return Status(ErrorCode::kInvalidArgument, "multipart: " + detail,
                "Malformed multipart body: " + detail);
}

// Parses `; key=value; key="quoted"` parameters after the first token.
std::vector<std::pair<std::string, std::string>> HeaderParams(std::string_view value) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t i = value.find(';');
  while (i != std::string_view::npos && i < value.size()) {
    ++i;
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
    size_t eq = value.find('=', i);
    if (eq == std::string_view::npos) break;
    std::string key = AsciiLower(TrimBlanks(value.substr(i, eq - i)));
    size_t j = eq + 1;
    std::string val;
    if (j < value.size() && value[j] == '"') {
      ++j;
      while (j < value.size() && value[j] != '"') {
        // Only \" and \\ are escapes. Browsers send a backslash as it is
        // (HTML5 percent-encodes quotes instead), so "..\x.jpg" must keep its
        // backslash and be refused as a path, not become "..x.jpg".
        if (value[j] == '\\' && j + 1 < value.size() &&
            (value[j + 1] == '"' || value[j + 1] == '\\')) {
          ++j;
        }
        val.push_back(value[j++]);
      }
      i = value.find(';', j);
    } else {
      size_t end = value.find(';', j);
      val = std::string(TrimBlanks(value.substr(j, end == std::string_view::npos ? end : end - j)));
      i = end;
    }
    out.emplace_back(std::move(key), std::move(val));
  }
  return out;
}

}  // namespace

Result<std::string> MultipartBoundary(std::string_view content_type) {
  std::string lower = AsciiLower(content_type.substr(0, content_type.find(';')));
  if (TrimBlanks(lower) != "multipart/form-data") {
    return Status(ErrorCode::kInvalidArgument, "not multipart/form-data",
                  "Expected Content-Type multipart/form-data with file parts named 'file'");
  }
  for (auto& [key, val] : HeaderParams(content_type)) {
    if (key == "boundary" && !val.empty() && val.size() <= 70) return val;
  }
  return Malformed("missing or invalid boundary parameter");
}

Result<std::vector<MultipartPart>> ParseMultipart(std::string_view body, std::string_view boundary,
                                                  size_t max_parts) {
  const std::string delimiter = "--" + std::string(boundary);
  const std::string inner = "\r\n" + delimiter;
  std::vector<MultipartPart> parts;

  // The preamble is ignored; the first delimiter must start a line.
  size_t pos;
  if (body.substr(0, delimiter.size()) == delimiter) {
    pos = delimiter.size();
  } else {
    size_t first = body.find(inner);
    if (first == std::string_view::npos) return Malformed("no boundary found");
    pos = first + inner.size();
  }

  for (;;) {
    // After a delimiter: "--" closes, CRLF starts a part (transport padding allowed).
    if (body.substr(pos, 2) == "--") return parts;
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) != "\r\n") return Malformed("bad delimiter line");
    pos += 2;
    if (parts.size() >= max_parts) return Malformed("too many parts");

    size_t headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos) return Malformed("part headers not terminated");
    std::string_view headers = body.substr(pos, headers_end - pos + 2);
    if (headers.size() > 16 * 1024) return Malformed("part headers too large");

    MultipartPart part;
    bool has_disposition = false;
    size_t line_start = 0;
    while (line_start < headers.size()) {
      size_t line_end = headers.find("\r\n", line_start);
      std::string_view line = headers.substr(line_start, line_end - line_start);
      line_start = line_end + 2;
      if (line.empty()) continue;
      size_t colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0) return Malformed("bad part header line");
      std::string name = AsciiLower(TrimBlanks(line.substr(0, colon)));
      std::string_view value = TrimBlanks(line.substr(colon + 1));
      if (name == "content-disposition") {
        if (AsciiLower(TrimBlanks(value.substr(0, value.find(';')))) != "form-data") {
          return Malformed("part disposition is not form-data");
        }
        has_disposition = true;
        std::optional<std::string> plain_name, ext_name;
        for (auto& [key, val] : HeaderParams(value)) {
          if (key == "name") {
            part.name = val;
          } else if (key == "filename") {
            plain_name = val;
          } else if (key == "filename*") {
            // RFC 5987: charset'lang'percent-encoded
            size_t q = val.find('\'');
            size_t q2 = q == std::string::npos ? q : val.find('\'', q + 1);
            std::string decoded;
            if (q2 != std::string::npos && PercentDecode(val.substr(q2 + 1), &decoded)) {
              ext_name = decoded;
            }
          }
        }
        part.filename = ext_name ? ext_name : plain_name;
      } else if (name == "content-type") {
        part.content_type = std::string(value);
      }
    }
    if (!has_disposition) return Malformed("part without Content-Disposition");

    size_t data_start = headers_end + 4;
    size_t data_end = body.find(inner, data_start);
    if (data_end == std::string_view::npos) return Malformed("closing boundary missing");
    part.data = body.substr(data_start, data_end - data_start);
    parts.push_back(std::move(part));
    pos = data_end + inner.size();
  }
}

}  // namespace gallery::http
