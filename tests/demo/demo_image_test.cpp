// The demo image (loveless/demo: demo-worker-static FROM scratch) on a docker
// fleet against the engine in process: the same image serves as the
// count-words activity worker and as the split and merge Lambda functions,
// with the worker SDK's HTTP clients (Boost.Beast) linked statically.
//
// The durable store is a host directory bind-mounted at /store into every
// container (PoolSpec::mounts): the test plants a task's input objects there
// and reads the objects the task wrote.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loveless/aws/json_client.hpp"
#include "loveless/engine/http_server.hpp"
#include "loveless/engine/service.hpp"
#include "loveless/stacks/docker/docker_fleet.hpp"

#include "docker_test_support.hpp"

namespace {

using nlohmann::json;
using namespace std::chrono_literals;
namespace stacks = loveless::stacks;
namespace engine = loveless::engine;
using stacks::testing::TempDir;

constexpr const char* kDemoImage = "loveless/demo";
constexpr const char* kStoreInContainer = "/store";

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_text(const std::filesystem::path& file, const std::string& text) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

const json* find_event(const json& events, const std::string& type) {
  for (const auto& event : events) {
    if (event.at("type") == type) return &event;
  }
  return nullptr;
}

/// The engine in process on 127.0.0.1:<ephemeral>, a docker fleet whose
/// containers reach it there, and pools of the demo image.
class DemoOnDocker {
 public:
  explicit DemoOnDocker(std::shared_ptr<const stacks::DockerClient> docker)
      : store_(run_dir_.path() / "store") {
    std::filesystem::create_directories(store_);
    engine::ServiceOptions service_options;
    service_options.activity_poll_timeout = 1s;
    service_ = std::make_unique<engine::StepFunctionsService>(service_options);
    server_ = std::make_unique<engine::HttpServer>(*service_);
    server_->start("127.0.0.1", 0);
    auto options = stacks::testing::test_fleet_options(run_dir_.path());
    options.sfn_endpoint = server_->url();
    fleet_ = stacks::make_docker_fleet(options, std::move(docker));
  }
  ~DemoOnDocker() {
    // Workers first, while the engine can record how their tasks ended.
    fleet_->shutdown();
    service_->shutdown();
    server_->stop();
  }
  DemoOnDocker(const DemoOnDocker&) = delete;
  DemoOnDocker& operator=(const DemoOnDocker&) = delete;

  [[nodiscard]] loveless::aws::JsonClient client() const {
    loveless::aws::JsonClientOptions options;
    options.endpoint = server_->url();
    return loveless::aws::JsonClient(std::move(options));
  }

  /// The store every worker sees at /store, on the host.
  [[nodiscard]] const std::filesystem::path& store() const { return store_; }

  /// A count-words activity pool of one worker, polling a new activity.
  std::shared_ptr<stacks::Pool> add_count_words() {
    auto spec = demo_pool("count-words");
    spec.activity_arn = client()
                            .call("CreateActivity", {{"name", "count-words"}})
                            .at("activityArn")
                            .get<std::string>();
    return fleet_->add_activity_pool(spec);
  }

  /// The Lambda function `handler` (split or merge), whose environments are
  /// containers of a function pool of the same name (started on demand).
  std::shared_ptr<stacks::Pool> add_function(const std::string& handler) {
    auto pool = fleet_->add_function_pool(demo_pool(handler));
    auto* service = service_.get();
    // A dead environment's invocation fails now rather than at the function timeout.
    pool->subscribe([service](const stacks::PoolEvent& event) {
      if (event.kind == stacks::PoolEvent::Kind::kDied)
        service->environment_exited(event.worker_id);
    });
    engine::LocalFunctionConfig config;
    config.name = handler;
    config.timeout = 20s;
    config.max_concurrency = 1;
    config.launch_environment = [pool](const std::string& runtime_api) {
      return pool->launch_environment(runtime_api)->id();
    };
    service_->register_function(config);
    return pool;
  }

  /// Runs `input` through a one-Task state machine on `resource`; returns the
  /// execution's history events once it ended (or after 60 s).
  json run(const std::string& resource, const json& input) {
    auto sfn = client();
    const json definition = {
        {"StartAt", "Task"},
        {"States", {{"Task", {{"Type", "Task"}, {"Resource", resource}, {"End", true}}}}}};
    const auto machine =
        sfn.call("CreateStateMachine",
                 {{"name", "demo-image-" + std::to_string(++machines_)},
                  {"definition", definition.dump()},
                  {"roleArn", "arn:aws:iam::123456789012:role/loveless-demo-image-test"}})
            .at("stateMachineArn")
            .get<std::string>();
    const auto execution =
        sfn.call("StartExecution", {{"stateMachineArn", machine}, {"input", input.dump()}})
            .at("executionArn")
            .get<std::string>();
    stacks::testing::wait_until(
        [&] {
          return sfn.call("DescribeExecution", {{"executionArn", execution}}).at("status") !=
                 "RUNNING";
        },
        60s);
    return sfn.call("GetExecutionHistory", {{"executionArn", execution}}).at("events");
  }

 private:
  [[nodiscard]] stacks::PoolSpec demo_pool(const std::string& handler) const {
    stacks::PoolSpec spec;
    spec.name = handler;
    spec.image = kDemoImage;
    // The command replaces the image's entrypoint: argv[0] is the binary inside.
    spec.command = {"/demo-worker-static", handler};
    spec.environment = {{"LOVELESS_DEMO_STORE", kStoreInContainer},
                        {"LOVELESS_DEMO_CHUNK_DELAY_MS", "0"}};
    spec.mounts = {{store_, kStoreInContainer, /*read_only=*/false}};
    return spec;
  }

