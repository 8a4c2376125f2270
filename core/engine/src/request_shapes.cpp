#include "request_shapes.hpp"

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "loveless/engine/service_error.hpp"

namespace loveless::engine {
namespace {

struct Shape {
  ShapeKind kind = ShapeKind::kString;
  /// kList: the shape of its elements.
  const Shape* element = nullptr;
  /// kStructure: member name and shape.
  std::vector<std::pair<std::string_view, const Shape*>> members;
};

// The input shapes of the service model, reduced to what a JSON type check
// needs. Declaration order matters: a shape points only at earlier ones.
struct Model {
  Shape string{ShapeKind::kString, nullptr, {}};
  Shape integer{ShapeKind::kInteger, nullptr, {}};
  Shape boolean{ShapeKind::kBoolean, nullptr, {}};
  Shape string_list{ShapeKind::kList, &string, {}};
  Shape tag{ShapeKind::kStructure, nullptr, {{"key", &string}, {"value", &string}}};
  Shape tag_list{ShapeKind::kList, &tag, {}};
  Shape log_group{ShapeKind::kStructure, nullptr, {{"logGroupArn", &string}}};
  Shape log_destination{ShapeKind::kStructure, nullptr, {{"cloudWatchLogsLogGroup", &log_group}}};
  Shape log_destinations{ShapeKind::kList, &log_destination, {}};
  Shape logging{ShapeKind::kStructure,
                nullptr,
                {{"level", &string},
                 {"includeExecutionData", &boolean},
                 {"destinations", &log_destinations}}};
  Shape tracing{ShapeKind::kStructure, nullptr, {{"enabled", &boolean}}};
  Shape encryption{
      ShapeKind::kStructure,
      nullptr,
      {{"kmsKeyId", &string}, {"kmsDataKeyReusePeriodSeconds", &integer}, {"type", &string}}};
  Shape route{
      ShapeKind::kStructure, nullptr, {{"stateMachineVersionArn", &string}, {"weight", &integer}}};
  Shape routing{ShapeKind::kList, &route, {}};
  /// Members of an opaque structure (TestState's `mock`) are not checked.
  Shape any_structure{ShapeKind::kStructure, nullptr, {}};

  static Shape input(std::vector<std::pair<std::string_view, const Shape*>> members) {
    return Shape{ShapeKind::kStructure, nullptr, std::move(members)};
  }

