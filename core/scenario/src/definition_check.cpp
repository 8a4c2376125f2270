#include "definition_check.hpp"

#include <map>
#include <regex>

#include "loveless/asl/definition.hpp"
#include "loveless/asl/definition_substitutions.hpp"
#include "loveless/asl/errors.hpp"

#include "text_position.hpp"

namespace loveless::scenario::detail {
namespace {

// What a deployed ARN looks like; only its shape matters to validation.
std::string stand_in_arn(ResourceRef::Kind kind, const std::string& name) {
  return kind == ResourceRef::Kind::kFunction
             ? "arn:aws:lambda:us-east-1:123456789012:function:" + name
             : "arn:aws:states:us-east-1:123456789012:activity:" + name;
}

std::map<std::string, std::string> stand_in_values(const WorkflowSpec& workflow,
                                                   const std::string& text) {
  static const std::regex placeholder(R"(\$\{([A-Za-z0-9_.:-]+)\})");
  std::map<std::string, std::string> values;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), placeholder);
       it != std::sregex_iterator(); ++it) {
    const auto name = (*it)[1].str();
    const auto bound = workflow.substitutions.find(name);
    values[name] = bound == workflow.substitutions.end()
                       ? stand_in_arn(ResourceRef::Kind::kActivity, name)
                       : stand_in_arn(bound->second.kind, bound->second.name);
  }
  return values;
}

// nlohmann's what() less its "[json.exception.parse_error.101] parse error at
// line 1, column 2: " prefix: the reason, which the caller places itself.
std::string syntax_reason(const std::string& what) {
  for (const char* marker : {"syntax error", "number overflow"}) {
    if (const auto at = what.find(marker); at != std::string::npos) return what.substr(at);
  }
  const auto colon = what.find(": ");
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

}  // namespace

CheckedDefinition check_definition(const WorkflowSpec& workflow, const std::string& text,
                                   const std::filesystem::path& source) {
  const auto where =
      "workflow " + workflow.name + " (" +
      (source.empty() ? std::string("inline definition") : "file " + source.string()) + ")";
  CheckedDefinition checked;
  try {
    checked.document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    const auto position = position_of_byte(text, e.byte);
    checked.problem = where + ": line " + std::to_string(position.line) + ", column " +
                      std::to_string(position.column) +
                      ": not valid JSON: " + syntax_reason(e.what());
    checked.document = nullptr;
    return checked;
  } catch (const nlohmann::json::exception& e) {
    checked.problem = where + ": not valid JSON: " + syntax_reason(e.what());
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
