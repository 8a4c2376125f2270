// The demo image (loveless/demo, FROM scratch around demo-worker-static) on a
// docker fleet against the engine in process: the same image answers as the
// count-words activity worker and as the merge Lambda execution environment.
//
// The docker fleet bind-mounts only a worker's scratch directory (at /tmp), so
// there is no store shared by the containers here: each worker's store is
// LOVELESS_DEMO_STORE=/tmp/store inside its own scratch. The test plants the
// chunk in the activity worker's scratch, and merges zero counts in the
// function, which needs nothing from the store but writes its result there.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loveless/aws/json_client.hpp"
#include "loveless/engine/http_server.hpp"
#include "loveless/engine/service.hpp"
#include "loveless/stacks/docker/docker_client.hpp"
#include "loveless/stacks/docker/docker_fleet.hpp"

#include <unistd.h>

namespace {

using nlohmann::json;
using namespace std::chrono_literals;
namespace stacks = loveless::stacks;

constexpr const char* kImage = "loveless/demo";
constexpr const char* kStoreInContainer = "/tmp/store";

/// The engine, or null after printing `LOVELESS-SKIP:` (CTest: skipped); under
/// LOVELESS_REQUIRE_DOCKER=1 a missing engine or image fails the test instead.
std::shared_ptr<const stacks::DockerClient> docker_or_skip() {
  std::string reason;
  std::shared_ptr<const stacks::DockerClient> docker;
  try {
    docker = std::make_shared<const stacks::DockerClient>();
    if (!docker->reachable()) {
      reason = "no Docker engine answers (scripts/docker-engine starts one)";
    } else if (!docker->has_image(kImage)) {
      reason = std::string("the engine has no image ") + kImage + " (rebuild with the engine up)";
    }
  } catch (const std::exception& error) {
    reason = error.what();
  }
  if (reason.empty()) return docker;
  const char* required = std::getenv("LOVELESS_REQUIRE_DOCKER");
  if (required != nullptr && std::string(required) == "1") {
    FAIL("LOVELESS_REQUIRE_DOCKER=1 but " << reason);
  }
  std::cout << "LOVELESS-SKIP: " << reason << '\n';
  return nullptr;
}

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "loveless-demo-image-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string unique_run_id() {
  std::mt19937_64 random{std::random_device{}()};
  std::ostringstream id;
  id << "demo-image-" << ::getpid() << "-" << std::hex << random();
  return id.str();
}

std::string single_task(const std::string& resource) {
  return json{{"StartAt", "Task"},
              {"States", {{"Task", {{"Type", "Task"}, {"Resource", resource}, {"End", true}}}}}}
      .dump();
}

/// Runs `input` through a one-Task state machine; returns the history once the
/// execution ended (or after 60 s).
json run_to_end(loveless::aws::JsonClient& client, const std::string& name,
                const std::string& resource, const json& input) {
  const auto machine =
      client
          .call("CreateStateMachine",
                {{"name", name},
                 {"definition", single_task(resource)},
                 {"roleArn", "arn:aws:iam::123456789012:role/loveless-demo-image-test"}})
          .at("stateMachineArn")
          .get<std::string>();
  const auto execution =
      client.call("StartExecution", {{"stateMachineArn", machine}, {"input", input.dump()}})
          .at("executionArn")
          .get<std::string>();
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (client.call("DescribeExecution", {{"executionArn", execution}}).at("status") ==
             "RUNNING" &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  return client.call("GetExecutionHistory", {{"executionArn", execution}}).at("events");
}

const json* find_event(const json& events, const std::string& type) {
  for (const auto& event : events) {
    if (event.at("type") == type) return &event;
  }
  return nullptr;
}

/// The engine in process, a docker fleet, and both pools on the demo image.
struct DemoOnDocker {
  explicit DemoOnDocker(std::shared_ptr<const stacks::DockerClient> docker) {
    loveless::engine::ServiceOptions service_options;
    service_options.activity_poll_timeout = 1s;
    service = std::make_unique<loveless::engine::StepFunctionsService>(service_options);
    server = std::make_unique<loveless::engine::HttpServer>(*service);
    server->start("127.0.0.1", 0);
    stacks::FleetOptions options;
    options.run_id = unique_run_id();
    options.run_dir = run_dir.path();
    // Numeric: the static binary resolves no host names (no NSS in the image).
    options.sfn_endpoint = server->url();
    fleet = stacks::make_docker_fleet(options, std::move(docker));
  }
  ~DemoOnDocker() {
    // Workers first, while the engine can record how their tasks ended.
    fleet->shutdown();
    service->shutdown();
    server->stop();
  }
  DemoOnDocker(const DemoOnDocker&) = delete;
  DemoOnDocker& operator=(const DemoOnDocker&) = delete;

  [[nodiscard]] loveless::aws::JsonClient client() const {
    loveless::aws::JsonClientOptions options;
    options.endpoint = server->url();
    return loveless::aws::JsonClient(std::move(options));
  }

  TempDir run_dir;
  std::unique_ptr<loveless::engine::StepFunctionsService> service;
  std::unique_ptr<loveless::engine::HttpServer> server;
  std::unique_ptr<stacks::Fleet> fleet;
};

stacks::PoolSpec demo_pool(const std::string& name, const std::string& handler) {
  stacks::PoolSpec spec;
  spec.name = name;
  spec.image = kImage;
  // The image's entrypoint is /demo-worker-static; the command replaces it.
  spec.command = {"/demo-worker-static", handler};
  spec.environment = {{"LOVELESS_DEMO_STORE", kStoreInContainer},
                      {"LOVELESS_DEMO_CHUNK_DELAY_MS", "0"}};
  return spec;
}

}  // namespace

