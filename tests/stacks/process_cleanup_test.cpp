// Nothing outlives a run: shutdown and the destructor reap every worker, a
// crashed owner's workers die with it, and a sweep removes what still
// survives, without ever touching a process the run did not start.
#include <catch2/catch.hpp>

#include "fleet_test_support.hpp"

namespace loveless::stacks::test {
namespace {

using std::chrono::milliseconds;

std::vector<pid_t> pids_of(const std::vector<std::shared_ptr<Worker>>& workers) {
  std::vector<pid_t> pids;
  for (const auto& worker : workers) {
    pids.push_back(pid_of(*worker));
  }
  return pids;
}

bool dir_has_pid_files(const std::filesystem::path& dir) {
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".pid") {
      return true;
    }
  }
  return false;
}

TEST_CASE("shutdown kills and reaps every worker and spares other processes", "[process_fleet]") {
  TempDir runs;
  const Decoy decoy(runs.path() / "decoy");
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-down"));
  const auto activity = fleet->add_activity_pool(sleeper_pool("act", {"--fork-grandchild"}, 2));
  const auto stubborn = fleet->add_activity_pool(sleeper_pool("stubborn", {"--ignore-term"}));
  const auto function = fleet->add_function_pool(sleeper_pool("fn"));
  function->launch_environment("127.0.0.1:9001");
  stubborn->workers().at(0)->pause();

  std::vector<pid_t> pids;
  std::vector<pid_t> grandchildren;
  for (const auto& pool : {activity, stubborn, function}) {
    for (const auto& worker : pool->workers()) {
      REQUIRE(wait_ready(*worker) | (worker->state() == WorkerState::kPaused));
      pids.push_back(pid_of(*worker));
    }
  }
  for (const auto& worker : activity->workers()) {
    grandchildren.push_back(std::stoi(read_text(worker->scratch_dir() / "grandchild.pid")));
  }
  REQUIRE(pids.size() == 4);

  fleet->shutdown();
  for (const pid_t pid : pids) {
    INFO("worker pid " << pid);
    CHECK_FALSE(proc_stat(pid));  // gone and reaped when shutdown returns
  }
  for (const pid_t pid : grandchildren) {
    INFO("grandchild pid " << pid);
    CHECK(wait_until([&] { return !alive(pid); }, milliseconds(2000)));
  }
  CHECK(alive(decoy.pid()));
  CHECK_FALSE(dir_has_pid_files(runs.path() / "run-down" / "pids"));
  for (const auto& pool : {activity, stubborn, function}) {
    CHECK(pool->live_workers().empty());
  }
  // Nothing was replaced on the way down.
  CHECK(activity->workers().size() == 2);

  fleet->shutdown();  // idempotent
  CHECK_THROWS_AS(fleet->add_activity_pool(sleeper_pool("late")), std::logic_error);
  CHECK_THROWS_AS(function->launch_environment("127.0.0.1:9001"), std::runtime_error);
}

TEST_CASE("destroying the fleet is a shutdown", "[process_fleet]") {
  TempDir runs;
  auto fleet = make_process_fleet(options_in(runs.path(), "run-dtor"));
  const auto pool = fleet->add_activity_pool(sleeper_pool("short-lived", {}, 3));
  const auto pids = pids_of(pool->workers());
  fleet.reset();
  for (const pid_t pid : pids) {
    CHECK_FALSE(proc_stat(pid));
  }
  CHECK(pool->live_workers().empty());
}

