#include "loveless/stacks/docker/docker_fleet.hpp"

#include <algorithm>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "docker_test_support.hpp"

using namespace loveless::stacks;
using namespace loveless::stacks::testing;
using Kind = PoolEvent::Kind;

namespace {

bool container_gone_or_exited(const DockerClient& docker, const std::string& id) {
  try {
    return !docker.inspect_container(id).running;
  } catch (const DockerError& error) {
    return error.status() == 404;
  }
}

}  // namespace

TEST_CASE("docker fleet: a killed container is replaced by a new one", "[docker][integration]") {
  LOVELESS_DOCKER_OR_SKIP(docker);
  const TempDir run_dir;
  const auto fleet = make_docker_fleet(test_fleet_options(run_dir.path()), docker);
  CHECK(fleet->platform() == "docker");
  const auto pool = fleet->add_activity_pool(test_pool_spec("counter"));
  REQUIRE(pool->live_workers().size() == 1);
  const auto victim = pool->live_workers().front();
  const std::string old_container = victim->platform_handle();
  CHECK(victim->id() == "counter-1");
  CHECK(victim->state() == WorkerState::kRunning);
  CHECK(docker->inspect_container(old_container).running);

  victim->kill();

  REQUIRE(wait_until([&] { return find_event(pool->events(), Kind::kStarted, "counter-2"); }));
  CHECK(victim->state() == WorkerState::kDead);
  CHECK(container_gone_or_exited(*docker, old_container));
  const auto events = pool->events();
  const auto* died = find_event(events, Kind::kDied, "counter-1");
  REQUIRE(died != nullptr);
  CHECK(died->detail == "signal 9");
  REQUIRE(find_event(events, Kind::kKilled, "counter-1") != nullptr);
  CHECK(find_event(events, Kind::kKilled, "counter-1")->at <= died->at);
  const auto* replaced = find_event(events, Kind::kReplaced, "counter-1");
  REQUIRE(replaced != nullptr);
  CHECK(replaced->detail == "counter-2");

  const auto live = pool->live_workers();
  REQUIRE(live.size() == 1);
  CHECK(live.front()->id() == "counter-2");
  CHECK(live.front()->platform_handle() != old_container);
  CHECK(docker->inspect_container(live.front()->platform_handle()).running);
  CHECK(pool->workers().size() == 2);
  // The dead container's output was saved before it was removed.
  REQUIRE(wait_until([&] { return container_gone_or_exited(*docker, old_container); }));
  CHECK_THAT(read_file(run_dir.path() / "logs" / "counter-1.log"),
             Catch::Contains("test worker counter-1 started"));
}

TEST_CASE("docker fleet: stop ends a worker with SIGTERM and it is replaced",
          "[docker][integration]") {
  LOVELESS_DOCKER_OR_SKIP(docker);
  const TempDir run_dir;
  const auto fleet = make_docker_fleet(test_fleet_options(run_dir.path()), docker);
  const auto pool = fleet->add_activity_pool(test_pool_spec("stopper"));
  const auto worker = pool->live_workers().at(0);
  worker->stop(std::chrono::seconds(5));
  REQUIRE(wait_until([&] { return find_event(pool->events(), Kind::kStarted, "stopper-2"); }));
  const auto events = pool->events();
  REQUIRE(find_event(events, Kind::kStopped, "stopper-1") != nullptr);
  // The test worker handles SIGTERM and exits 0: the grace was honoured.
  REQUIRE(find_event(events, Kind::kDied, "stopper-1") != nullptr);
  CHECK(find_event(events, Kind::kDied, "stopper-1")->detail == "exit 0");
  // Kill and stop of a dead worker are no-ops.
  worker->kill();
  worker->stop(std::chrono::seconds(1));
  CHECK(find_event(pool->events(), Kind::kKilled) == nullptr);
}

TEST_CASE("docker fleet: a worker that dies on its own is replaced after the delay",
          "[docker][integration]") {
  LOVELESS_DOCKER_OR_SKIP(docker);
  const TempDir run_dir;
  const auto fleet = make_docker_fleet(test_fleet_options(run_dir.path()), docker);
  auto spec = test_pool_spec("crasher");
  spec.environment["LOVELESS_EXIT_AFTER_MS"] = "300";
  spec.replacement_delay = std::chrono::milliseconds(400);
  const auto pool = fleet->add_activity_pool(spec);
  REQUIRE(wait_until([&] { return find_event(pool->events(), Kind::kStarted, "crasher-2"); }));
  const auto events = pool->events();
  const auto* died = find_event(events, Kind::kDied, "crasher-1");
  const auto* replaced = find_event(events, Kind::kReplaced, "crasher-1");
  REQUIRE(died != nullptr);
  REQUIRE(replaced != nullptr);
  CHECK(died->detail == "exit 3");
  CHECK(replaced->at - died->at >= std::chrono::milliseconds(400));
}

