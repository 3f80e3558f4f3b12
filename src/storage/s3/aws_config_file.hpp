#pragma once

// The AWS shared files: ~/.aws/credentials and ~/.aws/config (INI).
//   credentials: "[name]" sections.
//   config:      "[default]" or "[profile name]" sections; other kinds of
//                section ("[sso-session x]", "[services x]") are skipped.
// Keys are case-insensitive (stored lower-case), "key = value" or
// "key: value"; lines starting with '#' or ';' are comments; indented lines
// continue a key with nested settings and are ignored here.

#include <map>
#include <string>
#include <string_view>

namespace gallery::storage::s3 {

enum class AwsFileKind { kCredentials, kConfig };

// Profile name -> (lower-case key -> value). Later duplicates win.
using AwsProfiles = std::map<std::string, std::map<std::string, std::string>>;

AwsProfiles ParseAwsSharedFile(std::string_view text, AwsFileKind kind);

}  // namespace gallery::storage::s3
