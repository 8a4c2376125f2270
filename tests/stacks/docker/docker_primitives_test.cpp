#include <fstream>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "loveless/stacks/docker/docker_fleet.hpp"

#include "docker_test_support.hpp"

using namespace loveless::stacks;
using namespace loveless::stacks::testing;
using Kind = PoolEvent::Kind;

namespace {

// The heartbeat appears once the worker has run its start-up.
std::shared_ptr<Worker> beating_worker(const std::shared_ptr<Pool>& pool) {
  const auto worker = pool->live_workers().at(0);
  REQUIRE(wait_until([&] { return file_size_or_zero(worker->scratch_dir() / "heartbeat") > 0; }));
  return worker;
}

}  // namespace

TEST_CASE("docker fleet: pause stops the heartbeat, resume restarts it", "[docker][integration]") {
  LOVELESS_DOCKER_OR_SKIP(docker);
  const TempDir run_dir;
  const auto fleet = make_docker_fleet(test_fleet_options(run_dir.path()), docker);
  const auto pool = fleet->add_activity_pool(test_pool_spec("sleepy"));
  const auto worker = beating_worker(pool);
  const auto heartbeat = worker->scratch_dir() / "heartbeat";

  worker->pause();
  CHECK(worker->state() == WorkerState::kPaused);
  const auto inspected = docker->inspect_container(worker->platform_handle());
  CHECK(inspected.paused);
  CHECK(inspected.status == "paused");
  // A write in flight at the freeze may still land; from then on nothing grows.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto frozen = file_size_or_zero(heartbeat);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(file_size_or_zero(heartbeat) == frozen);
  worker->pause();  // pausing a paused worker changes nothing

  worker->resume();
  CHECK(worker->state() == WorkerState::kRunning);
  CHECK(wait_until([&] { return file_size_or_zero(heartbeat) > frozen; }, std::chrono::seconds(5)));
  CHECK_FALSE(docker->inspect_container(worker->platform_handle()).paused);
  const auto events = pool->events();
  CHECK(find_event(events, Kind::kPaused, worker->id()) != nullptr);
  CHECK(find_event(events, Kind::kResumed, worker->id()) != nullptr);
  // A pause is no death.
  CHECK(find_event(events, Kind::kDied) == nullptr);
}

TEST_CASE("docker fleet: wipe empties scratch while the container lives", "[docker][integration]") {
  LOVELESS_DOCKER_OR_SKIP(docker);
  const TempDir run_dir;
  const auto fleet = make_docker_fleet(test_fleet_options(run_dir.path()), docker);
  const auto pool = fleet->add_activity_pool(test_pool_spec("wiped"));
  const auto worker = beating_worker(pool);
  const auto scratch = worker->scratch_dir();
  CHECK(scratch == run_dir.path() / "scratch" / "wiped-1");
  const std::string container = worker->platform_handle();
  REQUIRE(std::filesystem::exists(scratch / "environment"));
  REQUIRE(std::filesystem::exists(scratch / "starts"));

  worker->wipe_scratch();

  // Files written only at start-up are gone for good; the heartbeat comes back,
  // written by the same container into the same directory.
  CHECK_FALSE(std::filesystem::exists(scratch / "environment"));
  CHECK_FALSE(std::filesystem::exists(scratch / "starts"));
  CHECK(std::filesystem::is_directory(scratch));
  CHECK(wait_until([&] { return std::filesystem::exists(scratch / "heartbeat"); },
                   std::chrono::seconds(5)));
  CHECK(worker->platform_handle() == container);
  CHECK(docker->inspect_container(container).running);
  CHECK(worker->state() == WorkerState::kRunning);
  const auto events = pool->events();
  const auto* wiped = find_event(events, Kind::kScratchWiped, worker->id());
  REQUIRE(wiped != nullptr);
  CHECK_THAT(wiped->detail, Catch::EndsWith("entries removed"));
}

