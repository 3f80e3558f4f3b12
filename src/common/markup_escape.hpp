#pragma once

#include <string>
#include <string_view>

namespace gallery {

// Escapes & < > " ' for text and attribute values of HTML and XML alike
// (the apostrophe as &#39;, which both understand).
std::string EscapeMarkup(std::string_view text);

}  // namespace gallery
