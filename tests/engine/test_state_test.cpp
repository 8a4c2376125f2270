// TestState: one state run once, its output, error, transition and inspection data.
// Expected shapes follow AWS's recordings (LocalStack's test_test_state_scenarios).

#include <atomic>
#include <chrono>
#include <string>

#include <catch2/catch.hpp>

#include "engine_test_support.hpp"
#include "function_reference.hpp"
#include "lambda_test_support.hpp"
#include "local_function.hpp"
#include "service_context.hpp"
#include "test_state_task.hpp"

using namespace loveless::engine;
using namespace loveless::engine::testing;
using nlohmann::json;
using Kind = FunctionAction::Kind;

namespace {

json test_state(ServiceFixture& f, const json& state, const json& input = json::object(),
                const std::string& level = "INFO", json extra = json::object()) {
  json request = {{"definition", state.dump()},
                  {"roleArn", kRoleArn},
                  {"input", input.dump()},
                  {"inspectionLevel", level}};
  for (const auto& [key, value] : extra.items()) request[key] = value;
  return f.call("TestState", request);
}

/// inspectionData with each JSON text member parsed.
json inspection(const json& response) {
  json parsed = json::object();
  for (const auto& [key, value] : response.at("inspectionData").items()) {
    parsed[key] = value.is_string() ? json::parse(value.get<std::string>()) : value;
  }
  return parsed;
}

json output(const json& response) { return json::parse(response.at("output").get<std::string>()); }

const json kNested = {
    {"initialData", {{"fieldFromInput", "value from input"}, {"otherField", "other"}}},
    {"unrelatedData", {{"someOtherField", 1234}}}};

}  // namespace

TEST_CASE("TestState runs a Pass state and reports each step of its data flow",
          "[engine][test-state]") {
  ServiceFixture f;
  SECTION("INFO: output and status only") {
    const auto response =
        test_state(f, {{"Type", "Pass"}, {"End", true}}, {{"Value", "HelloWorld"}});
    CHECK(response == json{{"status", "SUCCEEDED"}, {"output", R"({"Value":"HelloWorld"})"}});
  }
  SECTION("DEBUG: InputPath, Parameters, ResultPath") {
    const json state = {
        {"Type", "Pass"},
        {"InputPath", "$.initialData"},
        {"Parameters", {{"staticValue", "some value"}, {"inputValue.$", "$.fieldFromInput"}}},
        {"ResultPath", "$.modifiedData"},
        {"Next", "Elsewhere"}};
    const auto response = test_state(f, state, kNested, "DEBUG");
    CHECK(response["status"] == "SUCCEEDED");
    CHECK(response["nextState"] == "Elsewhere");
    const json modified = {{"staticValue", "some value"}, {"inputValue", "value from input"}};
    json expected_output = kNested;
    expected_output["modifiedData"] = modified;
    CHECK(output(response) == expected_output);
    CHECK(inspection(response) == json{{"input", kNested},
                                       {"afterInputPath", kNested["initialData"]},
                                       {"afterParameters", modified},
                                       {"afterResultSelector", modified},
                                       {"afterResultPath", expected_output}});
  }
  SECTION("TRACE: a Pass with Result shows the result, not the input's paths") {
    const json state = {{"Type", "Pass"},
                        {"Result", {{"resultKey", "result value"}}},
                        {"ResultPath", "$.modifiedData"},
                        {"End", true}};
    const auto response = test_state(f, state, kNested, "TRACE");
    json expected_output = kNested;
    expected_output["modifiedData"] = {{"resultKey", "result value"}};
    CHECK(inspection(response) == json{{"input", kNested},
                                       {"result", {{"resultKey", "result value"}}},
                                       {"afterResultSelector", {{"resultKey", "result value"}}},
                                       {"afterResultPath", expected_output}});
  }
  SECTION("the context object names the state StateName and holds the input") {
    const json state = {{"Type", "Pass"},
                        {"Parameters",
                         {{"name.$", "$$.State.Name"},
                          {"input.$", "$$.Execution.Input"},
                          {"role.$", "$$.Execution.RoleArn"}}},
                        {"End", true}};
    const auto response = test_state(f, state, {{"n", 1}});
    CHECK(output(response) ==
          json{{"name", "StateName"}, {"input", {{"n", 1}}}, {"role", kRoleArn}});
  }
}

