#include "storage/s3/xml.hpp"

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <sstream>

namespace gallery::storage::s3 {
namespace {

namespace pt = boost::property_tree;

XmlElement Convert(const std::string& name, const pt::ptree& tree) {
  XmlElement element;
  element.name = name;
  element.text = tree.data();
  for (const auto& [child_name, child] : tree) {
    if (child_name == "<xmlattr>" || child_name == "<xmlcomment>") continue;
    element.children.push_back(Convert(child_name, child));
  }
  return element;
}

}  // namespace

const XmlElement* XmlElement::Child(std::string_view child_name) const {
  for (const XmlElement& child : children) {
    if (child.name == child_name) return &child;
  }
  return nullptr;
}

std::string XmlElement::ChildText(std::string_view child_name) const {
  const XmlElement* child = Child(child_name);
  return child == nullptr ? std::string() : child->text;
}

std::vector<const XmlElement*> XmlElement::Children(std::string_view child_name) const {
  std::vector<const XmlElement*> out;
  for (const XmlElement& child : children) {
    if (child.name == child_name) out.push_back(&child);
  }
  return out;
}

Result<XmlElement> ParseXml(std::string_view document) {
  std::istringstream in{std::string(document)};
  pt::ptree tree;
  try {
    pt::read_xml(in, tree);
  } catch (const pt::xml_parser_error& e) {
    return Status::Internal(std::string("malformed XML: ") + e.what());
  }
  for (const auto& [name, child] : tree) {
    if (name == "<xmlcomment>" || name == "<xmlattr>") continue;
    return Convert(name, child);
  }
  return Status::Internal("malformed XML: no root element");
}

}  // namespace gallery::storage::s3
