// Each primitive on one process worker, proven by its effect on the process.
#include <catch2/catch.hpp>

#include "fleet_test_support.hpp"

namespace loveless::stacks::test {
namespace {

using Kind = PoolEvent::Kind;
using std::chrono::milliseconds;

std::vector<Kind> kinds_of(const std::vector<PoolEvent>& events, const std::string& worker_id) {
  std::vector<Kind> kinds;
  for (const auto& event : events) {
    if (event.worker_id == worker_id) {
      kinds.push_back(event.kind);
    }
  }
  return kinds;
}

std::string died_detail(const Pool& pool, const std::string& worker_id) {
  for (const auto& event : pool.events()) {
    if (event.kind == Kind::kDied && event.worker_id == worker_id) {
      return event.detail;
    }
  }
  return "not dead";
}

TEST_CASE("stop sends SIGTERM first and SIGKILL only after the grace", "[process_fleet]") {
  TempDir runs;
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-stop"));

  SECTION("a worker that exits on SIGTERM") {
    const auto pool = fleet->add_activity_pool(sleeper_pool("polite"));
    const auto worker = pool->workers().at(0);
    REQUIRE(wait_ready(*worker));
    const auto began = std::chrono::steady_clock::now();
    worker->stop(milliseconds(3000));
    CHECK(std::chrono::steady_clock::now() - began < milliseconds(1500));
    CHECK(worker->state() == WorkerState::kDead);
    CHECK(std::filesystem::exists(worker->scratch_dir() / "terminated"));
    CHECK(died_detail(*pool, "polite-1") == "exit 0");
    // A stopped worker is gone like a stopped ECS task: the pool replaces it.
    CHECK(wait_running(*pool, 1));
    CHECK(kinds_of(pool->events(), "polite-1") ==
          std::vector<Kind>{Kind::kStarted, Kind::kStopped, Kind::kDied, Kind::kReplaced});
  }

  SECTION("a worker that ignores SIGTERM") {
    const auto pool = fleet->add_activity_pool(sleeper_pool("stubborn", {"--ignore-term"}));
    const auto worker = pool->workers().at(0);
    REQUIRE(wait_ready(*worker));
    const pid_t pid = pid_of(*worker);
    const auto began = std::chrono::steady_clock::now();
    worker->stop(milliseconds(300));
    const auto took = std::chrono::steady_clock::now() - began;
    CHECK(took >= milliseconds(300));
    CHECK(took < milliseconds(2000));
    CHECK(worker->state() == WorkerState::kDead);
    CHECK_FALSE(proc_stat(pid));
    CHECK_FALSE(std::filesystem::exists(worker->scratch_dir() / "terminated"));
    CHECK(died_detail(*pool, "stubborn-1") == "signal 9");
  }

  SECTION("a paused worker is continued so it can act on SIGTERM") {
    const auto pool = fleet->add_activity_pool(sleeper_pool("frozen"));
    const auto worker = pool->workers().at(0);
    REQUIRE(wait_ready(*worker));
    worker->pause();
    worker->stop(milliseconds(3000));
    CHECK(died_detail(*pool, "frozen-1") == "exit 0");
  }
}

TEST_CASE("pause stops all progress and resume lets it continue", "[process_fleet]") {
  TempDir runs;
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-pause"));
  const auto pool = fleet->add_activity_pool(sleeper_pool("napper"));
  const auto worker = pool->workers().at(0);
  REQUIRE(wait_ready(*worker));
  const auto heartbeat = worker->scratch_dir() / "heartbeat";
  const pid_t pid = pid_of(*worker);
  REQUIRE(wait_until([&] { return file_size_or_zero(heartbeat) > 0; }));

  worker->pause();
  CHECK(worker->state() == WorkerState::kPaused);
  REQUIRE(wait_until([&] { return proc_stat(pid)->state == 'T'; }));
  const auto paused_size = file_size_or_zero(heartbeat);
  std::this_thread::sleep_for(milliseconds(300));
  CHECK(file_size_or_zero(heartbeat) == paused_size);

  worker->resume();
  CHECK(worker->state() == WorkerState::kRunning);
  CHECK(wait_until([&] { return file_size_or_zero(heartbeat) > paused_size; }, milliseconds(2000)));
  CHECK(proc_stat(pid)->state != 'T');
  CHECK(kinds_of(pool->events(), "napper-1") ==
        std::vector<Kind>{Kind::kStarted, Kind::kPaused, Kind::kResumed});
}

TEST_CASE("wipe-scratch empties the scratch directory while the same process lives",
          "[process_fleet]") {
  TempDir runs;
  TempDir beats;  // mounted: with a private /tmp nothing else of the host's /tmp is visible
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-wipe"));
  const auto heartbeat = beats.path() / "wiper-heartbeat";
  auto spec = sleeper_pool("wiper", {"--heartbeat", heartbeat.string()});
  spec.mounts = {{beats.path(), beats.path(), false}};
  const auto pool = fleet->add_activity_pool(spec);
  const auto worker = pool->workers().at(0);
  REQUIRE(wait_ready(*worker));
  const pid_t pid = pid_of(*worker);
  const auto scratch = worker->scratch_dir();
  std::filesystem::create_directories(scratch / "cache" / "deep");
  std::ofstream(scratch / "cache" / "deep" / "model.bin") << "weights";
  std::ofstream(scratch / "session.json") << "{}";

  worker->wipe_scratch();
  CHECK(std::filesystem::is_directory(scratch));
  // Empty but for the mount points of a private /tmp, which the wipe keeps:
  // `beats`, and the worker's command when it lies under /tmp (a checkout
  // under /tmp), bound at its path.
  const auto command = std::filesystem::path(kSleeper).lexically_relative("/tmp");
  const bool command_under_tmp = !command.empty() && *command.begin() != "..";
  std::vector<std::string> files_left;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(scratch)) {
    if (entry.is_directory()) continue;
    if (command_under_tmp && entry.path() == scratch / command) continue;
    files_left.push_back(entry.path().string());
  }
  std::string left_text;
  for (const auto& file : files_left) left_text += " " + file;
  INFO("left after the wipe:" << left_text);
  CHECK(files_left.empty());
  CHECK(pid_of(*worker) == pid);
  CHECK(alive(pid));
  CHECK(worker->state() == WorkerState::kRunning);
  // Still making progress after the wipe.
  const auto size = file_size_or_zero(heartbeat);
  CHECK(wait_until([&] { return file_size_or_zero(heartbeat) > size; }));
  const auto events = pool->events();
  REQUIRE(events.size() == 2);
  CHECK(events[1].kind == Kind::kScratchWiped);
  CHECK(events[1].detail == "3 entries removed");  // env.txt, cache, session.json
}

TEST_CASE("restart keeps the id and the scratch directory but runs a new process",
          "[process_fleet]") {
  TempDir runs;
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-restart"));
  const auto pool = fleet->add_activity_pool(sleeper_pool("phoenix"));
  const auto worker = pool->workers().at(0);
  REQUIRE(wait_ready(*worker));
  const pid_t old_pid = pid_of(*worker);
  std::ofstream(worker->scratch_dir() / "keep.me") << "state a worker should not rely on";

  worker->restart(milliseconds(2000));
  CHECK(worker->id() == "phoenix-1");
  CHECK(worker->state() == WorkerState::kRunning);
  const pid_t new_pid = pid_of(*worker);
  CHECK(new_pid != old_pid);
  CHECK(alive(new_pid));
  CHECK_FALSE(proc_stat(old_pid));
  CHECK(std::filesystem::exists(worker->scratch_dir() / "keep.me"));
  CHECK(std::filesystem::exists(worker->scratch_dir() / "terminated"));  // stopped gracefully

  std::this_thread::sleep_for(milliseconds(200));
  CHECK(pool->workers().size() == 1);  // restarted, not replaced
  const auto events = pool->events();
  CHECK(kinds_of(events, "phoenix-1") ==
        std::vector<Kind>{Kind::kStarted, Kind::kDied, Kind::kRestarted});
  CHECK(events.back().detail == "pgid:" + std::to_string(new_pid));

  const auto log = runs.path() / "run-restart" / "logs" / "phoenix-1.log";
  REQUIRE(wait_until([&] {
    const auto text = read_text(log);
    return text.find("pid " + std::to_string(new_pid)) != std::string::npos;
  }));
  CHECK(read_text(log).find("pid " + std::to_string(old_pid)) != std::string::npos);  // appended
  std::istringstream pid_file(read_text(runs.path() / "run-restart" / "pids" / "phoenix-1.pid"));
  pid_t recorded = 0;
  pid_file >> recorded;
  CHECK(recorded == new_pid);
}

TEST_CASE("a dead worker refuses every primitive but kill and stop", "[process_fleet]") {
  TempDir runs;
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-dead"));
  auto spec = sleeper_pool("ghost");
  const auto pool = fleet->add_activity_pool(spec);
  const auto worker = pool->workers().at(0);
  worker->kill();
  REQUIRE(wait_until([&] { return worker->state() == WorkerState::kDead; }));
  REQUIRE(wait_running(*pool, 1));
  const auto before = pool->events().size();

  CHECK_THROWS_WITH(worker->pause(),
                    Catch::Contains("cannot pause worker ghost-1") && Catch::Contains("dead"));
  CHECK_THROWS_AS(worker->resume(), UnsupportedPrimitive);
  CHECK_THROWS_WITH(worker->wipe_scratch(), Catch::Contains("wipe-scratch"));
  CHECK_THROWS_AS(worker->restart(milliseconds(10)), UnsupportedPrimitive);
  worker->kill();
  worker->stop(milliseconds(10));
  CHECK(pool->events().size() == before);
}

}  // namespace
}  // namespace loveless::stacks::test
