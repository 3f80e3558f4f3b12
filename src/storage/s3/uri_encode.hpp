#pragma once

// Percent-encoding as SigV4 and S3 define it: every byte except the
// unreserved characters A-Z a-z 0-9 - _ . ~ becomes %XY (upper-case hex).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gallery::storage::s3 {

// Encodes `text`; '/' is kept as is when `keep_slash` (object key paths) and
// encoded otherwise (query names and values).
std::string UriEncode(std::string_view text, bool keep_slash);

// Decodes %XY sequences. '+' stays '+' unless `plus_as_space` (S3's
// encoding-type=url listings encode a space as '+'). A '%' not followed by
// two hex digits is kept literally.
std::string UriDecode(std::string_view text, bool plus_as_space = false);

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// "a=1&b=x%2Fy": each name and value UriEncode'd (slashes too), in the order
// given. For query strings and application/x-www-form-urlencoded bodies.
std::string EncodeQuery(const QueryParams& params);

}  // namespace gallery::storage::s3
