// TestState (https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html):
// one state run once, without a state machine, answered with its output or
// error, the transition it takes and, at DEBUG or TRACE, each step's data.

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "loveless/asl/errors.hpp"
#include "loveless/asl/json_document.hpp"
#include "loveless/asl/test_state.hpp"
#include "loveless/engine/service_error.hpp"

#include "arn.hpp"
#include "definition_errors.hpp"
#include "execution_input.hpp"
#include "limits.hpp"
#include "operations.hpp"
#include "request_reader.hpp"
#include "service_context.hpp"
#include "test_state_task.hpp"

namespace loveless::engine {
namespace {

constexpr std::size_t kMaxRoleArnLength = 256;

[[noreturn]] void throw_validation(const std::string& message) {
  throw ServiceError("ValidationException", message);
}

[[noreturn]] void throw_invalid_definition(const std::string& why) {
  throw ServiceError("InvalidDefinition", "Invalid State Machine Definition: '" + why + "'");
}

enum class InspectionLevel { kInfo, kDebug, kTrace };

InspectionLevel parse_inspection_level(const RequestReader& reader) {
  const auto level = reader.optional_string("inspectionLevel").value_or("INFO");
  if (level == "INFO") return InspectionLevel::kInfo;
  if (level == "DEBUG") return InspectionLevel::kDebug;
  if (level == "TRACE") return InspectionLevel::kTrace;
  throw_constraint("inspectionLevel", level,
                   "Member must satisfy enum value set: [INFO, DEBUG, TRACE]");
}

// AWS checks only the shape of the role ARN (it is never assumed locally).
void require_role_arn(const std::string& role_arn) {
  if (role_arn.rfind("arn:", 0) != 0 || std::count(role_arn.begin(), role_arn.end(), ':') < 5) {
    throw ServiceError("InvalidArn", "Invalid Arn: '" + role_arn + "'");
  }
}

/// `mock`: `result` (JSON text) or `errorOutput` {error, cause}; the
/// messages are AWS's.
std::optional<asl::TestTaskOutcome> parse_mock(const nlohmann::json& request) {
  const auto it = request.find("mock");
  if (it == request.end() || it->is_null()) return std::nullopt;
  if (!it->is_object()) throw_validation("mock must be an object");
  const auto& mock = *it;
  const bool has_result = mock.contains("result");
  const bool has_error = mock.contains("errorOutput");
  if (has_result && has_error) {
    throw_validation(
        "A test mock should have only one of the following fields: [result, "
        "errorOutput].");
  }
  asl::TestTaskOutcome outcome;
  if (has_result) {
    if (!mock["result"].is_string()) throw_validation("Mocked result must be valid JSON");
    try {
      outcome.result = asl::parse_json_document(mock["result"].get<std::string>());
    } catch (const asl::JsonDocumentError&) {
      throw_validation("Mocked result must be valid JSON");
    }
    return outcome;
  }
  if (!has_error || !mock["errorOutput"].is_object()) {
    throw_validation("A test mock should have one of the following fields: [result, errorOutput].");
  }
  const RequestReader error_output(mock["errorOutput"]);
  outcome.succeeded = false;
  outcome.error = error_output.optional_string("error", 0, limits::kMaxErrorLength).value_or("");
  outcome.cause = error_output.optional_string("cause", 0, limits::kMaxCauseLength).value_or("");
  return outcome;
}

/// `stateConfiguration.retrierRetryCount` (0 when absent).
std::int64_t parse_retry_count(const nlohmann::json& request, bool mocked) {
  const auto it = request.find("stateConfiguration");
  if (it == request.end() || it->is_null()) return 0;
  if (!it->is_object()) throw_validation("stateConfiguration must be an object");
  if (it->contains("mapIterationFailureCount") && !mocked) {
    throw_validation(
        "TestState does not support MapIterationFailureCount when a mock is not specified.");
  }
  const RequestReader configuration(*it);
  const auto count = configuration.optional_int("retrierRetryCount").value_or(0);
  if (count < 0) {
    throw_constraint("retrierRetryCount", std::to_string(count),
                     "Member must have value greater than or equal to 0");
  }
  return count;
}

/// The definition as AWS reads it: with `stateName`, a whole state machine
/// and the state named in it; without, the state alone.
struct Tested {
  std::shared_ptr<const asl::Definition> definition;
  std::string state_name;
  asl::TestedState state;
};

Tested parse_tested(const std::string& text, const std::optional<std::string>& state_name) {
  Tested tested;
  try {
    const auto document = asl::parse_json_document(text);
    if (state_name) {
      tested.definition = asl::Definition::from_json(document);
      tested.state_name = *state_name;
    } else {
      tested.definition = asl::lone_state_definition(document);
      tested.state_name = asl::kLoneStateName;
    }
  } catch (const asl::JsonDocumentError& e) {
    throw_invalid_definition(e.what());
  } catch (const asl::InvalidDefinition& e) {
    engine::throw_invalid_definition(e);
  }
  auto state = asl::find_tested_state(tested.definition, tested.state_name);
  if (!state) throw_validation("State not found in definition");
  tested.state = std::move(*state);
  return tested;
}

/// AWS's rules on which states TestState runs, and with what.
void check_supported(const Tested& tested, bool mocked, bool reveal_secrets, bool has_role) {
  const auto& state = tested.state;
  if (state.type == "Parallel" || state.type == "Map") {
    // AWS runs these only with a mock, which this engine does not support for them.
    throw ServiceError("InvalidDefinition",
                       "TestState API does not support Map or Parallel states. Supported state "
                       "types include: [Task, Wait, Pass, Succeed, Fail, Choice]");
  }
  if (state.jsonata) {
    // TestState evaluates JSONPath states step by step (inspectionData);
    // JSONata states run in executions only.
    throw ServiceError("InvalidDefinition",
                       "TestState of a JSONata state is not supported by the local engine: run "
                       "it in an execution (docs/engine.md, \"TestState\")");
  }
  if (mocked && state.type != "Task") {
    throw_validation("State type '" + state.type + "' is not supported when a mock is specified");
  }
  if (mocked && reveal_secrets) {
    throw_validation("TestState does not support RevealSecrets when a mock is specified.");
  }
  if (state.type != "Task" || mocked) return;
  if (!has_role) throw_validation("RoleArn must be specified when testing a Task state");
  if (state.resource_kind == asl::ResourceKind::kActivity) {
    throw ServiceError("InvalidDefinition",
                       "TestState API does not support Activity tasks. Supported Task types "
                       "include: [AWS service integrations, HTTP Task]");
  }
  if (state.resource.ends_with(".waitForTaskToken") ||
      state.resource.find(".sync") != std::string::npos) {
    throw ServiceError("InvalidDefinition",
                       "TestState API does not support the .sync or .waitForTaskToken service "
                       "integration patterns without a mock: '" +
                           state.resource + "'");
  }
}

/// `input` etc. travel as JSON text; `errorDetails` is a structure.
nlohmann::json inspection_data_of(const nlohmann::json& values) {
  nlohmann::json data = nlohmann::json::object();
  for (const auto& [key, value] : values.items()) {
    data[key] = key == "errorDetails" ? value : nlohmann::json(value.dump());
  }
  return data;
}

}  // namespace

nlohmann::json test_state(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto definition_text =
      reader.required_string("definition", 1, limits::kMaxDefinitionLength);
  const auto role_arn = reader.optional_string("roleArn", 1, kMaxRoleArnLength);
  const auto input_text = reader.optional_string("input").value_or("{}");
  const auto level = parse_inspection_level(reader);
  const bool reveal_secrets = reader.optional_bool("revealSecrets", false);
  const auto state_name = reader.optional_string("stateName", 1, limits::kMaxNameLength);
  for (const char* member : {"variables", "context"}) {
    if (request.contains(member) && !request[member].is_null()) {
      throw_validation(std::string("TestState's '") + member +
                       "' is not supported by the local engine (docs/engine.md)");
    }
  }
  const auto mock = parse_mock(request);
  const auto retry_count = parse_retry_count(request, mock.has_value());
  if (role_arn) require_role_arn(*role_arn);

  const auto tested = parse_tested(definition_text, state_name);
  check_supported(tested, mock.has_value(), reveal_secrets, role_arn.has_value());

  asl::TestStateRequest run;
  run.definition = tested.definition;
  run.state_name = tested.state_name;
  run.input = parse_execution_input(input_text);
  // AWS runs a tested state as an express execution of a state machine of its own.
  run.info.state_machine_name = "TestStateMachine";
  run.info.execution_name = "test-state-" + std::to_string(context.next_seed());
  run.info.state_machine_arn = state_machine_arn(context.options.region, context.options.account_id,
                                                 run.info.state_machine_name);
  run.info.execution_arn = "arn:aws:states:" + context.options.region + ":" +
                           context.options.account_id + ":express:" + run.info.state_machine_name +
                           ":" + run.info.execution_name;
  run.info.role_arn = role_arn.value_or("");
  run.mock = mock;
  run.retrier_retry_count = retry_count;

  asl::SeededRandom random(context.next_seed());
  const auto result = asl::test_state(
      run, [&](const asl::TaskRequest& task) { return run_test_task(context, task); }, random,
      ServiceContext::now());

  nlohmann::json response = {{"status", result.status}};
  if (result.output) response["output"] = result.output->dump();
  if (!result.error.empty()) response["error"] = result.error;
  if (!result.cause.empty()) response["cause"] = result.cause;
  if (result.next_state) response["nextState"] = *result.next_state;
  if (level != InspectionLevel::kInfo) {
    response["inspectionData"] = inspection_data_of(result.inspection_data);
  }
  return response;
}

}  // namespace loveless::engine
