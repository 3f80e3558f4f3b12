#pragma once

// Percent-encoding as SigV4 and S3 define it: every byte except the
// unreserved characters A-Z a-z 0-9 - _ . ~ becomes %XY (upper-case hex).

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace gallery::storage::s3 {

// Encodes `text`; '/' is kept as is when `keep_slash` (object key paths) and
// encoded otherwise (query names and values).
std::string UriEncode(std::string_view text, bool keep_slash);

// Decodes %XY sequences; '+' stays '+'. A '%' not followed by two hex digits
// is kept literally (lenient, like browsers and S3).
std::string UriDecode(std::string_view text);

// "a=1&b=x%2Fy" with each name and value UriEncode'd; values in order given.
// Used for application/x-www-form-urlencoded bodies (STS).
std::string FormEncode(std::initializer_list<std::pair<std::string_view, std::string_view>> fields);

}  // namespace gallery::storage::s3
