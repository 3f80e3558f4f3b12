#include "storage/s3/aws_config_file.hpp"

#include <algorithm>
#include <cctype>

namespace gallery::storage::s3 {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

// The profile a section header names, or "" when it names none.
std::string ProfileOfSection(std::string_view section, AwsFileKind kind) {
  section = Trim(section);
  if (kind == AwsFileKind::kCredentials) return std::string(section);
  if (section == "default") return "default";
  if (section.starts_with("profile") && section.size() > 7 &&
      std::isspace(static_cast<unsigned char>(section[7]))) {
    return std::string(Trim(section.substr(7)));
  }
  return "";
}

}  // namespace

AwsProfiles ParseAwsSharedFile(std::string_view text, AwsFileKind kind) {
  AwsProfiles profiles;
  std::map<std::string, std::string>* current = nullptr;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view raw = text.substr(start, end - start);
    start = end + 1;
    const std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (std::isspace(static_cast<unsigned char>(raw.front()))) continue;  // nested setting
    if (line.front() == '[') {
      const size_t close = line.find(']');
      const std::string profile =
          close == std::string_view::npos ? "" : ProfileOfSection(line.substr(1, close - 1), kind);
      current = profile.empty() ? nullptr : &profiles[profile];
      continue;
    }
    if (current == nullptr) continue;
    const size_t delimiter = line.find_first_of("=:");
    if (delimiter == std::string_view::npos) continue;
    std::string key(Trim(line.substr(0, delimiter)));
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    (*current)[key] = std::string(Trim(line.substr(delimiter + 1)));
  }
  return profiles;
}

}  // namespace gallery::storage::s3
