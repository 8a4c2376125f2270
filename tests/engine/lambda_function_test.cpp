#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "engine_test_support.hpp"
#include "lambda_test_support.hpp"

using namespace loveless::engine;
using namespace loveless::engine::testing;
using namespace std::chrono_literals;
using Kind = FunctionAction::Kind;

namespace {

constexpr const char* kInvoke = "arn:aws:states:::lambda:invoke";

std::string invoke_definition(const std::string& function_name, const std::string& extra = "") {
  return task_definition(kInvoke, R"("Parameters": {"FunctionName": ")" + function_name +
                                      R"(", "Payload.$": "$"})" +
                                      (extra.empty() ? "" : ", " + extra));
}

}  // namespace

TEST_CASE("lambda: a function ARN task runs on an environment with LambdaFunction* events",
          "[engine][lambda]") {
  InThreadFunction function("echo", echo);
  ServiceFixture f;
  f.service.register_function(function.config(f.service));
  const auto sm = f.create_state_machine("sm", task_definition(kEchoArn));
  const auto run = f.start(sm, "r", R"({"n": 1})");
  REQUIRE(f.wait_for_status(run, "SUCCEEDED"));
  CHECK(nlohmann::json::parse(f.describe(run)["output"].get<std::string>()) ==
        nlohmann::json::parse(R"({"echo": {"n": 1}})"));
  CHECK(f.event_types(run) ==
        std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled",
                                 "LambdaFunctionStarted", "LambdaFunctionSucceeded",
                                 "TaskStateExited", "ExecutionSucceeded"});

  const auto seen = function.seen();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].environment == "echo-1");
  CHECK(seen[0].headers.at("Lambda-Runtime-Invoked-Function-Arn") == kEchoArn);
  CHECK(seen[0].headers.at("Lambda-Runtime-Aws-Request-Id").size() == 36);
  CHECK(seen[0].headers.at("Lambda-Runtime-Trace-Id").rfind("Root=1-", 0) == 0);
  const auto deadline = std::stoll(seen[0].headers.at("Lambda-Runtime-Deadline-Ms"));
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  CHECK(deadline > now_ms);
  CHECK(deadline <= now_ms + 3'000);

  // A post for an invocation the environment is not running is refused.
  httplib::Client client("http://" + function.runtime_api("echo-1"));
  const auto late =
      client.Post("/2018-06-01/runtime/invocation/" +
                      seen[0].headers.at("Lambda-Runtime-Aws-Request-Id") + "/response",
                  "{}", "application/json");
  REQUIRE(late);
  CHECK(late->status == 400);
  CHECK(nlohmann::json::parse(late->body)["errorType"] == "InvalidRequestID");
}

TEST_CASE("lambda: lambda:invoke wraps the payload and records Task* events", "[engine][lambda]") {
  InThreadFunction function("echo", echo);
  ServiceFixture f;
  f.service.register_function(function.config(f.service));
  const auto sm = f.create_state_machine("sm", invoke_definition("echo:live"));
  const auto run = f.start(sm, "r", R"({"n": 2})");
  REQUIRE(f.wait_for_status(run, "SUCCEEDED"));
  // Lambda's whole Invoke response, as recorded on AWS (tests/fidelity/cases/lambda).
  const auto output = nlohmann::json::parse(f.describe(run)["output"].get<std::string>());
  CHECK(output["ExecutedVersion"] == "$LATEST");
  CHECK(output["Payload"] == nlohmann::json::parse(R"({"echo": {"n": 2}})"));
  CHECK(output["StatusCode"] == 200);
  CHECK(output["SdkHttpMetadata"]["HttpStatusCode"] == 200);
  CHECK(output["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"] ==
        std::to_string(nlohmann::json{{"echo", {{"n", 2}}}}.dump().size()));
  CHECK(output["SdkHttpMetadata"]["AllHttpHeaders"]["x-amzn-RequestId"] ==
        nlohmann::json::array({output["SdkResponseMetadata"]["RequestId"]}));
  CHECK(!output.contains("LogResult"));
  CHECK(f.event_types(run) == std::vector<std::string>{"ExecutionStarted", "TaskStateEntered",
                                                       "TaskScheduled", "TaskStarted",
                                                       "TaskSucceeded", "TaskStateExited",
                                                       "ExecutionSucceeded"});
  CHECK(function.seen().at(0).headers.at("Lambda-Runtime-Invoked-Function-Arn") ==
        std::string(kEchoArn) + ":live");

  // Without Payload the function gets the empty event, as Lambda's Invoke sends it.
  const auto bare = f.create_state_machine(
      "bare", task_definition(kInvoke, R"("Parameters": {"FunctionName": ")" +
                                           std::string(kEchoArn) + R"("})"));
  const auto second = f.start(bare, "r2", R"({"ignored": true})");
  REQUIRE(f.wait_for_status(second, "SUCCEEDED"));
  CHECK(function.seen().at(1).event == nlohmann::json::object());
}

