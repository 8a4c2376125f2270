#include "loveless/asl/definition_substitutions.hpp"

#include <stdexcept>

namespace loveless::asl {

std::string substitute_placeholders(std::string_view text,
                                    const std::map<std::string, std::string>& values) {
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (true) {
    const auto open = text.find("${", at);
    if (open == std::string_view::npos) break;
    const auto close = text.find('}', open);
    if (close == std::string_view::npos) break;
    const std::string name(text.substr(open + 2, close - open - 2));
    const auto value = values.find(name);
    if (value == values.end()) {
      throw std::invalid_argument("workflow placeholder ${" + name + "} has no value");
    }
    out.append(text, at, open - at);
    out += value->second;
    at = close + 1;
  }
  out.append(text, at);
  return out;
}

}  // namespace loveless::asl