TEST_CASE("TestState runs Choice, Wait, Succeed and Fail states", "[engine][test-state]") {
  ServiceFixture f;
  const json choice = {
      {"Type", "Choice"},
      {"Choices",
       json::array(
           {{{"Variable", "$.value"}, {"NumericGreaterThan", 20}, {"Next", "ValueInTwenties"}}})},
      {"Default", "Other"}};
  SECTION("Choice: the matched rule's Next, the input as output") {
    const auto response = test_state(f, choice, {{"type", "Private"}, {"value", 22}}, "DEBUG");
    CHECK(response["status"] == "SUCCEEDED");
    CHECK(response["nextState"] == "ValueInTwenties");
    CHECK(output(response) == json{{"type", "Private"}, {"value", 22}});
    CHECK(inspection(response) == json{{"input", {{"type", "Private"}, {"value", 22}}},
                                       {"afterInputPath", {{"type", "Private"}, {"value", 22}}}});
    CHECK(test_state(f, choice, {{"value", 1}})["nextState"] == "Other");
  }
  SECTION("Choice without a match or Default fails") {
    json no_default = choice;
    no_default.erase("Default");
    const auto response = test_state(f, no_default, {{"value", 1}});
    CHECK(response["status"] == "FAILED");
    CHECK(response["error"] == "States.NoChoiceMatched");
    CHECK_FALSE(response.contains("nextState"));
  }
  SECTION("Wait returns at once") {
    const auto started = std::chrono::steady_clock::now();
    const auto response =
        test_state(f, {{"Type", "Wait"}, {"Seconds", 3600}, {"Next", "After"}}, {{"a", 1}});
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
    CHECK(response["status"] == "SUCCEEDED");
    CHECK(response["nextState"] == "After");
    CHECK(output(response) == json{{"a", 1}});
    const auto bad =
        test_state(f, {{"Type", "Wait"}, {"SecondsPath", "$.s"}, {"End", true}}, {{"s", "soon"}});
    CHECK(bad["status"] == "FAILED");
    CHECK(bad["error"] == "States.Runtime");
  }
  SECTION("Succeed and Fail") {
    const auto succeeded = test_state(f, {{"Type", "Succeed"}}, {{"a", 1}}, "DEBUG");
    CHECK(succeeded["status"] == "SUCCEEDED");
    CHECK_FALSE(succeeded.contains("nextState"));
    CHECK(inspection(succeeded) == json{{"input", {{"a", 1}}}, {"afterInputPath", {{"a", 1}}}});
    const auto failed =
        test_state(f, {{"Type", "Fail"}, {"Error", "SomeFailure"}, {"Cause", "It broke"}},
                   {{"a", 1}}, "DEBUG");
    CHECK(failed["status"] == "FAILED");
    CHECK(failed["error"] == "SomeFailure");
    CHECK(failed["cause"] == "It broke");
    CHECK_FALSE(failed.contains("output"));
    CHECK(inspection(failed) == json{{"input", {{"a", 1}}}, {"afterInputPath", {{"a", 1}}}});
  }
  SECTION("a state of a whole state machine, named by stateName") {
    const json machine = {{"StartAt", "State0"},
                          {"States",
                           {{"State0", {{"Type", "Pass"}, {"Next", "State1"}}},
                            {"State1", {{"Type", "Pass"}, {"Result", 1}, {"End", true}}}}}};
    const auto first = test_state(f, machine, {{"a", 1}}, "INFO", {{"stateName", "State0"}});
    CHECK(first["nextState"] == "State1");
    const auto second = test_state(f, machine, {{"a", 1}}, "INFO", {{"stateName", "State1"}});
    CHECK(output(second) == 1);
    CHECK_FALSE(second.contains("nextState"));
    const auto error = service_error([&] {
      test_state(f, machine, {}, "INFO", {{"stateName", "Missing"}});
    });
    CHECK(error.type() == "ValidationException");
    CHECK(error.message() == "State not found in definition");
  }
}

