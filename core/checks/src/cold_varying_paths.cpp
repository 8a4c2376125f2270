#include "cold_varying_paths.hpp"

#include <cctype>
#include <string_view>

namespace loveless::checks::detail {
namespace {

constexpr const char* kEveryElement = "*";
constexpr const char* kMarker = "<varies between cold runs>";
constexpr const char* kWordMarker = "<varies>";

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (const char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word.push_back(c);
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

/// Two differing strings: the words that differ when both have as many
/// words (and more than one), else the whole string.
void add_string_difference(const std::string& a, const std::string& b, const VaryingPath& at,
                           VaryingPlaces& places) {
  const auto left = words_of(a);
  const auto right = words_of(b);
  if (left.size() != right.size() || left.size() < 2) {
    places.whole.insert(at);
    return;
  }
  bool any = false;
  for (std::size_t i = 0; i < left.size(); ++i) {
    if (left[i] == right[i]) continue;
    places.words[at].insert(i);
    any = true;
  }
  if (!any) places.whole.insert(at);  // Only the spacing differs.
}

void add_differences(const nlohmann::json& a, const nlohmann::json& b, VaryingPath& at,
                     VaryingPlaces& places) {
  if (a.is_object() && b.is_object()) {
    for (const auto& [key, value] : a.items()) {
      at.push_back(key);
      const auto other = b.find(key);
      if (other == b.end()) {
        places.whole.insert(at);
      } else {
        add_differences(value, *other, at, places);
      }
      at.pop_back();
    }
    for (const auto& [key, value] : b.items()) {
      if (a.contains(key)) continue;
      at.push_back(key);
      places.whole.insert(at);
      at.pop_back();
    }
    return;
  }
  if (a.is_array() && b.is_array() && a.size() == b.size()) {
    at.emplace_back(kEveryElement);
    for (std::size_t i = 0; i < a.size(); ++i) add_differences(a[i], b[i], at, places);
    at.pop_back();
    return;
  }
  if (a == b) return;
  if (a.is_string() && b.is_string()) {
    add_string_difference(a.get_ref<const std::string&>(), b.get_ref<const std::string&>(), at,
                          places);
    return;
  }
  places.whole.insert(at);
}

/// A string with the words at `positions` replaced (words joined by one space).
std::string without_words(const std::string& text, const std::set<std::size_t>& positions) {
  auto words = words_of(text);
  std::string result;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) result.push_back(' ');
    result += positions.count(i) != 0 ? std::string(kWordMarker) : words[i];
  }
  return result;
}

/// Applies `change` to every value `path[depth..]` leads to from `value`;
/// `erase_member` removes a member the path ends at instead.
template <typename Change>
void at_path(nlohmann::json& value, const VaryingPath& path, std::size_t depth, bool erase_member,
             const Change& change) {
  if (depth == path.size()) {
    change(value);
    return;
  }
  const auto& segment = path[depth];
  if (value.is_object()) {
    const auto member = value.find(segment);
    if (member == value.end()) return;
    if (erase_member && depth + 1 == path.size()) {
      value.erase(member);
    } else {
      at_path(*member, path, depth + 1, erase_member, change);
    }
  } else if (value.is_array() && segment == kEveryElement) {
    for (auto& element : value) at_path(element, path, depth + 1, erase_member, change);
  }
}

}  // namespace

std::set<std::string> VaryingPlaces::describe() const {
  const auto text = [](const VaryingPath& path) {
    if (path.empty()) return std::string("(root)");
    nlohmann::json::json_pointer pointer;
    for (const auto& segment : path) pointer.push_back(segment);
    return pointer.to_string();
  };
  std::set<std::string> described;
  for (const auto& path : whole) described.insert(text(path));
  for (const auto& [path, positions] : words) {
    if (whole.count(path) != 0) continue;
    std::string numbers;
    for (const auto position : positions) {
      numbers += (numbers.empty() ? "" : ", ") + std::to_string(position + 1);
    }
    described.insert(text(path) + (positions.size() == 1 ? " (word " : " (words ") + numbers + ")");
  }
  return described;
}

void add_differing_places(const nlohmann::json& a, const nlohmann::json& b, VaryingPlaces& places) {
  VaryingPath at;
  add_differences(a, b, at, places);
}

nlohmann::json without_varying_places(nlohmann::json value, const VaryingPlaces& places) {
  for (const auto& [path, positions] : places.words) {
    if (places.whole.count(path) != 0) continue;
    at_path(value, path, 0, false, [&positions](nlohmann::json& text) {
      if (text.is_string()) text = without_words(text.get_ref<const std::string&>(), positions);
    });
  }
  for (const auto& path : places.whole) {
    at_path(value, path, 0, true, [](nlohmann::json& place) { place = kMarker; });
  }
  return value;
}

}  // namespace loveless::checks::detail
