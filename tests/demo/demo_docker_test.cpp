// The demo workflow on a LocalStack whose fleet is docker: loveless/demo
// containers as count-words activity workers and as split/merge Lambda
// environments, the durable store bind-mounted into each at /store.
// Without a Docker engine or without the image the tests print
// `LOVELESS-SKIP:` (skipped); LOVELESS_REQUIRE_DOCKER=1 fails them instead.
#include <chrono>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "loveless/demo/demo_run.hpp"
#include "loveless/stacks/local_stack.hpp"

#include "docker_test_support.hpp"

namespace loveless::demo {
namespace {

using nlohmann::json;
using stacks::testing::docker_or_skip;
using stacks::testing::TempDir;

const std::filesystem::path kLicenses = "/usr/share/common-licenses";
constexpr const char* kHowToBuild =
    "the build makes it from demo-worker-static when a Docker engine is up: scripts/docker-engine, "
    "then scripts/build";

stacks::LocalStackOptions docker_stack_options(const std::filesystem::path& runs_root) {
  stacks::LocalStackOptions options;
  options.runs_root = runs_root;
  options.platform = stacks::FleetPlatform::kDocker;
  options.service.activity_poll_timeout = std::chrono::milliseconds(1000);
  return options;
}

DemoOptions demo_options() {
  DemoOptions options;
  options.activity_workers = 2;
  options.lines_per_chunk = 20;
  options.chunk_delay = std::chrono::milliseconds(50);
  return options;
}

}  // namespace

TEST_CASE("the demo workflow on the docker fleet counts the words of two license texts",
          "[demo][docker][integration]") {
  const auto docker = docker_or_skip({std::string(kDemoImage)}, kHowToBuild);
  if (!docker) return;
  for (const auto* name : {"BSD", "CC0-1.0"}) {
    if (!std::filesystem::is_regular_file(kLicenses / name)) {
      WARN("skipped: " << (kLicenses / name) << " is missing");
      return;
    }
  }
  const TempDir runs;
  stacks::LocalStack stack(docker_stack_options(runs.path()));
  stack.up();
  REQUIRE(stack.fleet().platform() == "docker");
  DemoDeployment deployment(stack, demo_options());

  std::vector<std::string> executions;
  std::size_t index = 0;
  for (const auto* name : {"BSD", "CC0-1.0"}) {
    executions.push_back(
        deployment.start(deployment.upload(kLicenses / name), execution_name(name, ++index)));
  }
  index = 0;
  for (const auto* name : {"BSD", "CC0-1.0"}) {
    INFO(name);
    const auto result =
        deployment.wait(executions[index++], kLicenses / name,
                        std::chrono::steady_clock::now() + std::chrono::seconds(120));
    REQUIRE(result.status == "SUCCEEDED");
    // Checked against a local count, including the result merge stored:
    // the containers wrote into the host's store through the mount.
    CHECK(result.mismatch.empty());
    CHECK(result.output["document"] == name);
  }

  // Every worker was a container of this run, with the store mounted at /store.
  for (const auto& pool : deployment.pools()) {
    INFO(pool->spec().name);
    REQUIRE_FALSE(pool->workers().empty());
    CHECK(pool->spec().image == kDemoImage);
    REQUIRE(pool->spec().mounts.size() == 1);
    CHECK(pool->spec().mounts.front().container_path == kContainerStorePath);
    CHECK(pool->spec().mounts.front().host_path == deployment.store());
    CHECK(pool->spec().environment.at("LOVELESS_DEMO_STORE") == kContainerStorePath);
    for (const auto& worker : pool->live_workers()) {
      const auto state = docker->inspect_container(worker->platform_handle());
      CHECK(state.labels.at("loveless.run") == stack.run_id());
    }
  }
  // The history names the containers that ran count-words.
  auto client = stack.client();
  std::set<std::string> workers;
  for (const auto& execution : executions) {
    const auto history =
        client.call("GetExecutionHistory", {{"executionArn", execution}, {"maxResults", 1000}});
    for (const auto& event : history["events"]) {
      if (event["type"] == "ActivityStarted") {
        workers.insert(event["activityStartedEventDetails"].value("workerName", std::string()));
      }
    }
  }
  REQUIRE_FALSE(workers.empty());
  for (const auto& worker : workers) CHECK(worker.rfind("count-words-", 0) == 0);

  const auto run_id = stack.run_id();
  stack.down();
  CHECK(docker->list_containers({{"loveless.run", run_id}}).empty());
}

TEST_CASE("the demo on the docker fleet without its image says how to build it",
          "[demo][docker][integration]") {
  const auto docker = docker_or_skip({});
  if (!docker) return;
  const TempDir runs;
  stacks::LocalStack stack(docker_stack_options(runs.path()));
  stack.up();
  auto options = demo_options();
  options.image = "loveless/no-such-demo-image";
  CHECK_THROWS_WITH(DemoDeployment(stack, options),
                    Catch::Contains("has no image loveless/no-such-demo-image") &&
                        Catch::Contains("run the build with a Docker engine up"));
  // Refused before any pool started.
  CHECK(stack.fleet().pool("count-words") == nullptr);
}

}  // namespace loveless::demo