TEST_CASE("TestState runs a Lambda Task on a local function", "[engine][test-state]") {
  std::atomic<bool> fail{false};
  InThreadFunction function("echo", [&](const json& event, int previous) {
    if (fail)
      return FunctionAction{
          Kind::kError, R"({"errorType": "Flaky", "errorMessage": "no"})", "", {}};
    return echo(event, previous);
  });
  ServiceFixture f;
  f.service.register_function(function.config(f.service));
  std::atomic<int> observed{0};
  f.service.observe([&](const ExecutionNotice&) { ++observed; });

  SECTION("a function ARN: the effective input is the event") {
    const json state = {{"Type", "Task"},
                        {"Resource", kEchoArn},
                        {"Parameters", {{"x.$", "$.inputData"}}},
                        {"ResultSelector", {{"got.$", "$.echo.x"}}},
                        {"End", true}};
    const auto response = test_state(f, state, {{"inputData", "HelloWorld"}}, "DEBUG");
    CHECK(response["status"] == "SUCCEEDED");
    CHECK(output(response) == json{{"got", "HelloWorld"}});
    CHECK(inspection(response) == json{{"input", {{"inputData", "HelloWorld"}}},
                                       {"afterInputPath", {{"inputData", "HelloWorld"}}},
                                       {"afterParameters", {{"x", "HelloWorld"}}},
                                       {"result", {{"echo", {{"x", "HelloWorld"}}}}},
                                       {"afterResultSelector", {{"got", "HelloWorld"}}},
                                       {"afterResultPath", {{"got", "HelloWorld"}}}});
    // The hidden execution that ran the task is nobody's business.
    CHECK(observed == 0);
    CHECK(f.call("ListStateMachines", json::object())["stateMachines"].empty());
  }
  SECTION("lambda:invoke: the Invoke response") {
    const json state = {{"Type", "Task"},
                        {"Resource", "arn:aws:states:::lambda:invoke"},
                        {"Parameters", {{"FunctionName", "echo"}, {"Payload.$", "$"}}},
                        {"End", true}};
    const auto response = test_state(f, state, {{"n", 1}});
    const json invoked = output(response);
    CHECK(invoked["ExecutedVersion"] == "$LATEST");
    CHECK(invoked["Payload"] == json{{"echo", {{"n", 1}}}});
    CHECK(invoked["StatusCode"] == 200);
    CHECK(invoked["SdkHttpMetadata"]["HttpStatusCode"] == 200);
  }
  SECTION("a function error: FAILED, RETRIABLE or CAUGHT_ERROR") {
    fail = true;
    json state = {{"Type", "Task"}, {"Resource", kEchoArn}, {"End", true}};
    auto response = test_state(f, state, {{"n", 1}}, "DEBUG");
    CHECK(response["status"] == "FAILED");
    CHECK(response["error"] == "Flaky");
    CHECK_FALSE(inspection(response).contains("errorDetails"));

    state["Retry"] = json::array({{{"ErrorEquals", {"Other"}}},
                                  {{"ErrorEquals", {"Flaky"}},
                                   {"IntervalSeconds", 2},
                                   {"BackoffRate", 3},
                                   {"MaxAttempts", 2}}});
    response = test_state(f, state, {{"n", 1}}, "DEBUG");
    CHECK(response["status"] == "RETRIABLE");
    CHECK(response["error"] == "Flaky");
    CHECK(inspection(response)["errorDetails"] ==
          json{{"retryIndex", 1}, {"retryBackoffIntervalSeconds", 2}});
    response = test_state(f, state, {{"n", 1}}, "DEBUG",
                          {{"stateConfiguration", {{"retrierRetryCount", 1}}}});
    CHECK(inspection(response)["errorDetails"] ==
          json{{"retryIndex", 1}, {"retryBackoffIntervalSeconds", 6}});
    response = test_state(f, state, {{"n", 1}}, "DEBUG",
                          {{"stateConfiguration", {{"retrierRetryCount", 2}}}});
    CHECK(response["status"] == "FAILED");
    CHECK(inspection(response)["errorDetails"] == json{{"retryIndex", 1}});

    state["Catch"] = json::array(
        {{{"ErrorEquals", {"States.ALL"}}, {"ResultPath", "$.error"}, {"Next", "Handle"}}});
    response = test_state(f, state, {{"n", 1}}, "DEBUG",
                          {{"stateConfiguration", {{"retrierRetryCount", 2}}}});
    CHECK(response["status"] == "CAUGHT_ERROR");
    CHECK(response["nextState"] == "Handle");
    CHECK(output(response)["error"]["Error"] == "Flaky");
    CHECK(output(response)["n"] == 1);
    CHECK(inspection(response)["errorDetails"] == json{{"retryIndex", 1}, {"catchIndex", 0}});
  }
  SECTION("a JSONata Task: Arguments are the event, Output reads $states.result") {
    const json state = {{"Type", "Task"},
                        {"QueryLanguage", "JSONata"},
                        {"Resource", kEchoArn},
                        {"Arguments", {{"x", "{% $states.input.inputData & '!' %}"}}},
                        {"Output", {{"got", "{% $states.result.echo.x %}"}}},
                        {"Next", "After"}};
    const auto response = test_state(f, state, {{"inputData", "Hello"}}, "DEBUG");
    CHECK(response["status"] == "SUCCEEDED");
    CHECK(response["nextState"] == "After");
    CHECK(output(response) == json{{"got", "Hello!"}});
    CHECK(inspection(response) == json{{"input", {{"inputData", "Hello"}}},
                                       {"afterArguments", {{"x", "Hello!"}}},
                                       {"result", {{"echo", {{"x", "Hello!"}}}}}});
  }
  SECTION("an unknown function fails as Lambda answers") {
    const auto response =
        test_state(f, {{"Type", "Task"},
                       {"Resource", "arn:aws:lambda:us-east-1:123456789012:function:nope"},
                       {"End", true}});
    CHECK(response["status"] == "FAILED");
    CHECK(response["error"] == "Lambda.ResourceNotFoundException");
  }
}

