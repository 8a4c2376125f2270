#include "definition_errors.hpp"

#include <string>
#include <string_view>

#include "loveless/engine/service_error.hpp"

namespace loveless::engine {

void throw_invalid_definition(const asl::InvalidDefinition& refused) {
  // The validator's words for text that does not parse (definition.cpp).
  constexpr std::string_view kNotJson = "not valid JSON: ";
  const auto& rule = refused.rule();
  const std::string reason = rule.starts_with(kNotJson)
                                 ? "INVALID_JSON_DESCRIPTION: " + rule.substr(kNotJson.size())
                                 : "SCHEMA_VALIDATION_FAILED: " + rule + " at " + refused.path();
  throw ServiceError("InvalidDefinition", "Invalid State Machine Definition: '" + reason + "'");
}

}  // namespace loveless::engine