TEST_CASE("docker fleet: containers that exit at start back off and the pool says why it fails",
          "[docker][integration][crash_loop]") {
  LOVELESS_DOCKER_OR_SKIP(docker);
  const TempDir run_dir;
  const auto fleet = make_docker_fleet(test_fleet_options(run_dir.path()), docker);
  auto spec = test_pool_spec("crashy");
  spec.environment["LOVELESS_EXIT_AFTER_MS"] = "1";
  const auto pool = fleet->add_activity_pool(spec);
  // 0.1 + 0.2 + 0.4 + 0.8 s of backoff plus five container starts.
  REQUIRE(wait_until([&] { return pool->failure().has_value(); }, std::chrono::seconds(30)));
  const auto failure = *pool->failure();
  INFO(failure);
  CHECK(
      failure.starts_with("pool 'crashy' is crash-looping: 5 workers in a row exited within 5 s"));
  CHECK(failure.find("the last, crashy-5, ended with exit 3; the end of its log " +
                     (run_dir.path() / "logs" / "crashy-5.log").string()) != std::string::npos);
  CHECK(failure.find("  | test worker crashy-5 exits on its own") != std::string::npos);
  const auto events = pool->events();
  const auto started = std::count_if(events.begin(), events.end(), [](const PoolEvent& event) {
    return event.kind == Kind::kStarted;
  });
  CHECK(started <= 6);
  const auto* died = find_event(events, Kind::kDied, "crashy-4");
  const auto* replaced = find_event(events, Kind::kReplaced, "crashy-4");
  REQUIRE(died != nullptr);
  REQUIRE(replaced != nullptr);
  CHECK(replaced->at - died->at >= std::chrono::milliseconds(800));  // the fourth backoff
}

TEST_CASE("docker fleet: the desired size is kept, raised and lowered", "[docker][integration]") {
  LOVELESS_DOCKER_OR_SKIP(docker);
  const TempDir run_dir;
  const auto fleet = make_docker_fleet(test_fleet_options(run_dir.path()), docker);
  const auto pool = fleet->add_activity_pool(test_pool_spec("scaled", 2));
  CHECK(pool->live_workers().size() == 2);
  pool->set_desired_size(3);
  CHECK(pool->live_workers().size() == 3);
  pool->set_desired_size(1);
  REQUIRE(wait_until([&] { return pool->live_workers().size() == 1; }));
  // Scale-down stops the newest workers and replaces none of them.
  CHECK(pool->live_workers().front()->id() == "scaled-1");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(pool->live_workers().size() == 1);
  CHECK(find_event(pool->events(), Kind::kReplaced) == nullptr);
  CHECK_THROWS_AS(pool->set_desired_size(-1), std::invalid_argument);
  CHECK_THROWS_AS(pool->launch_environment("127.0.0.1:9001"), std::logic_error);
}

TEST_CASE("docker fleet: function environments start on demand and are not replaced",
          "[docker][integration]") {
  LOVELESS_DOCKER_OR_SKIP(docker);
  const TempDir run_dir;
  const auto fleet = make_docker_fleet(test_fleet_options(run_dir.path()), docker);
  const auto pool = fleet->add_function_pool(test_pool_spec("resize-image", 5));
  CHECK(pool->spec().kind == PoolKind::kFunction);
  CHECK(pool->live_workers().empty());
  const auto environment = pool->launch_environment("127.0.0.1:9001");
  CHECK(environment->state() == WorkerState::kRunning);
  REQUIRE(
      wait_until([&] { return !read_file(environment->scratch_dir() / "environment").empty(); }));
  const std::string variables = read_file(environment->scratch_dir() / "environment");
  CHECK_THAT(variables, Catch::Contains("AWS_LAMBDA_RUNTIME_API=127.0.0.1:9001\n") &&
                            Catch::Contains("AWS_LAMBDA_FUNCTION_NAME=resize-image\n"));
  CHECK_THAT(variables, !Catch::Contains("LOVELESS_ACTIVITY_ARN"));
  environment->kill();
  REQUIRE(wait_until([&] { return find_event(pool->events(), Kind::kDied); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(pool->live_workers().empty());
  CHECK(find_event(pool->events(), Kind::kReplaced) == nullptr);
  CHECK_THROWS_AS(pool->set_desired_size(2), std::logic_error);
}

TEST_CASE("docker fleet: bad pool specs are refused before anything starts",
          "[docker][integration]") {
  LOVELESS_DOCKER_OR_SKIP(docker);
  const TempDir run_dir;
  const auto fleet = make_docker_fleet(test_fleet_options(run_dir.path()), docker);
  auto no_image = test_pool_spec("no-image");
  no_image.image.clear();
  CHECK_THROWS_AS(fleet->add_activity_pool(no_image), std::invalid_argument);
  fleet->add_activity_pool(test_pool_spec("twice", 0));
  CHECK_THROWS_AS(fleet->add_activity_pool(test_pool_spec("twice", 0)), std::invalid_argument);
  auto missing = test_pool_spec("missing");
  missing.image = "loveless/no-such-image:never";
  CHECK_THROWS_WITH(fleet->add_activity_pool(missing), Catch::Contains("No such image"));
  CHECK(fleet->pool("missing") == nullptr);
  CHECK(fleet->pool("twice") != nullptr);
  CHECK_THROWS_AS(make_docker_fleet(FleetOptions{}, docker), std::invalid_argument);
}
