#include "http/forwarded.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/beast/core/string.hpp>
#include <vector>

#include "common/ascii.hpp"

namespace gallery::http {
bool ForwardedHttps(const Fields& headers) {
  auto it = headers.find("X-Forwarded-Proto");
  if (it == headers.end()) return false;
  std::string_view value = it->value();
  return boost::beast::iequals(TrimBlanks(value.substr(0, value.find(','))), "https");
}

std::string ClientAddress(std::string_view peer, const Fields& headers, int trusted_hops) {
  if (trusted_hops <= 0) return std::string(peer);
  // Several header lines count as one comma-separated list (RFC 9110 5.3).
  std::vector<std::string_view> entries;
  auto [first, last] = headers.equal_range("X-Forwarded-For");
  for (auto field = first; field != last; ++field) {
    std::string_view list = field->value();
    while (true) {
      size_t comma = list.find(',');
      entries.push_back(TrimBlanks(list.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
  }
  if (entries.empty()) return std::string(peer);
  const size_t hops = static_cast<size_t>(trusted_hops);
  std::string_view client =
      entries.size() >= hops ? entries[entries.size() - hops] : entries.front();
  boost::system::error_code ec;
  boost::asio::ip::address address = boost::asio::ip::make_address(std::string(client), ec);
  if (ec) return std::string(peer);
  return address.to_string();
}

}  // namespace gallery::http