TEST_CASE("lambda: a function error fails the task with its errorType, and Retry reruns it",
          "[engine][lambda]") {
  const std::string payload =
      R"({"errorMessage":"no luck","errorType":"Boom","stackTrace":["at handler"]})";
  InThreadFunction function("flaky", [&](const nlohmann::json& event, int previous) {
    if (previous == 0) return FunctionAction{Kind::kError, payload, "Boom", {}};
    return echo(event, previous);
  });
  ServiceFixture f;
  f.service.register_function(function.config(f.service));
  const auto sm = f.create_state_machine(
      "sm", task_definition("arn:aws:lambda:us-east-1:123456789012:function:flaky",
                            R"("Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 1}])"));
  const auto run = f.start(sm, "r");
  REQUIRE(f.wait_for_status(run, "SUCCEEDED"));
  const auto history = f.history(run);
  bool found = false;
  for (const auto& event : history) {
    if (event["type"] != "LambdaFunctionFailed") continue;
    found = true;
    CHECK(event["lambdaFunctionFailedEventDetails"]["error"] == "Boom");
    CHECK(event["lambdaFunctionFailedEventDetails"]["cause"] == payload);
  }
  CHECK(found);
  // Both attempts ran on the one environment: an error does not discard it.
  CHECK(function.launched() == 1);
}

TEST_CASE("lambda: an error payload without errorType is Lambda.Unknown", "[engine][lambda]") {
  InThreadFunction function("bad", [](const nlohmann::json&, int) {
    return FunctionAction{Kind::kError, R"({"errorMessage":"?"})", "", {}};
  });
  ServiceFixture f;
  f.service.register_function(function.config(f.service));
  const auto run = f.start(f.create_state_machine("sm", invoke_definition("bad")), "r");
  REQUIRE(f.wait_for_status(run, "FAILED"));
  CHECK(f.describe(run)["error"] == "Lambda.Unknown");
  CHECK(f.describe(run)["cause"].get<std::string>().find(R"({"errorMessage":"?"})") !=
        std::string::npos);
}

TEST_CASE("lambda: a function timeout is Lambda.Unknown and resets the environment",
          "[engine][lambda]") {
  InThreadFunction function("slow", [](const nlohmann::json&, int) {
    return FunctionAction{Kind::kHang, "", "", {}};
  });
  ServiceFixture f;
  f.service.register_function(function.config(f.service, 200ms));
  const auto run =
      f.start(f.create_state_machine("sm", task_definition("arn:aws:lambda:us-east-1:"
                                                           "123456789012:function:slow")),
              "r");
  REQUIRE(f.wait_for_status(run, "FAILED"));
  const auto described = f.describe(run);
  CHECK(described["error"] == "Lambda.Unknown");
  CHECK(described["cause"].get<std::string>().find("Task timed out after 0.20 seconds") !=
        std::string::npos);
  CHECK(wait_until([&] { return function.resets() == std::vector<std::string>{"slow-1"}; }));
  const auto types = f.event_types(run);
  CHECK(std::find(types.begin(), types.end(), "LambdaFunctionFailed") != types.end());
}

TEST_CASE("lambda: an environment that exits mid-invocation fails it and the retry gets a new one",
          "[engine][lambda]") {
  InThreadFunction function("crashy", [](const nlohmann::json& event, int previous) {
    if (previous == 0) return FunctionAction{Kind::kExit, "", "", {}};
    return echo(event, previous);
  });
  ServiceFixture f;
  f.service.register_function(function.config(f.service));
  const auto sm = f.create_state_machine(
      "sm",
      invoke_definition("crashy",
                        R"("Retry": [{"ErrorEquals": ["Lambda.Unknown"], "IntervalSeconds": 1}])"));
  const auto run = f.start(sm, "r", R"({"k": 1})");
  REQUIRE(f.wait_for_status(run, "SUCCEEDED"));
  const auto seen = function.seen();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].environment == "crashy-1");
  CHECK(seen[1].environment == "crashy-2");
  bool found = false;
  for (const auto& event : f.history(run)) {
    if (event["type"] != "TaskFailed") continue;
    found = true;
    CHECK(event["taskFailedEventDetails"]["error"] == "Lambda.Unknown");
    CHECK(event["taskFailedEventDetails"]["cause"].get<std::string>().find("Runtime exited") !=
          std::string::npos);
  }
  CHECK(found);
}

