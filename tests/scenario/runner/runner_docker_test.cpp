// The runner on the docker fleet: each fault through `run_scenario` on
// containers of loveless/test-runner-worker, with the same assertions as on
// the process fleet (runner_fault_tests.cpp), and no container left after a
// run. Without a Docker engine or the image the tests print `LOVELESS-SKIP:`
// (CTest reports them skipped); LOVELESS_REQUIRE_DOCKER=1 fails them instead.
#include <catch2/catch.hpp>

#include "docker_test_support.hpp"
#include "runner_test_support.hpp"

namespace loveless::scenario::runner_testing {
namespace {

constexpr const char* kHowToBuild =
    "the build makes it from runner-test-worker-static when a Docker engine is up: "
    "scripts/docker-engine, then build the target runner-test-worker-static_image";

// The docker fleet, or null after a skip.
std::optional<Fleet> docker_fleet() {
  const auto docker = stacks::testing::docker_or_skip({kRunnerImage}, kHowToBuild);
  if (!docker) return std::nullopt;
  return Fleet{"docker", [docker](const Run& run) {
                 INFO("containers of run " << run.history().run_id);
                 CHECK(docker->list_containers({{"loveless.run", run.history().run_id}}).empty());
               }};
}

}  // namespace

// Inputs under /tmp are refused on docker (each container's /tmp is its scratch).
TEST_CASE("runner on docker: a read-only directory refuses writes and a durable one takes them",
          "[runner][docker][data]") {
  if (const auto fleet = docker_fleet()) check_data_directories(*fleet, /*inputs_from_dir=*/false);
}

TEST_CASE("runner on docker: kill, the task times out and is retried on the replacement",
          "[runner][docker][kill]") {
  if (const auto fleet = docker_fleet()) check_kill(*fleet);
}

TEST_CASE("runner on docker: stop, the task fails with Worker.Terminated, the worker is replaced",
          "[runner][docker][stop]") {
  if (const auto fleet = docker_fleet()) check_stop(*fleet);
}

TEST_CASE("runner on docker: restart, the same worker id runs the retry",
          "[runner][docker][restart]") {
  if (const auto fleet = docker_fleet()) check_restart(*fleet);
}

TEST_CASE("runner on docker: pause(d) is resumed d later, the task survives",
          "[runner][docker][pause]") {
  if (const auto fleet = docker_fleet()) check_pause_resumed_after_its_duration(*fleet);
}

TEST_CASE("runner on docker: a pause longer than the run is resumed at heal",
          "[runner][docker][pause]") {
  if (const auto fleet = docker_fleet()) check_pause_resumed_at_heal(*fleet);
}

TEST_CASE("runner on docker: wipe_scratch removes the files the worker left",
          "[runner][docker][wipe]") {
  if (const auto fleet = docker_fleet()) check_wipe_scratch(*fleet);
}

TEST_CASE("runner on docker: disposable stops and replaces the worker after every task",
          "[runner][docker][disposable]") {
  if (const auto fleet = docker_fleet()) check_disposable(*fleet);
}

TEST_CASE("runner on docker: a worker polling with its own workerName is killed on task started",
          "[runner][docker][worker-name][kill]") {
  if (const auto fleet = docker_fleet()) check_kill_reaches_worker_with_own_name(*fleet);
}

}  // namespace loveless::scenario::runner_testing
