#include <optional>
#include <string>

#include "loveless/asl/definition.hpp"
#include "loveless/asl/errors.hpp"
#include "loveless/asl/json_document.hpp"

#include "express_rules.hpp"
#include "json_syntax_words.hpp"
#include "limits.hpp"
#include "operations.hpp"
#include "request_reader.hpp"

// ValidateStateMachineDefinition: the checks CreateStateMachine makes, as
// data. The validator stops at the first violation, so a FAIL carries one
// diagnostic (AWS's API reference allows any number and asks callers to rely
// on `result` only). Shapes and codes follow the test_sfn_api_validation
// recordings: SCHEMA_VALIDATION_FAILED with a JSON pointer `location`, and
// INVALID_JSON_DESCRIPTION for text that is not JSON.
namespace loveless::engine {
namespace {

constexpr std::int64_t kMaxDiagnostics = 100;

struct Diagnostic {
  std::string code;
  std::string message;
  std::optional<std::string> location;
};

/// `[Source: (String)"<text>"; line: 1, column: 4]`, the text cut at 500
/// characters as Jackson cuts it.
std::string jackson_source(const std::string& text, std::size_t line, std::size_t column) {
  constexpr std::size_t kShown = 500;
  std::string shown = "\"" + text.substr(0, kShown) + "\"";
  if (text.size() > kShown) {
    shown += "[truncated " + std::to_string(text.size() - kShown) + " chars]";
  }
  return "[Source: (String)" + shown + "; line: " + std::to_string(line) +
         ", column: " + std::to_string(column) + "]";
}

std::optional<Diagnostic> first_violation(const std::string& text, const std::string& type) {
  nlohmann::json document;
  try {
    document = asl::parse_json_document(text);
  } catch (const asl::JsonDocumentError& e) {
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
      return Diagnostic{"SCHEMA_VALIDATION_FAILED", "Definition must be a valid JSON object", {}};
    }
    if (const auto words = json_syntax_words(text)) {
      // Jackson's report, as the NOT_A_DEF recording shows it.
      const auto source = jackson_source(text, words->line, words->column);
      return Diagnostic{"INVALID_JSON_DESCRIPTION", words->message + "\n at " + source, source};
    }
    return Diagnostic{
        "INVALID_JSON_DESCRIPTION", e.what(),
        "line " + std::to_string(e.line()) + ", column " + std::to_string(e.column())};
  }
  if (!document.is_object()) {
    return Diagnostic{"SCHEMA_VALIDATION_FAILED", "Definition must be a valid JSON object", {}};
  }
  std::shared_ptr<const asl::Definition> definition;
  try {
    definition = asl::Definition::parse(text);
  } catch (const asl::InvalidDefinition& e) {
    return Diagnostic{"SCHEMA_VALIDATION_FAILED", e.rule(), e.path()};
  }
  if (type == "EXPRESS") {
    if (const auto violation = express_violation(definition->document())) {
      return Diagnostic{"SCHEMA_VALIDATION_FAILED", violation->rule(), violation->path()};
    }
  }
  return std::nullopt;
}

std::string read_enum(const RequestReader& reader, const char* member, const char* fallback,
                      const char* first, const char* second) {
  auto value = reader.optional_string(member).value_or(fallback);
  if (value != first && value != second) {
    throw_constraint(
        member, value,
        std::string("Member must satisfy enum value set: [") + first + ", " + second + "]");
  }
  return value;
}

}  // namespace

nlohmann::json validate_state_machine_definition(ServiceContext& /*context*/,
                                                 const nlohmann::json& request) {
  const RequestReader reader(request);
  // No minimum length: AWS answers an empty definition with a diagnostic.
  const auto text = reader.required_string("definition", 0, limits::kMaxDefinitionLength);
  const auto type = read_enum(reader, "type", "STANDARD", "STANDARD", "EXPRESS");
  // Every finding is an ERROR, so either severity returns them all.
  read_enum(reader, "severity", "ERROR", "ERROR", "WARNING");
  const auto max_results = reader.optional_int("maxResults").value_or(0);
  if (max_results < 0 || max_results > kMaxDiagnostics) {
    throw_constraint("maxResults", std::to_string(max_results),
                     "Member must have value between 0 and 100");
  }

  nlohmann::json response = {
      {"result", "OK"}, {"diagnostics", nlohmann::json::array()}, {"truncated", false}};
  if (const auto found = first_violation(text, type)) {
    nlohmann::json diagnostic = {
        {"severity", "ERROR"}, {"code", found->code}, {"message", found->message}};
    if (found->location) diagnostic["location"] = *found->location;
    response["result"] = "FAIL";
    response["diagnostics"].push_back(std::move(diagnostic));
  }
  return response;
}

}  // namespace loveless::engine