  const std::unordered_map<std::string_view, Shape> operations = {
      {"CreateStateMachine", input({{"name", &string},
                                    {"definition", &string},
                                    {"roleArn", &string},
                                    {"type", &string},
                                    {"loggingConfiguration", &logging},
                                    {"tags", &tag_list},
                                    {"tracingConfiguration", &tracing},
                                    {"publish", &boolean},
                                    {"versionDescription", &string},
                                    {"encryptionConfiguration", &encryption}})},
      {"DescribeStateMachine", input({{"stateMachineArn", &string}, {"includedData", &string}})},
      {"ListStateMachines", input({{"maxResults", &integer}, {"nextToken", &string}})},
      {"UpdateStateMachine", input({{"stateMachineArn", &string},
                                    {"definition", &string},
                                    {"roleArn", &string},
                                    {"loggingConfiguration", &logging},
                                    {"tracingConfiguration", &tracing},
                                    {"publish", &boolean},
                                    {"versionDescription", &string},
                                    {"encryptionConfiguration", &encryption}})},
      {"DeleteStateMachine", input({{"stateMachineArn", &string}})},
      {"DescribeStateMachineForExecution",
       input({{"executionArn", &string}, {"includedData", &string}})},
      {"ValidateStateMachineDefinition", input({{"definition", &string},
                                                {"type", &string},
                                                {"severity", &string},
                                                {"maxResults", &integer}})},
      {"StartExecution", input({{"stateMachineArn", &string},
                                {"name", &string},
                                {"input", &string},
                                {"traceHeader", &string}})},
      {"StartSyncExecution", input({{"stateMachineArn", &string},
                                    {"name", &string},
                                    {"input", &string},
                                    {"traceHeader", &string},
                                    {"includedData", &string}})},
      {"DescribeExecution", input({{"executionArn", &string}, {"includedData", &string}})},
      {"StopExecution", input({{"executionArn", &string}, {"error", &string}, {"cause", &string}})},
      {"ListExecutions", input({{"stateMachineArn", &string},
                                {"statusFilter", &string},
                                {"maxResults", &integer},
                                {"nextToken", &string},
                                {"mapRunArn", &string},
                                {"redriveFilter", &string}})},
      {"GetExecutionHistory", input({{"executionArn", &string},
                                     {"maxResults", &integer},
                                     {"reverseOrder", &boolean},
                                     {"nextToken", &string},
                                     {"includeExecutionData", &boolean}})},
      {"PublishStateMachineVersion",
       input({{"stateMachineArn", &string}, {"revisionId", &string}, {"description", &string}})},
      {"ListStateMachineVersions",
       input({{"stateMachineArn", &string}, {"maxResults", &integer}, {"nextToken", &string}})},
      {"DeleteStateMachineVersion", input({{"stateMachineVersionArn", &string}})},
      {"CreateStateMachineAlias",
       input({{"name", &string}, {"description", &string}, {"routingConfiguration", &routing}})},
      {"DescribeStateMachineAlias", input({{"stateMachineAliasArn", &string}})},
      {"UpdateStateMachineAlias", input({{"stateMachineAliasArn", &string},
                                         {"description", &string},
                                         {"routingConfiguration", &routing}})},
      {"DeleteStateMachineAlias", input({{"stateMachineAliasArn", &string}})},
      {"ListStateMachineAliases",
       input({{"stateMachineArn", &string}, {"maxResults", &integer}, {"nextToken", &string}})},
      {"DescribeMapRun", input({{"mapRunArn", &string}})},
      {"UpdateMapRun", input({{"mapRunArn", &string},
                              {"maxConcurrency", &integer},
                              {"toleratedFailurePercentage", &integer},
                              {"toleratedFailureCount", &integer}})},
      {"ListMapRuns",
       input({{"executionArn", &string}, {"maxResults", &integer}, {"nextToken", &string}})},
      {"RedriveExecution", input({{"executionArn", &string}, {"clientToken", &string}})},
      {"TestState", input({{"definition", &string},
                           {"roleArn", &string},
                           {"input", &string},
                           {"inspectionLevel", &string},
                           {"revealSecrets", &boolean},
                           {"variables", &string},
                           {"stateName", &string},
                           {"mock", &any_structure},
                           {"context", &string},
                           {"stateConfiguration", &any_structure}})},
      {"CreateActivity",
       input({{"name", &string}, {"tags", &tag_list}, {"encryptionConfiguration", &encryption}})},
      {"DescribeActivity", input({{"activityArn", &string}})},
      {"ListActivities", input({{"maxResults", &integer}, {"nextToken", &string}})},
      {"DeleteActivity", input({{"activityArn", &string}})},
      {"GetActivityTask", input({{"activityArn", &string}, {"workerName", &string}})},
      {"SendTaskSuccess", input({{"taskToken", &string}, {"output", &string}})},
      {"SendTaskFailure", input({{"taskToken", &string}, {"error", &string}, {"cause", &string}})},
      {"SendTaskHeartbeat", input({{"taskToken", &string}})},
      {"TagResource", input({{"resourceArn", &string}, {"tags", &tag_list}})},
      {"UntagResource", input({{"resourceArn", &string}, {"tagKeys", &string_list}})},
      {"ListTagsForResource", input({{"resourceArn", &string}})},
  };
};

const Model& model() {
  static const Model instance;
  return instance;
}

std::string_view scalar_name(const nlohmann::json& value) {
  if (value.is_string()) return "STRING_VALUE";
  if (value.is_boolean()) return value.get<bool>() ? "TRUE_VALUE" : "FALSE_VALUE";
  return "NUMBER_VALUE";
}

void check(const Shape& shape, const nlohmann::json& value) {
  if (value.is_null()) return;
  if (auto message = type_mismatch_message(shape.kind, value); !message.empty()) {
    // ValidationException, as the Step Functions team specified (issue 17);
    // the message is the one AWS's JSON deserializer words.
    throw ServiceError("ValidationException", std::move(message));
  }
  if (shape.kind == ShapeKind::kList) {
    for (const auto& element : value) check(*shape.element, element);
  } else if (shape.kind == ShapeKind::kStructure) {
    for (const auto& [name, member] : shape.members) {
      const auto it = value.find(std::string(name));
      if (it != value.end()) check(*member, *it);
    }
  }
}

}  // namespace

std::string type_mismatch_message(ShapeKind expected, const nlohmann::json& value) {
  const auto found_container = [&]() -> std::string {
    if (value.is_array()) return "Start of list found where not expected";
    return "Start of structure or map found where not expected.";
  };
  switch (expected) {
    case ShapeKind::kString:
      if (value.is_string()) return "";
      if (value.is_structured()) return found_container();
      return std::string(scalar_name(value)) + " can not be converted to a String";
    case ShapeKind::kInteger:
      if (value.is_number()) {
        // An Integer is 32 bits; Jackson, which reads AWS's JSON, refuses
        // more rather than wrapping it (and a double beyond it converts to
        // no integer at all).
        const double number = value.get<double>();
        if (number >= -2147483648.0 && number < 2147483648.0) return "";
        return "Numeric value (" + value.dump() +
               ") out of range of int (-2147483648 - 2147483647)";
      }
      if (value.is_structured()) return found_container();
      return std::string(scalar_name(value)) + " can not be converted to an Integer";
    case ShapeKind::kBoolean:
      if (value.is_boolean()) return "";
      if (value.is_structured()) return found_container();
      // AWS's own grammar.
      return std::string(scalar_name(value)) + " can not be converted to an Boolean";
    case ShapeKind::kList:
      if (value.is_array()) return "";
      if (value.is_object()) return found_container();
      return "Expected list or null";
    case ShapeKind::kStructure:
      if (value.is_object()) return "";
      if (value.is_array()) return found_container();
      return "Expected null";
  }
  return "";
}

void check_request_types(std::string_view operation, const nlohmann::json& request) {
  const auto& operations = model().operations;
  const auto it = operations.find(operation);
  if (it == operations.end() || !request.is_object()) return;
  check(it->second, request);
}

}  // namespace loveless::engine
