#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "worker_test_support.hpp"
#include <signal.h>

using namespace loveless::worker::testing;
using loveless::engine::LocalFunctionConfig;
using namespace std::chrono_literals;

namespace {

constexpr const char* kFunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:double";

/// Execution environments of the engine's local function `double`: each one
/// a `worker_sdk_test_worker double` process pointed at its Runtime API.
class ProcessFunction {
 public:
  LocalFunctionConfig config() {
    LocalFunctionConfig config;
    config.name = "double";
    config.timeout = 5s;
    config.max_concurrency = 2;
    config.launch_environment = [this](const std::string& runtime_api) {
      const std::lock_guard lock(mutex_);
      auto id = "double-" + std::to_string(environments_.size() + 1);
      environments_.push_back(std::make_unique<ChildWorker>(
          std::vector<std::string>{"double"},
          std::map<std::string, std::string>{{"AWS_LAMBDA_RUNTIME_API", runtime_api},
                                             {"AWS_LAMBDA_FUNCTION_NAME", "double"},
                                             {"LOVELESS_WORKER_NAME", id}}));
      return id;
    };
    config.reset_environment = [this](const std::string& id) {
      const std::lock_guard lock(mutex_);
      const auto index = std::stoul(id.substr(id.rfind('-') + 1)) - 1;
      environments_.at(index)->signal(SIGKILL);
    };
    return config;
  }

  /// Every environment launched so far.
  std::vector<ChildWorker*> environments() {
    const std::lock_guard lock(mutex_);
    std::vector<ChildWorker*> result;
    for (const auto& environment : environments_) result.push_back(environment.get());
    return result;
  }

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<ChildWorker>> environments_;
};

// One execution runs the same input through the `double` handler twice:
// once as an Activity worker, once as a Lambda function.
std::string both_roles_definition(const std::string& activity_arn) {
  return nlohmann::json{
      {"StartAt", "Both"},
      {"States",
       {{"Both",
         {{"Type", "Parallel"},
          {"End", true},
          {"Branches",
           {{{"StartAt", "Activity"},
             {"States",
              {{"Activity", {{"Type", "Task"}, {"Resource", activity_arn}, {"End", true}}}}}},
            {{"StartAt", "Lambda"},
             {"States",
              {{"Lambda", {{"Type", "Task"}, {"Resource", kFunctionArn}, {"End", true}}}}}}}}}}}}}
      .dump();
}

}  // namespace

TEST_CASE(
    "lambda runtime on the engine: the same binary and handler serve an activity and a "
    "Lambda function with the same output, and SIGTERM ends an idle environment with 0",
    "[worker][lambda][engine]") {
  ProcessFunction function;
  EngineServer engine;
  engine.service.register_function(function.config());
  const auto activity = engine.create_activity("double");
  const auto sm = engine.create_state_machine("sm", both_roles_definition(activity));
  ChildWorker activity_worker({"double"}, {{"AWS_ENDPOINT_URL_SFN", engine.url()},
                                           {"LOVELESS_ACTIVITY_ARN", activity},
                                           {"LOVELESS_WORKER_NAME", "activity-1"}});

  for (int n = 1; n <= 3; ++n) {
    const auto run =
        engine.start(sm, "r" + std::to_string(n), R"({"n": )" + std::to_string(n) + "}");
    REQUIRE(engine.wait_for_status(run, "SUCCEEDED"));
    const auto output = nlohmann::json::parse(engine.describe(run)["output"].get<std::string>());
    REQUIRE(output.size() == 2);
    CHECK(output[0] == nlohmann::json{{"doubled", 2 * n}, {"scratch_exists", true}});
    CHECK(output[1] == output[0]);
  }

  // Runs one at a time: an idle environment is reused.
  const auto environments = function.environments();
  CHECK(environments.size() == 1);
  const auto refused = engine.start(sm, "refused", R"({"n": 5, "refuse": true})");
  REQUIRE(engine.wait_for_status(refused, "FAILED"));
  CHECK(engine.describe(refused)["error"] == "Demo.Refused");

  for (auto* environment : function.environments()) {
    const auto sent = std::chrono::steady_clock::now();
    environment->signal(SIGTERM);
    const auto exit_code = environment->wait_exit(3s);
    INFO(environment->stderr_text());
    REQUIRE(exit_code);
    CHECK(*exit_code == 0);
    CHECK(std::chrono::steady_clock::now() - sent < 1s);
  }
  activity_worker.signal(SIGTERM);
  CHECK(activity_worker.wait_exit(3s) == 0);
}
