// The process fleet's pools: what a worker is started with, how deaths are
// recorded and replaced, scaling, function pools, and refused specs.
#include <catch2/catch.hpp>

#include "fleet_test_support.hpp"

namespace loveless::stacks::test {
namespace {

using Kind = PoolEvent::Kind;

std::vector<std::string> kinds_and_ids(const std::vector<PoolEvent>& events) {
  std::vector<std::string> lines;
  for (const auto& event : events) {
    lines.push_back(std::string(to_string(event.kind)) + " " + event.worker_id);
  }
  return lines;
}

TEST_CASE("a worker gets its environment, scratch directory, log and pid file", "[process_fleet]") {
  TempDir runs;
  ::setenv("LOVELESS_TEST_MUST_NOT_LEAK", "1", 1);
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-env"));
  REQUIRE(fleet->platform() == "process");
  auto spec = sleeper_pool("env-check");
  spec.environment = {{"EXTRA", "yes"}, {"LOVELESS_WORKER_NAME", "spoofed"}};
  const auto pool = fleet->add_activity_pool(spec);
  REQUIRE(fleet->pool("env-check") == pool);
  REQUIRE(fleet->pool("nope") == nullptr);

  const auto workers = pool->workers();
  REQUIRE(workers.size() == 1);
  const auto& worker = *workers.front();
  CHECK(worker.id() == "env-check-1");
  CHECK(worker.pool() == "env-check");
  CHECK(worker.state() == WorkerState::kRunning);
  CHECK(worker.capabilities().size() == 6);
  const auto run_dir = runs.path() / "run-env";
  CHECK(worker.scratch_dir() == run_dir / "scratch" / "env-check-1");
  REQUIRE(wait_ready(worker));

  const auto env = read_environment(worker.scratch_dir() / "env.txt");
  // Its scratch is its /tmp where the machine allows a private one.
  CHECK(env.at("TMPDIR") == (private_tmp_support().available
                                 ? std::string("/tmp")
                                 : (run_dir / "scratch" / "env-check-1" / "").string()));
  CHECK(env.at("AWS_ENDPOINT_URL_SFN") == "http://127.0.0.1:9");
  CHECK(env.at("LOVELESS_ACTIVITY_ARN") ==
        "arn:aws:states:eu-west-1:123456789012:activity:env-check");
  CHECK(env.at("LOVELESS_WORKER_NAME") == "env-check-1");
  CHECK(env.at("LOVELESS_RUN_ID") == "run-env");
  CHECK(env.at("AWS_REGION") == "eu-west-1");
  CHECK(env.at("AWS_DEFAULT_REGION") == "eu-west-1");
  CHECK_FALSE(env.at("AWS_ACCESS_KEY_ID").empty());
  CHECK_FALSE(env.at("AWS_SECRET_ACCESS_KEY").empty());
  CHECK(env.at("PATH") == std::getenv("PATH"));
  CHECK(env.at("HOME") == std::getenv("HOME"));
  CHECK(env.at("EXTRA") == "yes");
  CHECK_FALSE(env.contains("AWS_LAMBDA_RUNTIME_API"));
  CHECK_FALSE(env.contains("LOVELESS_TEST_MUST_NOT_LEAK"));
  ::unsetenv("LOVELESS_TEST_MUST_NOT_LEAK");

  const auto log = run_dir / "logs" / "env-check-1.log";
  REQUIRE(wait_until([&] {
    const auto text = read_text(log);
    return text.find("stdout env-check-1") != std::string::npos &&
           text.find("stderr env-check-1") != std::string::npos;
  }));

  const pid_t pid = pid_of(worker);
  CHECK(worker.platform_handle() == "pgid:" + std::to_string(pid));
  const auto stat = proc_stat(pid);
  REQUIRE(stat);
  CHECK(stat->pgid == pid);  // leads its own process group
  CHECK(::getpgrp() != pid);
  std::istringstream pid_file(read_text(run_dir / "pids" / "env-check-1.pid"));
  pid_t recorded_pgid = 0;
  std::uint64_t recorded_start = 0;
  pid_file >> recorded_pgid >> recorded_start;
  CHECK(recorded_pgid == pid);
  CHECK(recorded_start == stat->start_time);

  const auto events = pool->events();
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind == Kind::kStarted);
  CHECK(events[0].pool == "env-check");
  CHECK(events[0].detail == worker.platform_handle());
}

TEST_CASE("a daemon a worker detached from its group (setsid) dies with the worker",
          "[process_fleet]") {
  TempDir runs;
  const Decoy decoy(runs.path() / "decoy");
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-daemon"));
  const auto pool = fleet->add_activity_pool(sleeper_pool("daemons", {"--fork-daemon"}, 2));
  const auto killed = pool->workers().at(0);
  const auto exits = pool->workers().at(1);
  REQUIRE(wait_ready(*killed));
  REQUIRE(wait_ready(*exits));
  const pid_t killed_daemon = std::stoi(read_text(killed->scratch_dir() / "daemon.pid"));
  const pid_t stopped_daemon = std::stoi(read_text(exits->scratch_dir() / "daemon.pid"));
  REQUIRE(alive(killed_daemon));
  REQUIRE(alive(stopped_daemon));
  REQUIRE(proc_stat(killed_daemon)->pgid != pid_of(*killed));  // it left the group

  killed->kill();
  CHECK(wait_until([&] { return !alive(killed_daemon); }));
  CHECK(alive(stopped_daemon));  // another worker's: untouched
  exits->stop(std::chrono::milliseconds(500));
  CHECK(wait_until([&] { return !alive(stopped_daemon); }));
  CHECK(alive(decoy.pid()));
  // The replacements' daemons are theirs, and alive.
  REQUIRE(wait_running(*pool, 2));
  for (const auto& worker : pool->live_workers()) {
    REQUIRE(wait_ready(*worker));
    CHECK(alive(std::stoi(read_text(worker->scratch_dir() / "daemon.pid"))));
  }
}

TEST_CASE("kill: the whole group dies and the pool replaces the worker under a new id",
          "[process_fleet]") {
  TempDir runs;
  EventLog told;  // outlives the fleet: shutdown still tells subscribers of deaths
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-kill"));
  const auto pool = fleet->add_activity_pool(sleeper_pool("kill-me", {"--fork-grandchild"}));
  told.attach(*pool);
  const auto victim = pool->workers().at(0);
  REQUIRE(wait_ready(*victim));
  const pid_t pid = pid_of(*victim);
  const pid_t grandchild = std::stoi(read_text(victim->scratch_dir() / "grandchild.pid"));
  REQUIRE(alive(grandchild));

  victim->kill();
  CHECK(wait_until([&] { return !proc_stat(pid); }));  // reaped, not only dead
  CHECK(wait_until([&] { return !alive(grandchild); }));
  REQUIRE(wait_running(*pool, 1));
  CHECK(victim->state() == WorkerState::kDead);
  const auto replacement = pool->live_workers().at(0);
  CHECK(replacement->id() == "kill-me-2");
  CHECK(pid_of(*replacement) != pid);
  CHECK(pool->workers().size() == 2);

  const std::vector<std::string> expected{"started kill-me-1", "killed kill-me-1", "died kill-me-1",
                                          "replaced kill-me-1", "started kill-me-2"};
  const auto events = pool->events();
  CHECK(kinds_and_ids(events) == expected);
  REQUIRE(events.size() == 5);
  CHECK(events[2].detail == "signal 9");
  CHECK(events[3].detail == "kill-me-2");
  // Subscribed after the first start, so told from the kill on, on the supervisor thread.
  CHECK(wait_until([&] { return told.events().size() == 4; }));
  CHECK(kinds_and_ids(told.events()) ==
        std::vector<std::string>(expected.begin() + 1, expected.end()));

  const auto pids = runs.path() / "run-kill" / "pids";
  CHECK_FALSE(std::filesystem::exists(pids / "kill-me-1.pid"));
  // Written just after the worker counts as running.
  CHECK(wait_until([&] { return std::filesystem::exists(pids / "kill-me-2.pid"); }));

  victim->kill();  // a dead worker: no-op
  victim->stop(std::chrono::milliseconds(10));
  CHECK(pool->events().size() == 5);
}

TEST_CASE("a worker that exits is recorded and replaced after the replacement delay",
          "[process_fleet]") {
  TempDir runs;
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-exit"));
  auto spec = sleeper_pool("exits", {"--exit-after", "50", "3"});
  spec.replacement_delay = std::chrono::milliseconds(300);
  const auto pool = fleet->add_activity_pool(spec);
  REQUIRE(wait_until([&] { return pool->events().size() >= 4; }));

  const auto events = pool->events();
  CHECK(kinds_and_ids({events.begin(), events.begin() + 4}) ==
        std::vector<std::string>{"started exits-1", "died exits-1", "replaced exits-1",
                                 "started exits-2"});
  CHECK(events[1].detail == "exit 3");
  CHECK(events[2].at - events[1].at >= std::chrono::milliseconds(290));
}

TEST_CASE("set_desired_size starts workers and stops the newest ones", "[process_fleet]") {
  TempDir runs;
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-scale"));
  const auto pool = fleet->add_activity_pool(sleeper_pool("scale"));
  pool->set_desired_size(3);
  auto live = pool->live_workers();
  REQUIRE(live.size() == 3);
  CHECK(live[2]->id() == "scale-3");

  pool->set_desired_size(1);
  live = pool->live_workers();
  REQUIRE(live.size() == 1);
  CHECK(live[0]->id() == "scale-1");
  const auto all = pool->workers();
  CHECK(all[1]->state() == WorkerState::kDead);
  CHECK(all[2]->state() == WorkerState::kDead);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(pool->workers().size() == 3);  // scaled down, not replaced
  CHECK(pool->live_workers().size() == 1);
  const auto events = pool->events();
  const auto stopped = std::count_if(events.begin(), events.end(),
                                     [](const PoolEvent& e) { return e.kind == Kind::kStopped; });
  CHECK(stopped == 2);
  CHECK_THROWS_AS(pool->set_desired_size(-1), std::invalid_argument);
}

TEST_CASE("function pools launch environments on demand and never replace them",
          "[process_fleet]") {
  TempDir runs;
  EventLog told;
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-fn"));
  auto spec = sleeper_pool("resize-image");
  spec.activity_arn.clear();
  const auto pool = fleet->add_function_pool(spec);
  told.attach(*pool);
  CHECK(pool->workers().empty());
  CHECK(pool->spec().kind == PoolKind::kFunction);

  const auto environment = pool->launch_environment("127.0.0.1:9001");
  CHECK(environment->id() == "resize-image-1");
  REQUIRE(wait_ready(*environment));
  const auto env = read_environment(environment->scratch_dir() / "env.txt");
  CHECK(env.at("AWS_LAMBDA_RUNTIME_API") == "127.0.0.1:9001");
  CHECK(env.at("AWS_LAMBDA_FUNCTION_NAME") == "resize-image");
  CHECK(env.at("LOVELESS_WORKER_NAME") == "resize-image-1");
  CHECK_FALSE(env.contains("LOVELESS_ACTIVITY_ARN"));

  environment->kill();
  REQUIRE(wait_until([&] {
    const auto events = told.events();
    return !events.empty() && events.back().kind == Kind::kDied;
  }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(pool->workers().size() == 1);
  CHECK(pool->live_workers().empty());
  CHECK_THROWS_AS(pool->set_desired_size(2), std::logic_error);

  const auto activity = fleet->add_activity_pool(sleeper_pool("poller", {}, 0));
  CHECK(activity->workers().empty());
  CHECK_THROWS_AS(activity->launch_environment("127.0.0.1:9001"), std::logic_error);
}

TEST_CASE("bad pool specs are refused before anything starts", "[process_fleet]") {
  TempDir runs;
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-bad"));
  fleet->add_activity_pool(sleeper_pool("taken", {}, 0));
  CHECK_THROWS_AS(fleet->add_activity_pool(sleeper_pool("taken")), std::invalid_argument);
  CHECK_THROWS_AS(fleet->add_function_pool(sleeper_pool("taken")), std::invalid_argument);
  auto no_command = sleeper_pool("no-command");
  no_command.command.clear();
  CHECK_THROWS_AS(fleet->add_activity_pool(no_command), std::invalid_argument);
  auto missing = sleeper_pool("missing");
  missing.command = {"loveless-no-such-worker-binary"};
  CHECK_THROWS_WITH(fleet->add_activity_pool(missing), Catch::Contains("not on PATH"));
  CHECK_THROWS_AS(fleet->add_activity_pool(sleeper_pool("../escape")), std::invalid_argument);
  CHECK_THROWS_AS(fleet->add_activity_pool(sleeper_pool("negative", {}, -1)),
                  std::invalid_argument);
  CHECK(fleet->pool("missing") == nullptr);
}

TEST_CASE("mounts: a process sees a mount at its host path, and only there", "[process_fleet]") {
  TempDir runs;
  TempDir shared;
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-mounts"));
  const auto beat = shared.path() / "beat";
  auto spec = sleeper_pool("mounted", {"--heartbeat", beat.string()});
  // The same path on both sides: the process sees it as it is, here under
  // the host's /tmp (process_private_tmp_test.cpp has read-only mounts).
  spec.mounts = {{shared.path(), shared.path(), false}};
  const auto pool = fleet->add_activity_pool(spec);
  CHECK(pool->live_workers().size() == 1);
  REQUIRE(wait_until([&] { return std::filesystem::exists(beat); }));

  auto elsewhere = sleeper_pool("elsewhere");
  elsewhere.mounts = {{shared.path(), "/store", false}};
  CHECK_THROWS_WITH(
      fleet->add_activity_pool(elsewhere),
      Catch::Contains("pool elsewhere: mount " + shared.path().string() + ":/store") &&
          Catch::Contains("a process worker sees the host's file system") &&
          Catch::Contains("container_path to " + shared.path().string()));
  auto trailing = sleeper_pool("trailing", {}, 0);
  trailing.mounts = {{shared.path(), shared.path() / "", false}};
  CHECK_NOTHROW(fleet->add_activity_pool(trailing));

  auto missing = sleeper_pool("missing");
  missing.mounts = {{shared.path() / "nope", shared.path() / "nope", false}};
  CHECK_THROWS_WITH(fleet->add_function_pool(missing),
                    Catch::Contains("the host path does not exist"));
  auto relative = sleeper_pool("relative");
  relative.mounts = {{"store", "store", false}};
  CHECK_THROWS_WITH(fleet->add_activity_pool(relative),
                    Catch::Contains("the host path must be absolute"));
  CHECK(fleet->pool("elsewhere") == nullptr);
  CHECK(fleet->pool("missing") == nullptr);
  fleet->shutdown();
}

}  // namespace
}  // namespace loveless::stacks::test