TEST_CASE("TestState mocks a Task's result or error", "[engine][test-state]") {
  ServiceFixture f;
  const json task = {
      {"Type", "Task"},
      {"Resource", "arn:aws:states:::lambda:invoke"},
      {"Parameters", {{"FunctionName", "foo"}, {"Payload", "bar"}}},
      {"Catch", json::array({{{"ErrorEquals", {"MockException"}}, {"Next", "HandleMockError"}}})},
      {"End", true}};
  SECTION("a mocked result needs no role and no function") {
    json request = {{"definition", task.dump()},
                    {"mock", {{"result", R"({"Payload": "function output"})"}}}};
    const auto response = f.call("TestState", request);
    CHECK(response["status"] == "SUCCEEDED");
    CHECK(output(response) == json{{"Payload", "function output"}});
  }
  SECTION("a mocked error goes through Catch") {
    const auto response =
        test_state(f, task, {{"Value", "HelloWorld"}}, "INFO",
                   {{"mock",
                     {{"errorOutput",
                       {{"error", "MockException"}, {"cause", "Mock the cause of the error."}}}}}});
    CHECK(response["status"] == "CAUGHT_ERROR");
    CHECK(response["nextState"] == "HandleMockError");
    CHECK(response["error"] == "MockException");
    CHECK(output(response) ==
          json{{"Error", "MockException"}, {"Cause", "Mock the cause of the error."}});
  }
  SECTION("AWS's validation of mocks") {
    const auto error_of = [&](const json& state, const json& extra) {
      return service_error([&] { test_state(f, state, json::object(), "INFO", extra); });
    };
    auto error = error_of(task, {{"mock", {{"result", "{}"}, {"errorOutput", {{"error", "E"}}}}}});
    CHECK(error.type() == "ValidationException");
    CHECK(error.message() ==
          "A test mock should have only one of the following fields: [result, errorOutput].");
    error = error_of(task, {{"mock", {{"result", "{not json"}}}});
    CHECK(error.message() == "Mocked result must be valid JSON");
    error = error_of({{"Type", "Pass"}, {"End", true}}, {{"mock", {{"result", "{}"}}}});
    CHECK(error.message() == "State type 'Pass' is not supported when a mock is specified");
    error = error_of(task, {{"mock", {{"result", "{}"}}}, {"revealSecrets", true}});
    CHECK(error.message() == "TestState does not support RevealSecrets when a mock is specified.");
  }
}