TEST_CASE("lambda: sequential invocations reuse one warm environment", "[engine][lambda]") {
  InThreadFunction function("echo", echo);
  ServiceFixture f;
  f.service.register_function(function.config(f.service));
  std::string states;
  for (int i = 1; i <= 5; ++i) {
    states += R"("S)" + std::to_string(i) + R"(": {"Type": "Task", "Resource": ")" + kEchoArn +
              R"(", )" +
              (i == 5 ? R"("End": true})" : R"("Next": "S)" + std::to_string(i + 1) + "\"},");
  }
  const auto sm =
      f.create_state_machine("chain", R"({"StartAt": "S1", "States": {)" + states + "}}");
  const auto run = f.start(sm, "r", "{}");
  REQUIRE(f.wait_for_status(run, "SUCCEEDED"));
  CHECK(function.seen().size() == 5);
  CHECK(function.launched() == 1);
}

TEST_CASE("lambda: parallel invocations launch environments up to max_concurrency",
          "[engine][lambda]") {
  InThreadFunction function("work", [](const nlohmann::json& event, int previous) {
    auto action = echo(event, previous);
    action.work = 200ms;
    return action;
  });
  ServiceFixture f;
  f.service.register_function(function.config(f.service, 3s, 2));
  const auto sm = f.create_state_machine(
      "fan", std::string(R"({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items",
        "ItemProcessor": {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": ")") +
                 "arn:aws:lambda:us-east-1:123456789012:function:work" +
                 R"(", "End": true}}}, "End": true}}})");
  const auto run = f.start(sm, "r", R"({"items": [1, 2, 3, 4]})");
  REQUIRE(f.wait_for_status(run, "SUCCEEDED"));
  CHECK(function.seen().size() == 4);
  CHECK(function.launched() == 2);
}

TEST_CASE("lambda: an unregistered function fails with Lambda.ResourceNotFoundException",
          "[engine][lambda]") {
  ServiceFixture f;
  const auto invoked = f.start(f.create_state_machine("a", invoke_definition("nope")), "r");
  REQUIRE(f.wait_for_status(invoked, "FAILED"));
  CHECK(f.describe(invoked)["error"] == "Lambda.ResourceNotFoundException");
  CHECK(f.event_types(invoked) == std::vector<std::string>{"ExecutionStarted", "TaskStateEntered",
                                                           "TaskScheduled", "TaskStarted",
                                                           "TaskFailed", "ExecutionFailed"});

  const auto by_arn =
      f.start(f.create_state_machine(
                  "b", task_definition("arn:aws:lambda:us-east-1:123456789012:function:nope")),
              "r");
  REQUIRE(f.wait_for_status(by_arn, "FAILED"));
  CHECK(f.describe(by_arn)["error"] == "Lambda.ResourceNotFoundException");
  const auto types = f.event_types(by_arn);
  CHECK(std::find(types.begin(), types.end(), "LambdaFunctionScheduleFailed") != types.end());
}

TEST_CASE("lambda: register_function rejects bad configurations", "[engine][lambda]") {
  ServiceFixture f;
  LocalFunctionConfig config;
  config.name = "bad name";
  config.launch_environment = [](const std::string&) { return std::string("x"); };
  CHECK_THROWS_AS(f.service.register_function(config), std::invalid_argument);
  config.name = "good";
  config.launch_environment = nullptr;
  CHECK_THROWS_AS(f.service.register_function(config), std::invalid_argument);
  config.launch_environment = [](const std::string&) { return std::string("x"); };
  f.service.register_function(config);
  CHECK_THROWS_AS(f.service.register_function(config), std::logic_error);
}

TEST_CASE("lambda: a launcher that throws fails the invocation", "[engine][lambda]") {
  ServiceFixture f;
  LocalFunctionConfig config;
  config.name = "broken";
  config.launch_environment = [](const std::string&) -> std::string {
    throw std::runtime_error("no such binary");
  };
  f.service.register_function(config);
  const auto run = f.start(f.create_state_machine("sm", invoke_definition("broken")), "r");
  REQUIRE(f.wait_for_status(run, "FAILED"));
  CHECK(f.describe(run)["error"] == "Lambda.ServiceException");
  CHECK(f.describe(run)["cause"].get<std::string>().find("no such binary") != std::string::npos);
}
