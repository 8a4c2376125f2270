// libFuzzer target for the engine's API request reader: the input's first
// byte picks an operation, the rest is the request body as an HTTP client
// would send it. Every body must be answered with a result or a ServiceError
// (AWS's error shape), as the HTTP server does; anything else (another
// exception, a crash, a sanitizer report, a hang) is a finding. The service
// holds a state machine, an activity and a running execution whose ARNs the
// seeds name, so fuzzed requests reach past the lookups.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "loveless/asl/json_document.hpp"
#include "loveless/engine/service.hpp"
#include "loveless/engine/service_error.hpp"

namespace {

// New operations are appended, so that a seed's first byte keeps naming the
// same operation. StartSyncExecution is left out: it rightly waits for the
// execution, and a fuzzed EXPRESS machine may Wait for days.
constexpr std::array<std::string_view, 36> kOperations = {
    "CreateStateMachine",   "DescribeStateMachine",
    "ListStateMachines",    "UpdateStateMachine",
    "DeleteStateMachine",   "StartExecution",
    "DescribeExecution",    "StopExecution",
    "ListExecutions",       "GetExecutionHistory",
    "CreateActivity",       "DescribeActivity",
    "ListActivities",       "DeleteActivity",
    "GetActivityTask",      "SendTaskSuccess",
    "SendTaskFailure",      "SendTaskHeartbeat",
    "TagResource",          "UntagResource",
    "ListTagsForResource",  "ValidateStateMachineDefinition",
    "DescribeStateMachineForExecution", "RedriveExecution",
    "TestState",            "DescribeMapRun",
    "ListMapRuns",          "PublishStateMachineVersion",
    "ListStateMachineVersions", "DeleteStateMachineVersion",
    "CreateStateMachineAlias", "DescribeStateMachineAlias",
    "UpdateStateMachineAlias", "DeleteStateMachineAlias",
    "ListStateMachineAliases", "UpdateMapRun"};

loveless::engine::StepFunctionsService& service() {
  static auto* instance = [] {
    loveless::engine::ServiceOptions options;
    // GetActivityTask returns at once instead of long-polling.
    options.activity_poll_timeout = std::chrono::milliseconds(0);
    options.seed = 1;
    auto* created = new loveless::engine::StepFunctionsService(options);
    const auto activity = created->invoke("CreateActivity", {{"name", "fuzz"}});
    const auto machine = created->invoke(
        "CreateStateMachine",
        {{"name", "fuzz"},
         {"roleArn", "arn:aws:iam::123456789012:role/fuzz"},
         {"definition", R"({"StartAt": "W", "States": {"W": {"Type": "Task", "Resource": ")" +
                            activity["activityArn"].get<std::string>() + R"(", "End": true}}})"}});
    created->invoke("StartExecution",
                    {{"stateMachineArn", machine["stateMachineArn"]}, {"name", "fuzz"}});
    return created;
  }();
  return *instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto operation = kOperations[data[0] % kOperations.size()];
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  nlohmann::json request;
  try {
    request = loveless::asl::parse_json_document(body);
  } catch (const loveless::asl::JsonDocumentError&) {
    return 0;  // the server answers SerializationException
  }
  try {
    const auto response = service().invoke(operation, request);
    // Every response must be writable as the server writes it.
    (void)response.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const loveless::engine::ServiceError&) {
    // AWS's error shape: expected for bad requests.
  }
  return 0;
}
