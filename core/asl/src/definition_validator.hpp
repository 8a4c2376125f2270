#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "loveless/asl/definition.hpp"

#include "json_text.hpp"  // kMaxDefinitionDepth

namespace loveless::asl::detail {

/// Validates a definition kept in document order (`ordered_json`), so that the
/// first violation reported is the first one in the text. Throws
/// `InvalidDefinition`.
void validate_ordered_definition(const nlohmann::ordered_json& document,
                                 DefinitionOptions options = {});

/// The rule reported for a document deeper than kMaxDefinitionDepth.
std::string nesting_rule();

}  // namespace loveless::asl::detail