  TempDir run_dir_;
  std::filesystem::path store_;
  std::unique_ptr<engine::StepFunctionsService> service_;
  std::unique_ptr<engine::HttpServer> server_;
  std::unique_ptr<stacks::Fleet> fleet_;
  int machines_ = 0;
};

json output_of(const json& events, const std::string& succeeded_type,
               const std::string& details_field) {
  const auto* succeeded = find_event(events, succeeded_type);
  REQUIRE(succeeded != nullptr);
  return json::parse(succeeded->at(details_field).at("output").get<std::string>());
}

/// The ARN of a function registered with the engine's default region and account.
std::string function_arn(const std::string& name) {
  const engine::ServiceOptions defaults;
  return "arn:aws:lambda:" + defaults.region + ":" + defaults.account_id + ":function:" + name;
}

std::shared_ptr<const stacks::DockerClient> demo_docker_or_skip() {
  return stacks::testing::docker_or_skip(
      {kDemoImage},
      "the build makes it from demo-worker-static when the engine is up: rebuild, or "
      "scripts/build-images build/bin/demo-worker-static loveless/demo");
}

}  // namespace

TEST_CASE("the demo image is the count-words activity worker", "[docker][demo]") {
  const auto docker = demo_docker_or_skip();
  if (!docker) return;
  DemoOnDocker demo(docker);
  const auto pool = demo.add_count_words();
  const auto worker_id = pool->workers().at(0)->id();
  write_text(demo.store() / "chunks/doc/00000.txt", "The quick fox and the lazy dog\n");

  const auto events = demo.run(pool->spec().activity_arn, {{"chunk", "chunks/doc/00000.txt"}});
  INFO(events.dump(2));
  const auto* started = find_event(events, "ActivityStarted");
  REQUIRE(started != nullptr);
  // The container polled with its worker id as workerName.
  CHECK(started->at("activityStartedEventDetails").at("workerName") == worker_id);
  const auto output = output_of(events, "ActivitySucceeded", "activitySucceededEventDetails");
  CHECK(output.at("words") == 7);
  CHECK(output.at("counts") == "counts/doc/00000.json");
  CHECK(json::parse(read_text(demo.store() / "counts/doc/00000.json")) ==
        json{{"the", 2}, {"quick", 1}, {"fox", 1}, {"and", 1}, {"lazy", 1}, {"dog", 1}});
}

TEST_CASE("the demo image is the split Lambda function", "[docker][demo]") {
  const auto docker = demo_docker_or_skip();
  if (!docker) return;
  DemoOnDocker demo(docker);
  const auto pool = demo.add_function("split");
  write_text(demo.store() / "documents/doc", "one two\nthree\nfour five six\n");

  const auto events =
      demo.run(function_arn("split"), {{"document", "doc"}, {"lines_per_chunk", 2}});
  INFO(events.dump(2));
  const auto output =
      output_of(events, "LambdaFunctionSucceeded", "lambdaFunctionSucceededEventDetails");
  CHECK(output.at("document") == "doc");
  const auto& chunks = output.at("chunks");
  REQUIRE(chunks.size() == 2);
  CHECK(read_text(demo.store() / chunks.at(0).get<std::string>()) == "one two\nthree\n");
  CHECK(read_text(demo.store() / chunks.at(1).get<std::string>()) == "four five six\n");
  REQUIRE(pool->workers().size() == 1);
  CHECK(pool->workers().at(0)->id() == "split-1");
}

TEST_CASE("the demo image is the merge Lambda function", "[docker][demo]") {
  const auto docker = demo_docker_or_skip();
  if (!docker) return;
  DemoOnDocker demo(docker);
  const auto pool = demo.add_function("merge");
  const auto& store = demo.store();
  write_text(store / "counts/doc/00000.json", R"({"the": 2, "fox": 1})");
  write_text(store / "counts/doc/00001.json", R"({"the": 1, "dog": 1})");

  auto events = demo.run(
      function_arn("merge"),
      {{"document", "doc"}, {"counts", {"counts/doc/00000.json", "counts/doc/00001.json"}}});
  {
    INFO(events.dump(2));
    const auto output =
        output_of(events, "LambdaFunctionSucceeded", "lambdaFunctionSucceededEventDetails");
    CHECK(output.at("total_words") == 5);
    CHECK(output.at("distinct_words") == 3);
    CHECK(output.at("top").at(0) == json{{"word", "the"}, {"count", 3}});
    CHECK(std::filesystem::is_regular_file(store / output.at("result").get<std::string>()));
  }

  // A handler error travels back through the Runtime API's error endpoint, on
  // the warm environment's kept connection.
  events = demo.run(function_arn("merge"),
                    {{"document", "doc"}, {"counts", {"counts/doc/missing.json"}}});
  INFO(events.dump(2));
  const auto* failed = find_event(events, "LambdaFunctionFailed");
  REQUIRE(failed != nullptr);
  CHECK(failed->at("lambdaFunctionFailedEventDetails").at("error") == "Demo.MissingCounts");
  REQUIRE(pool->workers().size() == 1);
  CHECK(pool->workers().at(0)->id() == "merge-1");
}
