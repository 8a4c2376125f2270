#include "loveless/demo/workflows.hpp"

#include <stdexcept>

#include "workflow_texts.hpp"

namespace loveless::demo {

std::string_view to_string(Variant variant) {
  switch (variant) {
    case Variant::kCorrect:
      return "correct";
    case Variant::kTmpHandoff:
      return "tmp-handoff";
    case Variant::kGlobalState:
      return "global-state";
  }
  return "unknown";
}

std::optional<Variant> parse_variant(std::string_view name) {
  for (const auto variant : {Variant::kCorrect, Variant::kTmpHandoff, Variant::kGlobalState}) {
    if (to_string(variant) == name) return variant;
  }
  return std::nullopt;
}

const VariantBinding& binding(Variant variant) {
  static const VariantBinding correct{kIndexWorkflow, "split", "count-words", "merge"};
  static const VariantBinding tmp_handoff{kIndexTmpHandoffWorkflow, "split",
                                          "count-words-tmp-handoff", "merge-tmp-handoff"};
  static const VariantBinding global_state{kIndexGlobalStateWorkflow, "split", "count-words",
                                           "merge-global-state"};
  switch (variant) {
    case Variant::kTmpHandoff:
      return tmp_handoff;
    case Variant::kGlobalState:
      return global_state;
    case Variant::kCorrect:
      break;
  }
  return correct;
}

std::string substitute_placeholders(std::string_view text,
                                    const std::map<std::string, std::string>& values) {
  std::string out;
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

}  // namespace loveless::demo
