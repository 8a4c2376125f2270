#pragma once

#include <optional>

#include <nlohmann/json.hpp>

namespace loveless::engine {

/// DescribeStateMachine's `variableReferences`: for each JSONPath state, by
/// state name (states inside Map and Parallel included), the sorted names of
/// the variables it reads: `$name` at the start of a path field (InputPath,
/// OutputPath, ItemsPath, SecondsPath, ErrorPath, a Choice rule's Variable or
/// `...Path` operand, and every other `...Path` but ResultPath), of a `.$`
/// field of a payload template (Parameters, ResultSelector, ItemSelector,
/// Assign, ItemReader Parameters, BatchInput), and among the arguments of an
/// intrinsic function there. Literal values (`"bucket": "$bucket"`) and
/// JSONata expressions are not references. nullopt when no state reads a
/// variable (AWS then returns no member): the test_sfn_api_variable_references
/// recordings.
///
/// `definition` is the parsed definition document; malformed parts are
/// skipped (the definition was validated when it was created).
std::optional<nlohmann::json> variable_references(const nlohmann::json& definition);

}  // namespace loveless::engine