TEST_CASE("a crashed owner's workers die with it and a sweep kills only the survivors",
          "[process_fleet]") {
  TempDir runs;
  const auto crashed_dir = runs.path() / "crashed";
  // Fork before this process starts any thread (the live fleet below): the
  // child is a whole fleet owner that is then SIGKILLed, like a crashed runner.
  const pid_t owner = ::fork();
  if (owner == 0) {
    try {
      const auto fleet = make_process_fleet(options_in(runs.path(), "crashed"));
      fleet->add_activity_pool(sleeper_pool("orphan", {"--keep-after-parent-death"}));
      fleet->add_activity_pool(sleeper_pool("bound", {"--fork-daemon"}));
      for (;;) {
        ::pause();
      }
    } catch (...) {
      ::_exit(1);
    }
  }
  REQUIRE(owner > 0);
  const auto scratch = crashed_dir / "scratch";
  const bool owner_ready = wait_until([&] {
    return std::filesystem::exists(scratch / "orphan-1" / "env.txt") &&
           std::filesystem::exists(scratch / "bound-1" / "env.txt") &&
           std::filesystem::exists(scratch / "bound-1" / "daemon.pid") &&
           std::filesystem::exists(crashed_dir / "pids" / "orphan-1.pid") &&
           std::filesystem::exists(crashed_dir / "pids" / "bound-1.pid");
  });
  const auto pid_in = [&](const std::string& worker) {
    std::istringstream text(read_text(crashed_dir / "pids" / (worker + ".pid")));
    pid_t pid = 0;
    text >> pid;
    return pid;
  };
  const pid_t orphan = pid_in("orphan-1");
  const pid_t bound = pid_in("bound-1");
  const pid_t daemon = std::stoi(read_text(scratch / "bound-1" / "daemon.pid"));
  ::kill(owner, SIGKILL);
  ::waitpid(owner, nullptr, 0);
  REQUIRE(owner_ready);
  REQUIRE(orphan > 0);
  REQUIRE(bound > 0);

  // PR_SET_PDEATHSIG: the ordinary worker died with its owner.
  CHECK(wait_until([&] { return !alive(bound); }, milliseconds(2000)));
  // The one that reset its death signal survived: the sweep's business. So
  // did the daemon the bound worker detached (setsid): no death signal, and
  // out of every recorded group; only its run id marks it.
  REQUIRE(alive(orphan));
  REQUIRE(alive(daemon));

  // A process the run never started, behind a forged pid file (same pid,
  // wrong start time), in the crashed run and in another dead run.
  const Decoy decoy(runs.path() / "decoy");
  REQUIRE(wait_until([&] { return proc_stat(decoy.pid()).has_value(); }));
  const auto decoy_start = proc_stat(decoy.pid())->start_time;
  std::ofstream(crashed_dir / "pids" / "forged.pid")
      << decoy.pid() << ' ' << decoy_start + 1 << '\n';
  std::filesystem::create_directories(runs.path() / "other" / "pids");
  std::ofstream(runs.path() / "other" / "pids" / "forged.pid")
      << decoy.pid() << ' ' << decoy_start - 1 << '\n';

  // A live run under the same root: its lock keeps the sweep away.
  const auto live_fleet = make_process_fleet(options_in(runs.path(), "live"));
  const auto live_pool = live_fleet->add_activity_pool(sleeper_pool("busy"));
  const pid_t live_worker = pid_of(*live_pool->workers().at(0));

  CHECK(sweep_leftover_processes(runs.path()) == 2);
  CHECK_FALSE(alive(orphan));
  CHECK_FALSE(alive(daemon));
  CHECK(alive(decoy.pid()));
  CHECK(alive(live_worker));
  CHECK(live_pool->workers().at(0)->state() == WorkerState::kRunning);
  CHECK(std::filesystem::exists(runs.path() / "live" / "pids" / "busy-1.pid"));
  CHECK_FALSE(dir_has_pid_files(crashed_dir / "pids"));
  CHECK_FALSE(dir_has_pid_files(runs.path() / "other" / "pids"));

  CHECK(sweep_leftover_processes(runs.path()) == 0);  // nothing left to do
  CHECK(sweep_leftover_processes(runs.path() / "no-such-root") == 0);
}

}  // namespace
}  // namespace loveless::stacks::test
