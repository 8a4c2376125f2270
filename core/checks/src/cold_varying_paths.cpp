#include "cold_varying_paths.hpp"

#include <cstddef>

namespace loveless::checks::detail {
namespace {

constexpr const char* kEveryElement = "*";
constexpr const char* kMarker = "<varies between cold runs>";

void add_differences(const nlohmann::json& a, const nlohmann::json& b, VaryingPath& at,
                     std::set<VaryingPath>& paths) {
  if (a.is_object() && b.is_object()) {
    for (const auto& [key, value] : a.items()) {
      at.push_back(key);
      const auto other = b.find(key);
      if (other == b.end()) {
        paths.insert(at);
      } else {
        add_differences(value, *other, at, paths);
      }
      at.pop_back();
    }
    for (const auto& [key, value] : b.items()) {
      if (a.contains(key)) continue;
      at.push_back(key);
      paths.insert(at);
      at.pop_back();
    }
    return;
  }
  if (a.is_array() && b.is_array() && a.size() == b.size()) {
    at.emplace_back(kEveryElement);
    for (std::size_t i = 0; i < a.size(); ++i) add_differences(a[i], b[i], at, paths);
    at.pop_back();
    return;
  }
  if (a != b) paths.insert(at);
}

/// Takes `path[depth..]` out of `value`, the place `path[..depth]` leads to.
void remove(nlohmann::json& value, const VaryingPath& path, std::size_t depth) {
  if (depth == path.size()) {
    value = kMarker;
    return;
  }
  const auto& segment = path[depth];
  const bool last = depth + 1 == path.size();
  if (value.is_object()) {
    const auto member = value.find(segment);
    if (member == value.end()) return;
    if (last) {
      value.erase(member);
    } else {
      remove(*member, path, depth + 1);
    }
  } else if (value.is_array() && segment == kEveryElement) {
    for (auto& element : value) remove(element, path, depth + 1);
  }
}

}  // namespace

void add_differing_paths(const nlohmann::json& a, const nlohmann::json& b,
                         std::set<VaryingPath>& paths) {
  VaryingPath at;
  add_differences(a, b, at, paths);
}

nlohmann::json without_varying_paths(nlohmann::json value, const std::set<VaryingPath>& paths) {
  for (const auto& path : paths) remove(value, path, 0);
  return value;
}

std::string to_pointer_text(const VaryingPath& path) {
  if (path.empty()) return "(root)";
  nlohmann::json::json_pointer pointer;
  for (const auto& segment : path) pointer.push_back(segment);
  return pointer.to_string();
}

}  // namespace loveless::checks::detail
