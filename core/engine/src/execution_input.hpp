#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace loveless::engine {

/// Parses an execution's (or TestState's) `input`: at most 262,144 bytes of
/// JSON. Throws `ServiceError` `InvalidExecutionInput` ("Invalid State
/// Machine Execution Input: '<why>'") otherwise.
nlohmann::json parse_execution_input(const std::string& text);

}  // namespace loveless::engine
