// TestState (https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html):
// one state run once, without a state machine, answered with its output or
// error, the transition it takes and, at DEBUG or TRACE, each step's data.

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "loveless/asl/errors.hpp"
#include "loveless/asl/json_document.hpp"
#include "loveless/asl/test_state.hpp"
#include "loveless/engine/service_error.hpp"

#include "arn.hpp"
#include "definition_errors.hpp"
#include "execution_input.hpp"
#include "limits.hpp"
#include "mock_result_validation.hpp"
#include "operations.hpp"
#include "request_reader.hpp"
#include "service_context.hpp"
#include "test_state_context.hpp"
#include "test_state_task.hpp"

namespace loveless::engine {
namespace {

constexpr std::size_t kMaxRoleArnLength = 256;
/// AWS's bound on TestState's data members (mapItemReaderData, inspectionData).
constexpr std::size_t kMaxInspectedDataLength = 262144;

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

/// `mock.fieldValidationMode`: STRICT when absent.
FieldValidationMode parse_field_validation_mode(const nlohmann::json& request) {
  const auto mock = request.find("mock");
  if (mock == request.end() || !mock->is_object()) return FieldValidationMode::kStrict;
  const auto mode = RequestReader(*mock).optional_string("fieldValidationMode").value_or("STRICT");
  if (mode == "STRICT") return FieldValidationMode::kStrict;
  if (mode == "PRESENT") return FieldValidationMode::kPresent;
  if (mode == "NONE") return FieldValidationMode::kNone;
  throw_constraint("mock.fieldValidationMode", mode,
                   "Member must satisfy enum value set: [STRICT, PRESENT, NONE]");
}

/// `stateConfiguration`, as AWS checks it.
struct StateConfiguration {
  std::int64_t retrier_retry_count = 0;
  std::int64_t map_iteration_failure_count = 0;
  std::optional<std::string> error_caused_by_state;
  std::optional<nlohmann::json> map_item_reader_data;
};

std::int64_t non_negative(const RequestReader& reader, const char* member) {
  const auto value = reader.optional_int(member).value_or(0);
  if (value < 0) {
    throw_constraint(member, std::to_string(value),
                     "Member must have value greater than or equal to 0");
  }
  return value;
}

StateConfiguration parse_state_configuration(const nlohmann::json& request, bool mocked) {
  StateConfiguration configuration;
  const auto it = request.find("stateConfiguration");
  if (it == request.end() || it->is_null()) return configuration;
  if (!it->is_object()) throw_validation("stateConfiguration must be an object");
  if (it->contains("mapIterationFailureCount") && !mocked) {
    throw_validation(
        "TestState does not support MapIterationFailureCount when a mock is not specified.");
  }
  const RequestReader reader(*it);
  configuration.retrier_retry_count = non_negative(reader, "retrierRetryCount");
  configuration.map_iteration_failure_count = non_negative(reader, "mapIterationFailureCount");
  configuration.error_caused_by_state =
      reader.optional_string("errorCausedByState", 1, limits::kMaxNameLength);
  if (const auto data = reader.optional_string("mapItemReaderData", 0, kMaxInspectedDataLength)) {
    try {
      configuration.map_item_reader_data = asl::parse_json_document(*data);
    } catch (const asl::JsonDocumentError& e) {
      throw_validation(std::string("stateConfiguration.mapItemReaderData must be valid JSON: ") +
                       e.what());
    }
  }
  return configuration;
}

/// TestState's `variables` (JSON text): the workflow variables, an object.
nlohmann::json parse_variables(const std::optional<std::string>& text) {
  if (!text) return nlohmann::json::object();
  nlohmann::json variables;
  try {
    variables = asl::parse_json_document(*text);
  } catch (const asl::JsonDocumentError& e) {
    throw_validation(std::string("Invalid variables provided: not valid JSON: ") + e.what());
  }
  if (!variables.is_object()) {
    throw_validation("Invalid variables provided: variables must be a JSON object");
  }
  return variables;
}

/// TestState mocks what a distributed Map's ItemReader and ResultWriter
/// would read and write, so their S3 resources are accepted.
constexpr asl::DefinitionOptions kTestStateDefinitions{true};

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
      tested.definition = asl::Definition::from_json(document, kTestStateDefinitions);
      tested.state_name = *state_name;
    } else {
      tested.definition = asl::lone_state_definition(document, kTestStateDefinitions);
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

/// AWS's checks of a Map's or a Parallel's mock, and of the configuration
/// that only they use.
void check_branch_mock(const Tested& tested, const asl::TestTaskOutcome& mock,
                       const StateConfiguration& configuration) {
  const auto& state = tested.state;
  if (configuration.error_caused_by_state &&
      std::find(state.nested_states.begin(), state.nested_states.end(),
                *configuration.error_caused_by_state) == state.nested_states.end()) {
    // Our wording: AWS's answer is not recorded.
    throw_validation("stateConfiguration.errorCausedByState '" +
                     *configuration.error_caused_by_state + "' names no state inside the tested " +
                     state.type + " state");
  }
  if (!mock.succeeded) return;
  if (state.type == "Map" && state.result_writer) {
    if (!mock.result.is_object()) throw_validation("Mocked result must be a JSON object.");
    return;
  }
  if (!mock.result.is_array()) throw_validation("Mocked result must be an array.");
  if (state.type == "Parallel" && mock.result.size() != state.branch_count) {
    throw_validation(
        "Mocked result must contain the same number of items as number of Parallel branches.");
  }
  if (state.type == "Map" &&
      std::cmp_greater(configuration.map_iteration_failure_count, mock.result.size())) {
    throw_validation(
        "Map iteration failure count must be less than or equal to the number of Map "
        "iterations");
  }
}

/// AWS's rules on which states TestState runs, and with what.
void check_supported(const Tested& tested, const std::optional<asl::TestTaskOutcome>& mock,
                     const StateConfiguration& configuration, bool reveal_secrets, bool has_role) {
  const auto& state = tested.state;
  const bool branches = state.type == "Parallel" || state.type == "Map";
  if (branches && !mock) {
    throw ServiceError("InvalidDefinition",
                       "TestState API does not support Map or Parallel states. Supported state "
                       "types include: [Task, Wait, Pass, Succeed, Fail, Choice]");
  }
  if (mock && state.type != "Task" && !branches) {
    throw_validation("State type '" + state.type + "' is not supported when a mock is specified");
  }
  if (mock && reveal_secrets) {
    throw_validation("TestState does not support RevealSecrets when a mock is specified.");
  }
  if (branches) return check_branch_mock(tested, *mock, configuration);
  if (state.type != "Task" || mock) return;
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

/// `input` etc. travel as JSON text; `errorDetails` is a structure and a
/// Map's thresholds are numbers (API_InspectionData).
nlohmann::json inspection_data_of(const nlohmann::json& values) {
  nlohmann::json data = nlohmann::json::object();
  for (const auto& [key, value] : values.items()) {
    const bool as_is = key == "errorDetails" || key == "maxConcurrency" ||
                       key == "toleratedFailureCount" || key == "toleratedFailurePercentage";
    data[key] = as_is ? value : nlohmann::json(value.dump());
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
  const auto variables = parse_variables(reader.optional_string("variables"));
  const auto context_text = reader.optional_string("context");
  const auto mock = parse_mock(request);
  const auto configuration = parse_state_configuration(request, mock.has_value());
  if (role_arn) require_role_arn(*role_arn);

  const auto tested = parse_tested(definition_text, state_name);
  check_supported(tested, mock, configuration, reveal_secrets, role_arn.has_value());
  if (mock && mock->succeeded && tested.state.type == "Task") {
    validate_mock_result(tested.state.resource, mock->result, parse_field_validation_mode(request));
  }
  std::optional<nlohmann::json> mocked_context;
  if (context_text) {
    mocked_context = parse_test_state_context(*context_text);
    check_context_task(*mocked_context, tested.state.type, tested.state.resource);
  }

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
  run.retrier_retry_count = configuration.retrier_retry_count;
  run.map_iteration_failure_count = configuration.map_iteration_failure_count;
  run.map_item_reader_data = configuration.map_item_reader_data;
  run.variables = variables;
  run.context = std::move(mocked_context);

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
