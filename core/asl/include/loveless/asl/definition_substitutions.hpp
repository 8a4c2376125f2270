#pragma once

#include <map>
#include <string>
#include <string_view>

namespace loveless::asl {

/// Replaces every `${Name}` in a definition template with `values.at(Name)`,
/// as AWS SAM's `DefinitionSubstitutions` and CloudFormation's
/// `AWS::StepFunctions::StateMachine` `DefinitionSubstitutions` do. Throws
/// `std::invalid_argument` naming the first placeholder without a value, so a
/// template never deploys half-substituted. A `${` without a closing `}` is
/// left as it is.
std::string substitute_placeholders(std::string_view text,
                                    const std::map<std::string, std::string>& values);

}  // namespace loveless::asl
