#pragma once

#include "loveless/asl/errors.hpp"

namespace loveless::engine {

/// Throws `ServiceError` `InvalidDefinition` for a definition the validator
/// (or the EXPRESS rules) refused, in AWS's words: "Invalid State Machine
/// Definition: 'SCHEMA_VALIDATION_FAILED: <rule> at <JSON pointer>'" (the
/// test_sfn_api, test_sfn_api_express and test_base_scenarios recordings);
/// text that is not JSON: "...: 'INVALID_JSON_DESCRIPTION: <reason>'", the
/// code ValidateStateMachineDefinition gives it.
[[noreturn]] void throw_invalid_definition(const asl::InvalidDefinition& refused);

}  // namespace loveless::engine