TEST_CASE("docker fleet: restart keeps the container, its id and its scratch",
          "[docker][integration]") {
  LOVELESS_DOCKER_OR_SKIP(docker);
  const TempDir run_dir;
  const auto fleet = make_docker_fleet(test_fleet_options(run_dir.path()), docker);
  const auto pool = fleet->add_activity_pool(test_pool_spec("phoenix"));
  const auto worker = beating_worker(pool);
  const std::string container = worker->platform_handle();

  worker->restart(std::chrono::seconds(5));

  CHECK(worker->state() == WorkerState::kRunning);
  CHECK(worker->platform_handle() == container);
  CHECK(docker->inspect_container(container).running);
  // Two starts in the same scratch: the restart really ran the entrypoint again.
  CHECK(wait_until(
      [&] { return read_file(worker->scratch_dir() / "starts") == "phoenix-1\nphoenix-1\n"; }));
  // As in the process fleet: the stop is a `died` (the test worker exits 0 on
  // SIGTERM), then `restarted`; the worker is not replaced.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto events = pool->events();
  const auto* died = find_event(events, Kind::kDied, "phoenix-1");
  const auto* restarted = find_event(events, Kind::kRestarted, "phoenix-1");
  REQUIRE(died != nullptr);
  REQUIRE(restarted != nullptr);
  CHECK(died->detail == "exit 0");
  CHECK(died->at <= restarted->at);
  CHECK(restarted->detail == container);
  CHECK(find_event(events, Kind::kReplaced) == nullptr);
  CHECK(pool->live_workers().size() == 1);

  // A restarted container is still supervised: killing it is a death.
  worker->kill();
  CHECK(wait_until([&] { return find_event(pool->events(), Kind::kStarted, "phoenix-2"); }));
}

TEST_CASE("docker fleet: primitives on a dead worker", "[docker][integration]") {
  LOVELESS_DOCKER_OR_SKIP(docker);
  const TempDir run_dir;
  const auto fleet = make_docker_fleet(test_fleet_options(run_dir.path()), docker);
  const auto pool = fleet->add_activity_pool(test_pool_spec("ghost"));
  const auto worker = pool->live_workers().at(0);
  CHECK(worker->capabilities().size() == 6);
  worker->kill();
  REQUIRE(wait_until([&] { return worker->state() == WorkerState::kDead; }));
  worker->kill();
  worker->stop(std::chrono::milliseconds(100));
  CHECK_THROWS_AS(worker->pause(), UnsupportedPrimitive);
  CHECK_THROWS_AS(worker->resume(), UnsupportedPrimitive);
  CHECK_THROWS_AS(worker->restart(std::chrono::seconds(1)), UnsupportedPrimitive);
  CHECK_THROWS_WITH(worker->wipe_scratch(), Catch::Contains("wipe-scratch") &&
                                                Catch::Contains("ghost-1") &&
                                                Catch::Contains("dead"));
}

namespace {

// The state letter of /proc/<pid>/stat ('R', 'S', 'Z', ...), or 'X' when the
// process is gone.
char process_state(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line) || line.rfind(')') == std::string::npos) return 'X';
  return line.at(line.rfind(')') + 2);
}

}  // namespace

TEST_CASE("docker fleet: kill returns once the container's processes have stopped running",
          "[docker][integration]") {
  LOVELESS_DOCKER_OR_SKIP(docker);
  const TempDir run_dir;
  const auto fleet = make_docker_fleet(test_fleet_options(run_dir.path()), docker);
  const auto pool = fleet->add_activity_pool(test_pool_spec("swift"));
  const auto worker = beating_worker(pool);
  const int pid = docker->inspect_container(worker->platform_handle()).pid;
  REQUIRE(pid > 0);
  REQUIRE(process_state(pid) != 'X');

  worker->kill();
  // The effect, not the engine's book-keeping: the init process (and so every
  // process of the container) runs no more when kill returns.
  const char state = process_state(pid);
  CHECK((state == 'Z' || state == 'X'));
  const auto killed = pool->events();
  REQUIRE(find_event(killed, Kind::kKilled, "swift-1") != nullptr);

  // Death and replacement follow as before, in order, once the engine is done.
  REQUIRE(wait_until([&] { return find_event(pool->events(), Kind::kStarted, "swift-2"); }));
  const auto events = pool->events();
  const auto* died = find_event(events, Kind::kDied, "swift-1");
  REQUIRE(died != nullptr);
  CHECK(died->detail == "signal 9");
  CHECK(find_event(events, Kind::kKilled, "swift-1")->at <= died->at);
  CHECK(worker->state() == WorkerState::kDead);

  // Primitives right after a kill wait for its request to be answered: a
  // second kill is a no-op, a stop at once after a kill finds nothing to stop.
  worker->kill();
  const auto second = beating_worker(pool);
  second->kill();
  CHECK_NOTHROW(second->stop(std::chrono::milliseconds(100)));
  REQUIRE(wait_until([&] { return find_event(pool->events(), Kind::kStarted, "swift-3"); }));
  CHECK(pool->live_workers().size() == 1);
  fleet->shutdown();
  CHECK(docker->list_containers({{"loveless.pool", "swift"}}).empty());
}
