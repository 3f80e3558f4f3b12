#include "http/router.hpp"

namespace gallery::http {
namespace {

template <typename Piece>
std::vector<Piece> SplitPath(std::string_view path) {
  std::vector<Piece> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.emplace_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace

void Router::Add(Verb method, std::string pattern, Handler handler, RouteOptions options) {
  std::vector<std::string> segments = SplitPath<std::string>(pattern);
  entries_.push_back(
      Entry{Route{method, std::move(pattern), std::move(handler), options}, std::move(segments)});
}

bool Router::MatchPattern(const std::vector<std::string>& pattern,
                          const std::vector<std::string_view>& parts, bool trailing_slash,
                          std::map<std::string, std::string>* params) {
  // A trailing slash is not the same resource (except for "/").
  if (trailing_slash) return false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const std::string& p = pattern[i];
    if (p.size() > 3 && p.compare(0, 2, "{*") == 0) {
      std::string rest;
      for (size_t k = i; k < parts.size(); ++k) {
        if (k > i) rest += "/";
        rest += parts[k];
      }
      (*params)[p.substr(2, p.size() - 3)] = rest;
      return true;
    }
    if (i >= parts.size()) return false;
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      (*params)[p.substr(1, p.size() - 2)] = std::string(parts[i]);
    } else if (p != parts[i]) {
      return false;
    }
  }
  return parts.size() == pattern.size();
}

RouteMatch Router::Match(Verb method, std::string_view path) const {
  RouteMatch result;
  const std::vector<std::string_view> parts = SplitPath<std::string_view>(path);
  const bool trailing_slash = path.size() > 1 && path.back() == '/';
  const Entry* get_for_head = nullptr;
  std::map<std::string, std::string> get_params;
  for (const Entry& e : entries_) {
    std::map<std::string, std::string> params;
    if (!MatchPattern(e.segments, parts, trailing_slash, &params)) continue;
    if (e.route.method == method) {
      result.route = &e.route;
      result.params = std::move(params);
      return result;
    }
    if (method == Verb::head && e.route.method == Verb::get && get_for_head == nullptr) {
      get_for_head = &e;
      get_params = std::move(params);
    }
    result.path_known = true;
  }
  if (get_for_head != nullptr) {
    result.route = &get_for_head->route;
    result.params = std::move(get_params);
  }
  return result;
}

bool Router::HasRoute(Verb method, const std::vector<std::string>& segments) const {
  for (const Entry& e : entries_) {
    if (e.route.method == method && e.segments == segments) return true;
  }
  return false;
}

std::string Router::AllowedMethods(std::string_view path) const {
  std::string out;
  const std::vector<std::string_view> parts = SplitPath<std::string_view>(path);
  const bool trailing_slash = path.size() > 1 && path.back() == '/';
  for (const Entry& e : entries_) {
    std::map<std::string, std::string> params;
    if (!MatchPattern(e.segments, parts, trailing_slash, &params)) continue;
    if (!out.empty()) out += ", ";
    out += std::string(beast_http::to_string(e.route.method));
    if (e.route.method == Verb::get && !HasRoute(Verb::head, e.segments)) out += ", HEAD";
  }
  return out;
}

}  // namespace gallery::http