TEST_CASE("one demo image serves as activity worker and as Lambda function", "[docker][demo]") {
  auto docker = docker_or_skip();
  if (!docker) return;
  DemoOnDocker demo(docker);
  auto client = demo.client();

  const auto activity_arn =
      client.call("CreateActivity", {{"name", "count-words"}}).at("activityArn").get<std::string>();
  auto activity_spec = demo_pool("count-words", "count-words");
  activity_spec.activity_arn = activity_arn;
  const auto activity_pool = demo.fleet->add_activity_pool(activity_spec);
  const auto worker_id = activity_pool->workers().at(0)->id();
  // The worker's store is its /tmp/store: plant the chunk in its scratch.
  const auto chunk = demo.run_dir.path() / "scratch" / worker_id / "store/chunks/doc-0.txt";
  std::filesystem::create_directories(chunk.parent_path());
  std::ofstream(chunk) << "the quick fox and the lazy dog\n";

  const auto function_pool = demo.fleet->add_function_pool(demo_pool("merge", "merge"));
  auto* service = demo.service.get();
  function_pool->subscribe([service](const stacks::PoolEvent& event) {
    if (event.kind == stacks::PoolEvent::Kind::kDied) service->environment_exited(event.worker_id);
  });
  loveless::engine::LocalFunctionConfig function;
  function.name = "merge";
  function.timeout = 20s;
  function.max_concurrency = 1;
  function.launch_environment = [function_pool](const std::string& runtime_api) {
    return function_pool->launch_environment(runtime_api)->id();
  };
  demo.service->register_function(function);

  SECTION("activity") {
    const auto events = run_to_end(client, "count", activity_arn, {{"chunk", "chunks/doc-0.txt"}});
    INFO(events.dump(2) << "\nworker log: " << worker_id);
    const auto* started = find_event(events, "ActivityStarted");
    REQUIRE(started != nullptr);
    CHECK(started->at("activityStartedEventDetails").at("workerName") == worker_id);
    const auto* succeeded = find_event(events, "ActivitySucceeded");
    REQUIRE(succeeded != nullptr);
    const auto output =
        json::parse(succeeded->at("activitySucceededEventDetails").at("output").get<std::string>());
    CHECK(output.at("words") == 7);
    CHECK(output.at("counts") == "counts/doc-0.json");
    CHECK(std::filesystem::is_regular_file(demo.run_dir.path() / "scratch" / worker_id /
                                           "store/counts/doc-0.json"));
  }

  SECTION("function") {
    const auto events =
        run_to_end(client, "merge", "arn:aws:lambda:us-east-1:123456789012:function:merge",
                   {{"document", "doc"}, {"counts", json::array()}});
    INFO(events.dump(2));
    const auto* succeeded = find_event(events, "LambdaFunctionSucceeded");
    REQUIRE(succeeded != nullptr);
    const auto output = json::parse(
        succeeded->at("lambdaFunctionSucceededEventDetails").at("output").get<std::string>());
    CHECK(output.at("document") == "doc");
    CHECK(output.at("total_words") == 0);
    // The environment that answered is a container of the merge pool.
    REQUIRE(function_pool->workers().size() == 1);
    CHECK(function_pool->workers().at(0)->id().starts_with("merge-"));
  }
}