TEST_CASE("TestState evaluates Assign over the variables it is given", "[engine][test-state]") {
  ServiceFixture f;
  SECTION("JSONPath: Assign sees the variables from before the state") {
    const json state = {{"Type", "Pass"},
                        {"Result", {{"n", 2}}},
                        {"Assign", {{"total.$", "States.MathAdd($total, $.n)"}, {"seen", true}}},
                        {"End", true}};
    const auto response =
        test_state(f, state, json::object(), "DEBUG", {{"variables", R"({"total": 40})"}});
    CHECK(response["status"] == "SUCCEEDED");
    CHECK(inspection(response)["variables"] == json{{"total", 42}, {"seen", true}});
  }
  SECTION("JSONata: Output and Assign read the variables; INFO shows no inspectionData") {
    const json state = {{"Type", "Pass"},
                        {"QueryLanguage", "JSONata"},
                        {"Assign", {{"count", "{% $count + 1 %}"}}},
                        {"Output", {{"before", "{% $count %}"}}},
                        {"End", true}};
    auto response =
        test_state(f, state, json::object(), "TRACE", {{"variables", R"({"count": 1})"}});
    CHECK(output(response) == json{{"before", 1}});
    CHECK(inspection(response) == json{{"input", json::object()}, {"variables", {{"count", 2}}}});
    response = test_state(f, state, json::object(), "INFO", {{"variables", R"({"count": 1})"}});
    CHECK_FALSE(response.contains("inspectionData"));
  }
  SECTION("no variables given and none assigned: no variables member") {
    const auto response = test_state(f, {{"Type", "Pass"}, {"End", true}}, {{"a", 1}}, "DEBUG");
    CHECK_FALSE(inspection(response).contains("variables"));
  }
}

TEST_CASE("TestState answers AWS's errors", "[engine][test-state]") {
  ServiceFixture f;
  const json pass = {{"Type", "Pass"}, {"End", true}};
  const auto error_of = [&](const json& request) {
    return service_error([&] { f.call("TestState", request); });
  };
  SECTION("a Task without roleArn") {
    const auto error = error_of(
        {{"definition", json{{"Type", "Task"}, {"Resource", kEchoArn}, {"End", true}}.dump()}});
    CHECK(error.type() == "ValidationException");
    CHECK(error.message() == "RoleArn must be specified when testing a Task state");
  }
  SECTION("an activity Task") {
    const auto activity = f.create_activity("work");
    const auto error = error_of(
        {{"definition", json{{"Type", "Task"}, {"Resource", activity}, {"End", true}}.dump()},
         {"roleArn", kRoleArn}});
    CHECK(error.type() == "InvalidDefinition");
  }
  SECTION("Map and Parallel states without a mock") {
    const json parallel = {
        {"Type", "Parallel"},
        {"End", true},
        {"Branches", json::array({{{"StartAt", "P"}, {"States", {{"P", pass}}}}})}};
    const auto error = error_of({{"definition", parallel.dump()}});
    CHECK(error.type() == "InvalidDefinition");
    CHECK(error.message() ==
          "TestState API does not support Map or Parallel states. Supported state types "
          "include: [Task, Wait, Pass, Succeed, Fail, Choice]");
  }
  SECTION("definitions that are not JSON or not valid") {
    auto error = error_of({{"definition", "{nope"}});
    CHECK(error.type() == "InvalidDefinition");
    CHECK(error.message().rfind("Invalid State Machine Definition: '", 0) == 0);
    error = error_of({{"definition", R"({"Type": "Nope", "End": true})"}});
    CHECK(error.type() == "InvalidDefinition");
    CHECK(error.message().find("/States/StateName") != std::string::npos);
    error = error_of({{"definition", R"({"Type": "Pass"})"}});
    CHECK(error.type() == "InvalidDefinition");
  }
  SECTION("bad requests") {
    CHECK(error_of(json::object()).type() == "ValidationException");
    auto error = error_of({{"definition", pass.dump()}, {"input", "{oops"}});
    CHECK(error.type() == "InvalidExecutionInput");
    error = error_of({{"definition", pass.dump()}, {"inspectionLevel", "LOUD"}});
    CHECK(error.type() == "ValidationException");
    CHECK(error_of({{"definition", pass.dump()}, {"roleArn", "role"}}).type() == "InvalidArn");
    CHECK(error_of({{"definition", pass.dump()}, {"variables", "[1]"}}).type() ==
          "ValidationException");
    error = error_of({{"definition", pass.dump()}, {"context", R"({"Pokedex": {}})"}});
    CHECK(error.type() == "ValidationException");
    CHECK(error.message() == "Invalid Context object provided: Field 'Pokedex' is not allowed");
    CHECK(error_of({{"definition", pass.dump()}, {"stateName", "P"}}).type() ==
          "InvalidDefinition");
  }
}

