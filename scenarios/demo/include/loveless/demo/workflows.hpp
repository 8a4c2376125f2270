#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace loveless::demo {

/// Which build of the demo application runs: the correct one, the correct one
/// written in JSONata with variables, or one of the two deliberately flawed
/// ones (scenarios/demo/README.md).
enum class Variant { kCorrect, kTmpHandoff, kGlobalState, kJsonata };
/// `correct`, `tmp-handoff`, `global-state`, `jsonata`.
std::string_view to_string(Variant variant);
std::optional<Variant> parse_variant(std::string_view name);

/// A variant's workflow and the demo-worker handlers its resources run. The
/// functions and the activity are named after their handlers, so a history
/// names the flawed code that ran.
struct VariantBinding {
  /// The ASL template (index*.asl.json, built into the binary) with the
  /// placeholders `${SplitFunctionArn}`, `${CountWordsActivityArn}`,
  /// `${MergeFunctionArn}`, as AWS SAM's DefinitionSubstitutions writes them
  /// (`asl::substitute_placeholders` fills them in).
  std::string_view definition_template;
  std::string split_handler;
  std::string count_words_handler;
  std::string merge_handler;
};
const VariantBinding& binding(Variant variant);

}  // namespace loveless::demo
