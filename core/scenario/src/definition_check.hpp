#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "loveless/scenario/scenario.hpp"

namespace loveless::scenario::detail {

/// A workflow definition template checked before anything starts.
struct CheckedDefinition {
  /// The parsed template; null when the text is not JSON.
  nlohmann::json document;
  /// The first problem, naming the workflow, where the definition came from
  /// (`source`, or "inline definition"), and either the line and column of a
  /// JSON syntax error or the JSON pointer of the ASL field at fault, e.g.
  /// `workflow index (file /s/index.asl.json): /States/Work/Next: no state
  /// named 'Nowhere'`. Empty when the definition is valid.
  std::optional<std::string> problem;
};

/// Parses `text` (the definition template of `workflow`) and validates it as
/// the engine's CreateStateMachine would, with every `${Placeholder}` replaced
/// by a well-formed ARN of the kind it is bound to (an unbound one by an
/// activity ARN: validation reports it on its own). `source` is the file the
/// text was read from, empty for `s.workflow_text`.
CheckedDefinition check_definition(const WorkflowSpec& workflow, const std::string& text,
                                   const std::filesystem::path& source);

}  // namespace loveless::scenario::detail
