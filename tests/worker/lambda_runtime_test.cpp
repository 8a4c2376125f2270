#include <chrono>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loveless/worker/worker.hpp"

#include "fake_runtime_api.hpp"
#include "test_handlers.hpp"

using namespace loveless::worker;
using namespace loveless::worker::testing;
using namespace std::chrono_literals;

namespace {

LambdaRuntimeOptions runtime_options_for(const FakeRuntimeApi& api, int max_invocations) {
  LambdaRuntimeOptions options;
  options.runtime_api = api.runtime_api();
  options.function_name = "double-fn";
  options.max_invocations = max_invocations;
  return options;
}

int run_runtime(const Handler& handler, const LambdaRuntimeOptions& options) {
  int exit_code = -1;
  std::thread runtime([&] { exit_code = run_lambda_runtime(handler, options); });
  runtime.join();
  return exit_code;
}

}  // namespace

TEST_CASE("lambda runtime: responses and errors go to the Runtime API paths with the error type",
          "[worker][lambda]") {
  FakeRuntimeApi api;
  api.queue("req-1", R"({"n": 7})");
  api.queue("req-2", R"({"n": 3, "refuse": true})");
  api.queue("req-3", R"({"crash": "disk on fire"})");
  api.queue("req-4", R"({"long_error": true})");
  api.queue("req-5", "not json");

  CHECK(run_runtime(double_handler, runtime_options_for(api, 5)) == 0);
  const auto posts = api.posts();
  REQUIRE(posts.size() == 5);

  CHECK(posts[0].path == "/2018-06-01/runtime/invocation/req-1/response");
  CHECK(nlohmann::json::parse(posts[0].body) ==
        nlohmann::json{{"doubled", 14}, {"scratch_exists", true}});
  CHECK(posts[0].error_type.empty());

  CHECK(posts[1].path == "/2018-06-01/runtime/invocation/req-2/error");
  CHECK(nlohmann::json::parse(posts[1].body) ==
        nlohmann::json{{"errorMessage", "refusing n=3"},
                       {"errorType", "Demo.Refused"},
                       {"stackTrace", nlohmann::json::array()}});
  CHECK(posts[1].error_type == "Demo.Refused");

  CHECK(posts[2].path == "/2018-06-01/runtime/invocation/req-3/error");
  CHECK(nlohmann::json::parse(posts[2].body)["errorType"] == "Worker.UnhandledException");
  CHECK(nlohmann::json::parse(posts[2].body)["errorMessage"] == "disk on fire");
  CHECK(posts[2].error_type == "Worker.UnhandledException");

  const auto long_error = nlohmann::json::parse(posts[3].body);
  CHECK(long_error["errorType"] == std::string(256, 'E'));
  CHECK(long_error["errorMessage"] == std::string(32'768, 'c'));

  CHECK(posts[4].path == "/2018-06-01/runtime/invocation/req-5/error");
  CHECK(nlohmann::json::parse(posts[4].body)["errorType"] == "Worker.InvalidInput");
}

TEST_CASE("lambda runtime: the context carries the request id, deadline and function name",
          "[worker][lambda]") {
  FakeRuntimeApi api;
  api.queue("req-ctx", "{}", 4s);
  const Handler handler = [](const nlohmann::json&, TaskContext& context) -> nlohmann::json {
    context.heartbeat();  // a no-op for Lambda
    return {{"role_is_lambda", context.role() == Role::kLambda},
            {"invocation_id", context.invocation_id()},
            {"worker_name", context.worker_name()},
            {"remaining_ms", context.remaining_time().count()},
            {"stopping", context.stopping()},
            {"task_lost", context.task_lost()}};
  };
  CHECK(run_runtime(handler, runtime_options_for(api, 1)) == 0);
  const auto posts = api.posts();
  REQUIRE(posts.size() == 1);
  const auto output = nlohmann::json::parse(posts[0].body);
  CHECK(output["role_is_lambda"] == true);
  CHECK(output["invocation_id"] == "req-ctx");
  CHECK(output["worker_name"] == "double-fn");
  CHECK(output["remaining_ms"].get<long long>() > 3'000);
  CHECK(output["remaining_ms"].get<long long>() <= 4'000);
  CHECK(output["stopping"] == false);
  CHECK(output["task_lost"] == false);
}

TEST_CASE("lambda runtime: a handler that cannot be set up is reported on /runtime/init/error",
          "[worker][lambda]") {
  FakeRuntimeApi api;
  CHECK(run_lambda_runtime(Handler{}, runtime_options_for(api, 1)) == 2);
  const auto posts = api.posts();
  REQUIRE(posts.size() == 1);
  CHECK(posts[0].path == "/2018-06-01/runtime/init/error");
  CHECK(posts[0].error_type == "Worker.InvalidHandler");
  CHECK(nlohmann::json::parse(posts[0].body)["errorType"] == "Worker.InvalidHandler");
}
