#include <string>

#include <catch2/catch.hpp>

#include "loveless/stacks/docker/docker_fleet.hpp"
#include "loveless/stacks/local_stack.hpp"

#include "docker_test_support.hpp"
#include "run_owner.hpp"

using namespace loveless::stacks;
using namespace loveless::stacks::testing;

namespace {

// A container this test creates itself and removes at scope exit, whatever
// the fleet or the sweep did meanwhile.
class OwnContainer {
 public:
  OwnContainer(std::shared_ptr<const DockerClient> docker, ContainerConfig config)
      : docker_(std::move(docker)), id_(docker_->create_container(config)) {
    docker_->start_container(id_);
  }
  ~OwnContainer() {
    try {
      docker_->remove_container(id_);
    } catch (...) {
      // Nothing left to clean.
    }
  }
  OwnContainer(const OwnContainer&) = delete;
  OwnContainer& operator=(const OwnContainer&) = delete;

  [[nodiscard]] const std::string& id() const { return id_; }
  [[nodiscard]] bool running() const {
    try {
      return docker_->inspect_container(id_).running;
    } catch (const DockerError&) {
      return false;
    }
  }
  [[nodiscard]] bool exists() const {
    try {
      (void)docker_->inspect_container(id_);
      return true;
    } catch (const DockerError&) {
      return false;
    }
  }

 private:
  std::shared_ptr<const DockerClient> docker_;
  std::string id_;
};

ContainerConfig decoy_config(const std::filesystem::path& scratch) {
  ContainerConfig config;
  config.image = kTestImage;
  config.scratch_dir = scratch;
  config.environment = {"LOVELESS_WORKER_NAME=decoy"};
  config.labels = {{"purpose", "decoy"}};
  return config;
}

// The owner label of this process, with a start time it never had: a recycled pid.
std::string dead_owner() {
  std::string owner = loveless::stacks::docker::current_run_owner();
  return owner.substr(0, owner.rfind('/') + 1) + "0";
}

// A container labelled as a worker of a run whose owner is gone: a leftover
// of a runner killed with SIGKILL.
ContainerConfig dead_run_config(const std::filesystem::path& scratch) {
  auto config = decoy_config(scratch);
  config.labels = {{"loveless.run", unique_run_id()},
                   {"loveless.pool", "crashed"},
                   {"loveless.worker", "crashed-1"},
                   {"loveless.owner", dead_owner()}};
  return config;
}

}  // namespace

TEST_CASE("docker fleet: shutdown leaves no container, a decoy survives shutdown and sweep",
          "[docker][integration]") {
  LOVELESS_DOCKER_OR_SKIP(docker);
  const TempDir run_dir;
  const TempDir decoy_scratch;
  const OwnContainer decoy(docker, decoy_config(decoy_scratch.path()));
  const auto options = test_fleet_options(run_dir.path());
  auto fleet = make_docker_fleet(options, docker);
  fleet->add_activity_pool(test_pool_spec("doomed", 2));
  fleet->add_function_pool(test_pool_spec("lambda"))->launch_environment("127.0.0.1:9001");
  REQUIRE(docker->list_containers({{"loveless.run", options.run_id}}).size() == 3);

  fleet->shutdown();

  CHECK(docker->list_containers({{"loveless.run", options.run_id}}).empty());
  CHECK(fleet->pool("doomed")->live_workers().empty());
  CHECK(decoy.running());
  // Logs of every container were saved before removal.
  for (const char* worker : {"doomed-1", "doomed-2", "lambda-1"}) {
    CHECK_THAT(read_file(run_dir.path() / "logs" / (std::string(worker) + ".log")),
               Catch::Contains(std::string("test worker ") + worker + " started"));
  }
  fleet->shutdown();  // idempotent
  fleet.reset();

  (void)sweep_leftover_containers(*docker);
  CHECK(decoy.running());
}

TEST_CASE("docker fleet: the sweep removes a dead run's containers, never a live run's",
          "[docker][integration]") {
  LOVELESS_DOCKER_OR_SKIP(docker);
  const TempDir run_dir;
  const TempDir scratch;
  const OwnContainer decoy(docker, decoy_config(scratch.path() / "decoy"));

  auto crashed = dead_run_config(scratch.path() / "crashed");
  const OwnContainer leftover(docker, crashed);
  // Labelled by a run whose owner cannot be judged (another host): kept.
  auto foreign = crashed;
  foreign.labels["loveless.owner"] = "some-other-host/1/1";
  const OwnContainer elsewhere(docker, foreign);

  const auto options = test_fleet_options(run_dir.path());
  const auto fleet = make_docker_fleet(options, docker);
  const auto pool = fleet->add_activity_pool(test_pool_spec("alive"));
  const std::string live_container = pool->live_workers().at(0)->platform_handle();

  const auto removed = sweep_leftover_containers(*docker);

  // Another run starting meanwhile (its LocalStack::up sweeps too) may have
  // removed it first; either way it is gone and nothing else went.
  CHECK(removed.size() <= 1);
  CHECK_FALSE(leftover.exists());
  CHECK(elsewhere.running());
  CHECK(decoy.running());
  CHECK(docker->inspect_container(live_container).running);
  CHECK(pool->live_workers().size() == 1);

  // A run named as live is spared even with its owner gone.
  auto spared = crashed;
  spared.labels["loveless.run"] = "spared-run";
  const OwnContainer kept(docker, spared);
  CHECK(sweep_leftover_containers(*docker, {"spared-run"}).empty());
  CHECK(kept.running());
}

TEST_CASE("docker local stack: a run sweeps a dead run's containers first and says so",
          "[docker][integration]") {
  LOVELESS_DOCKER_OR_SKIP(docker);
  const TempDir runs;
  const TempDir scratch;
  const OwnContainer decoy(docker, decoy_config(scratch.path() / "decoy"));
  auto crashed = dead_run_config(scratch.path() / "crashed");
  const OwnContainer leftover(docker, crashed);

  LocalStackOptions options;
  options.runs_root = runs.path();
  options.platform = FleetPlatform::kDocker;
  LocalStack stack(options);
  stack.up();

  CHECK_FALSE(leftover.exists());
  CHECK(decoy.running());
  std::string notes;
  for (const auto& line : stack.startup_notes()) notes += line + "\n";
  INFO(notes);
  // Other leftovers of this engine may be swept with it.
  CHECK(notes.find("worker container") != std::string::npos);
  CHECK(notes.find("left by an earlier run (id ") != std::string::npos);
  CHECK(notes.find(leftover.id().substr(0, 12)) != std::string::npos);
}

TEST_CASE("run owner: liveness of owner labels", "[docker][unit]") {
  using loveless::stacks::docker::owner_liveness;
  using loveless::stacks::docker::OwnerLiveness;
  CHECK(owner_liveness(loveless::stacks::docker::current_run_owner()) == OwnerLiveness::kAlive);
  CHECK(owner_liveness(dead_owner()) == OwnerLiveness::kDead);
  CHECK(owner_liveness("some-other-host/1/1") == OwnerLiveness::kUnknown);
  CHECK(owner_liveness("garbage") == OwnerLiveness::kUnknown);
  CHECK(owner_liveness("") == OwnerLiveness::kUnknown);
}
