#include "definition_check.hpp"

#include <limits>
#include <map>

#include "loveless/asl/definition.hpp"
#include "loveless/asl/definition_substitutions.hpp"
#include "loveless/asl/errors.hpp"
#include "loveless/asl/json_document.hpp"

namespace loveless::scenario::detail {
namespace {

// What a deployed ARN looks like; only its shape matters to validation.
std::string stand_in_arn(ResourceRef::Kind kind, const std::string& name) {
  switch (kind) {
    case ResourceRef::Kind::kFunction:
      return "arn:aws:lambda:us-east-1:123456789012:function:" + name;
    case ResourceRef::Kind::kStateMachine:
      return "arn:aws:states:us-east-1:123456789012:stateMachine:" + name;
    case ResourceRef::Kind::kActivity:
      break;
  }
  return "arn:aws:states:us-east-1:123456789012:activity:" + name;
}

std::map<std::string, std::string> stand_in_values(const WorkflowSpec& workflow,
                                                   const std::string& text) {
  std::map<std::string, std::string> values;
  for (const auto& name : asl::placeholder_names(text)) {
    const auto bound = workflow.substitutions.find(name);
    values[name] = bound == workflow.substitutions.end()
                       ? stand_in_arn(ResourceRef::Kind::kActivity, name)
                       : stand_in_arn(bound->second.kind, bound->second.name);
  }
  return values;
}

}  // namespace

CheckedDefinition check_definition(const WorkflowSpec& workflow, const std::string& text,
                                   const std::filesystem::path& source) {
  const auto where =
      "workflow " + workflow.name + " (" +
      (source.empty() ? std::string("inline definition") : "file " + source.string()) + ")";
  CheckedDefinition checked;
  try {
    // No depth bound here: the validator below reports nesting with its own,
    // lower limit and the field's JSON pointer.
    checked.document = asl::parse_json_document(text, std::numeric_limits<std::size_t>::max());
  } catch (const asl::JsonDocumentError& e) {
    const auto position = e.line() == 0 ? std::string()
                                        : "line " + std::to_string(e.line()) + ", column " +
                                              std::to_string(e.column()) + ": ";
    checked.problem = where + ": " + position + "not valid JSON: " + e.reason();
    checked.document = nullptr;
    return checked;
  }
  try {
    (void)asl::Definition::parse(
        asl::substitute_placeholders(text, stand_in_values(workflow, text)));
  } catch (const asl::InvalidDefinition& e) {
    checked.problem = where + ": " + e.path() + ": " + e.rule();
  }
  return checked;
}

}  // namespace loveless::scenario::detail
