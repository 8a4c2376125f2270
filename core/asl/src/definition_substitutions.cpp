#include "loveless/asl/definition_substitutions.hpp"

#include <stdexcept>

namespace loveless::asl {

namespace {

/// Calls `each(open, close)` for every `${...}`: `open` at its `$`, `close`
/// at its `}`.
template <typename Each>
void for_each_placeholder(std::string_view text, Each each) {
  std::size_t at = 0;
  while (true) {
    const auto open = text.find("${", at);
    if (open == std::string_view::npos) return;
    const auto close = text.find('}', open);
    if (close == std::string_view::npos) return;
    each(open, close);
    at = close + 1;
  }
}

}  // namespace

std::string substitute_placeholders(std::string_view text,
                                    const std::map<std::string, std::string>& values) {
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  for_each_placeholder(text, [&](std::size_t open, std::size_t close) {
    const std::string name(text.substr(open + 2, close - open - 2));
    const auto value = values.find(name);
    if (value == values.end()) {
      throw std::invalid_argument("workflow placeholder ${" + name + "} has no value");
    }
    out.append(text, at, open - at);
    out += value->second;
    at = close + 1;
  });
  out.append(text, at);
  return out;
}

std::vector<std::string> placeholder_names(std::string_view text) {
  std::vector<std::string> names;
  for_each_placeholder(text, [&](std::size_t open, std::size_t close) {
    names.emplace_back(text.substr(open + 2, close - open - 2));
  });
  return names;
}

}  // namespace loveless::asl
