#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "loveless/asl/errors.hpp"

namespace loveless::engine {

/// The first Task state of a valid definition `document` that an EXPRESS
/// state machine may not have, in document order, nested branches and Map
/// processors included: an activity ARN ("Express state machine does not
/// support Activity ARN"), a `.waitForTaskToken` or a `.sync` integration
/// (AWS's rules and wording, test_sfn_api_express recordings), at
/// `/States/<name>/Resource`. Nullopt when there is none.
std::optional<asl::InvalidDefinition> express_violation(const nlohmann::json& document);

}  // namespace loveless::engine
