#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace loveless::asl {

/// Replaces every `${Name}` in a definition template with `values.at(Name)`,
/// as AWS SAM's `DefinitionSubstitutions` and CloudFormation's
/// `AWS::StepFunctions::StateMachine` `DefinitionSubstitutions` do. Throws
/// `std::invalid_argument` naming the first placeholder without a value, so a
/// template never deploys half-substituted. A `${` without a closing `}` is
/// left as it is.
std::string substitute_placeholders(std::string_view text,
                                    const std::map<std::string, std::string>& values);

/// The names of the `${Name}` placeholders in `text`, in order, repeats
/// included: exactly those `substitute_placeholders` replaces. Linear in the
/// length of `text`.
std::vector<std::string> placeholder_names(std::string_view text);

}  // namespace loveless::asl
