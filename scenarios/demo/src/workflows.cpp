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
    case Variant::kJsonata:
      return "jsonata";
  }
  return "unknown";
}

std::optional<Variant> parse_variant(std::string_view name) {
  for (const auto variant :
       {Variant::kCorrect, Variant::kTmpHandoff, Variant::kGlobalState, Variant::kJsonata}) {
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
  static const VariantBinding jsonata{kIndexJsonataWorkflow, "split", "count-words", "merge"};
  switch (variant) {
    case Variant::kTmpHandoff:
      return tmp_handoff;
    case Variant::kGlobalState:
      return global_state;
    case Variant::kJsonata:
      return jsonata;
    case Variant::kCorrect:
      break;
  }
  return correct;
}

}  // namespace loveless::demo