TEST_CASE("a tested Task gives up at its time limit and when the service shuts down",
          "[engine][test-state]") {
  InThreadFunction function("hang", [](const json& /*event*/, int /*previous*/) {
    return FunctionAction{Kind::kHang, "", "", {}};
  });
  StepFunctionsService launcher_owner(fast_options());
  ServiceContext context(fast_options());
  const auto arn = function_arn("us-east-1", "123456789012", "hang");
  context.functions.add(
      std::make_shared<LocalFunction>(function.config(launcher_owner), arn, context.timers, 1));
  loveless::asl::TaskRequest request;
  request.task_id = 1;
  request.kind = loveless::asl::ResourceKind::kLambdaArn;
  request.resource = arn;
  request.input = json::object();

  const auto started = std::chrono::steady_clock::now();
  auto outcome = run_test_task(context, request, std::chrono::milliseconds(300));
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
  CHECK_FALSE(outcome.succeeded);
  CHECK(outcome.error == "States.Timeout");

  context.shutting_down = true;
  outcome = run_test_task(context, request);
  CHECK_FALSE(outcome.succeeded);
  CHECK(outcome.error == "States.Runtime");
}

TEST_CASE("TestState checks a mocked result against the integration's API shape",
          "[engine][test-state]") {
  ServiceFixture f;
  const auto task = [](const std::string& resource) {
    return json{{"Type", "Task"}, {"Resource", resource}, {"End", true}};
  };
  const auto mocked = [&](const json& state, const json& result, const char* mode = nullptr) {
    json mock = {{"result", result.dump()}};
    if (mode != nullptr) mock["fieldValidationMode"] = mode;
    return json{{"definition", state.dump()}, {"mock", mock}};
  };
  const auto error_of = [&](const json& request) {
    return service_error([&] { f.call("TestState", request); }).message();
  };
  const auto start = task("arn:aws:states:::states:startExecution");
  SECTION("STRICT: required members, types, enums and bounds") {
    CHECK(error_of(mocked(start, json::object())) ==
          "Mock result schema validation error: Required field 'ExecutionArn' is missing");
    CHECK(error_of(mocked(start, {{"ExecutionArn", "a"}, {"StartDate", 1}})) ==
          "Mock result schema validation error: Field 'StartDate' must be a string");
    CHECK(error_of(mocked(task("arn:aws:states:::aws-sdk:s3:getObject"),
                          {{"StorageClass", "Papyrus"}})) ==
          "Mock result schema validation error: Field 'StorageClass' is not an expected value");
    CHECK(error_of(mocked(task("arn:aws:states:::aws-sdk:lambda:getFunction"),
                          {{"Configuration", {{"MemorySize", 64}}}})) ==
          "Mock result schema validation error: Field 'MemorySize' is less than the minimum value");
    // A member the API does not have is ignored.
    const auto response = f.call(
        "TestState", mocked(task("arn:aws:states:::events:putEvents"), {{"random", "json"}}));
    CHECK(response["status"] == "SUCCEEDED");
  }
  SECTION("PRESENT checks what is there; NONE checks nothing") {
    CHECK(f.call("TestState", mocked(start, json::object(), "PRESENT"))["status"] == "SUCCEEDED");
    CHECK(error_of(mocked(start, {{"ExecutionArn", 7}}, "PRESENT")) ==
          "Mock result schema validation error: Field 'ExecutionArn' must be a string");
    CHECK(f.call("TestState", mocked(start, {{"StartDate", true}}, "NONE"))["status"] ==
          "SUCCEEDED");
    CHECK(service_error([&] {
            f.call("TestState", mocked(start, json::object(), "LOOSE"));
          }).type() == "ValidationException");
  }
  SECTION("callback results and actions without a known shape are not checked") {
    CHECK(f.call("TestState", mocked(task("arn:aws:states:::lambda:invoke.waitForTaskToken"),
                                     "anything"))["status"] == "SUCCEEDED");
    CHECK(f.call("TestState", mocked(task("arn:aws:states:::aws-sdk:ec2:describeInstances"),
                                     {{"Reservations", "not a list"}}))["status"] == "SUCCEEDED");
  }
}
