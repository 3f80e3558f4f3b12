#pragma once

// Just enough XML for S3 and STS answers: parse a document into a tree of
// elements (attributes, comments and the declaration are dropped), and
// escape text for the few request bodies we build.

#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"

namespace gallery::storage::s3 {

struct XmlElement {
  std::string name;  // local name as written, e.g. "ListBucketResult"
  std::string text;  // character data directly inside the element (entities decoded)
  std::vector<XmlElement> children;

  // The first child named `child_name`, or nullptr.
  const XmlElement* Child(std::string_view child_name) const;
  // The first child's text, or "" when there is no such child.
  std::string ChildText(std::string_view child_name) const;
  // Every child named `child_name`, in document order.
  std::vector<const XmlElement*> Children(std::string_view child_name) const;
};

// The root element of `document`; kInternal with the parser's reason when
// it is not well-formed XML.
Result<XmlElement> ParseXml(std::string_view document);

}  // namespace gallery::storage::s3
