// The disposability zoo as tests (docs/zoo.md): runs zoo-scenarios on the
// process fleet (every injector's suite, split by worker kind, all at once) and
// on the docker fleet (every behaviour under kill), reads the suite's JSON report
// (docs/report-schema.md) and checks, scenario by scenario, that the "no local-state reliance"
// verdict is `fail` for every flawed behaviour, `pass` for every clean one, and what the stack
// decides for a host-state one (kHostState). The expected
// behaviours are listed here, not taken from the suite, so a dropped, renamed or retagged scenario
// fails too.
//
// Each suite run gets its own TMPDIR, so its run directories are this test's
// alone. Without a Docker engine or the image loveless/zoo the docker test
// prints `LOVELESS-SKIP:` (reported as skipped); LOVELESS_REQUIRE_DOCKER=1
// makes the suite fail instead.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/temp_dir.hpp"
#include <sys/wait.h>

namespace {

namespace fs = std::filesystem;
using loveless::testing::TempDir;

const std::string kSuite = LOVELESS_ZOO_SCENARIOS;
const std::string kVerdict = "no local-state reliance";

// Rely on local state: the verdict must be `fail`.
const std::vector<std::string> kFlawed = {
    "stale-disk-cache", "stale-memory-cache", "lost-checkpoint-memory", "lost-checkpoint-disk",
    "scratch-handoff",  "memory-handoff",     "lock-file-excl",         "done-marker-access",
    "idempotency-set",  "counter-in-output",  "scratch-listing",        "literal-tmp-cache",
};
// Keep state outside scratch: the verdict depends on the stack
// (scenarios/zoo/src/flawed.cpp). A cache in the working directory is the
// runner's on the process fleet, where fresh workers find it too, so the cold
// phase proves nothing (`unknown`, never a pass); a container's read-only root
// takes no cache (`pass`: nothing is kept).
const std::map<std::string, std::map<std::string, std::string>> kHostState = {
    {"working-dir-cache", {{"process", "unknown"}, {"docker", "pass"}}},
};
// Rely on state that only a fault breaking a task mid-way reveals (a retry
// resuming from what the broken attempt kept in memory): `fail` under the
// injectors that break tasks, `pass` where no task is broken.
const std::map<std::string, std::map<std::string, std::string>> kFaultRevealed = {
    {"resume-from-memory",
     {{"kill", "fail"}, {"restart", "fail"}, {"wipe", "pass"}, {"disposable", "pass"}}},
};
// Use scratch or memory harmlessly: the verdict must be `pass`.
const std::vector<std::string> kClean = {
    "resize-tmp",         "hash-validated-cache", "write-only-log",
    "durable-handoff",    "read-only-data",       "pure-memo",
    "temp-file-in-task",  "clean-scratch-first",  "global-from-env",
    "literal-tmp-scoped", "lazy-crc-table",       "validated-checkpoint",
    "self-reporting",
};
const std::vector<std::string> kFaults = {"kill", "restart", "wipe", "disposable"};

std::string scenario_name(const std::string& behaviour, const std::string& fault) {
  return "zoo: " + behaviour + " under " + fault;
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

/// One run of zoo-scenarios with `args`, its own TMPDIR, stdout and stderr
/// captured and a JSON report written to `report`.
struct SuiteRun {
  int exit_code = -1;
  std::string out;
  std::string err;
  fs::path report;
};

SuiteRun run_suite(const TempDir& dir, const std::vector<std::string>& args) {
  SuiteRun run;
  run.report = dir.path() / "report.json";
  const auto tmp = dir.path() / "tmp";
  fs::create_directories(tmp);
  // In the temporary directory: what workers leave in their working
  // directory (the runner's, on the process fleet) goes with it.
  std::string command = "cd " + quoted(dir.path().string()) + " && TMPDIR=" + quoted(tmp.string()) +
                        " " + quoted(kSuite);
  for (const auto& arg : args) command += " " + quoted(arg);
  command += " -r " + quoted("json::out=" + run.report.string());
  command += " >" + quoted((dir.path() / "out.txt").string());
  command += " 2>" + quoted((dir.path() / "err.txt").string());
  const int status = std::system(command.c_str());
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.out = read_text(dir.path() / "out.txt");
  run.err = read_text(dir.path() / "err.txt");
  return run;
}

/// The last 4000 characters of `text`.
std::string tail(const std::string& text) {
  constexpr std::size_t kKeep = 4000;
  return text.size() > kKeep ? "..." + text.substr(text.size() - kKeep) : text;
}

std::string evidence_of(const nlohmann::json& verdict) {
  std::ostringstream text;
  text << verdict.value("outcome", "?") << ": " << verdict.value("summary", "") << "\n";
  for (const auto& item : verdict.value("evidence", nlohmann::json::array())) {
    text << "  - " << item.value("text", "") << "\n";
  }
  return text.str();
}

/// The scenarios of one suite's JSON report, with the suite's own output for
/// a run that wrote no usable report.
nlohmann::json scenarios_of(const SuiteRun& run) {
  INFO("suite exit code " << run.exit_code << "\nstdout (end):\n"
                          << tail(run.out) << "\nstderr (end):\n"
                          << tail(run.err));
  REQUIRE(fs::exists(run.report));
  const auto report = nlohmann::json::parse(read_text(run.report), nullptr, false);
  REQUIRE(report.value("schema", "") == "loveless.report/v1");
  REQUIRE_FALSE(report.value("partial", true));
  REQUIRE(report["scenarios"].is_array());
  return report["scenarios"];
}

/// Checks the reports of the runs of `fault`'s scenarios: together exactly the
/// expected scenarios, each with the expected verdict.
void check_reports(const std::vector<SuiteRun>& runs, const std::string& fault,
                   const std::string& stack) {
  auto scenarios = nlohmann::json::array();
  for (const auto& run : runs) {
    for (auto& scenario : scenarios_of(run)) scenarios.push_back(std::move(scenario));
  }

  std::set<std::string> expected;
  for (const auto& behaviour : kFlawed) expected.insert(scenario_name(behaviour, fault));
  for (const auto& behaviour : kClean) expected.insert(scenario_name(behaviour, fault));
  for (const auto& host_state : kHostState) expected.insert(scenario_name(host_state.first, fault));
  for (const auto& revealed : kFaultRevealed) expected.insert(scenario_name(revealed.first, fault));
  std::set<std::string> ran;
  for (const auto& scenario : scenarios) ran.insert(scenario.value("scenario", ""));
  CHECK(scenarios.size() ==
        kFlawed.size() + kClean.size() + kHostState.size() + kFaultRevealed.size());
  CHECK(ran == expected);

  const std::set<std::string> flawed(kFlawed.begin(), kFlawed.end());
  for (const auto& scenario : scenarios) {
    const auto name = scenario.value("scenario", "");
    const auto under = name.rfind(" under ");
    if (!name.starts_with("zoo: ") || under == std::string::npos) continue;  // not expected: above
    const auto behaviour = name.substr(5, under - 5);
    std::string want = flawed.count(behaviour) != 0 ? "fail" : "pass";
    if (const auto special = kHostState.find(behaviour); special != kHostState.end()) {
      want = special->second.at(stack);
    }
    if (const auto revealed = kFaultRevealed.find(behaviour); revealed != kFaultRevealed.end()) {
      want = revealed->second.at(fault);
    }
    const nlohmann::json* verdict = nullptr;
    for (const auto& candidate : scenario["verdicts"]) {
      if (candidate.value("check", "") == kVerdict) verdict = &candidate;
    }
    INFO("scenario \"" << name << "\" should get " << want);
    REQUIRE(verdict != nullptr);
    INFO("its verdict: " << evidence_of(*verdict));
    CHECK(verdict->value("outcome", "") == want);
    CHECK_FALSE(scenario.value("partial", true));
  }
}

// Every behaviour is tagged with the kind of worker it runs as and whether it
// is flawed: a suite per part runs a quarter of a fault's scenarios one after
// another.
const std::vector<std::string> kParts = {"[activity][flawed]", "[activity]~[flawed]",
                                         "[lambda][flawed]", "[lambda]~[flawed]"};

/// The suites of `faults` on `stack`, each split in kParts, all at once
/// (their workers mostly wait on heartbeats and retry intervals, so they share
/// the machine's cores and divide the wall time); then each fault's reports
/// checked together. When the stack cannot run here the suite's skip line is
/// printed and nothing checked (CTest's SKIP_REGULAR_EXPRESSION).
void run_at_once(const std::string& stack, const std::vector<std::string>& faults) {
  const auto runs_per_fault = kParts.size();
  std::vector<TempDir> dirs(faults.size() * runs_per_fault);
  std::vector<std::future<SuiteRun>> runs;
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    const auto filter = "[zoo][" + faults[i / runs_per_fault] + "]" + kParts[i % runs_per_fault];
    runs.push_back(std::async(std::launch::async, [&dirs, &stack, filter, i] {
      return run_suite(dirs[i], {"--stack", stack, "--seed", "7", "--scenario", filter});
    }));
  }
  std::vector<SuiteRun> done;
  for (auto& run : runs) done.push_back(run.get());
  for (const auto& run : done) {
    if (run.exit_code == 3 && run.out.find("LOVELESS-SKIP:") != std::string::npos) {
      // The suite said why (no engine, no image loveless/zoo); CTest reports a skip.
      std::cout << run.out.substr(run.out.find("LOVELESS-SKIP:")) << "\n";
      return;
    }
  }
  for (std::size_t f = 0; f < faults.size(); ++f) {
    INFO("the zoo under " << faults[f] << " on the " << stack << " fleet");
    check_reports({done.begin() + static_cast<std::ptrdiff_t>(f * runs_per_fault),
                   done.begin() + static_cast<std::ptrdiff_t>((f + 1) * runs_per_fault)},
                  faults[f], stack);
  }
}

}  // namespace

TEST_CASE("the zoo holds every behaviour under every injector", "[zoo]") {
  const TempDir dir;
  const auto out = dir.path() / "names.txt";
  const int status =
      std::system((quoted(kSuite) + " --list-names >" + quoted(out.string())).c_str());
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  std::set<std::string> listed;
  std::istringstream lines(read_text(out));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) listed.insert(line);
  }
  std::set<std::string> expected;
  for (const auto& fault : kFaults) {
    for (const auto& behaviour : kFlawed) expected.insert(scenario_name(behaviour, fault));
    for (const auto& behaviour : kClean) expected.insert(scenario_name(behaviour, fault));
    for (const auto& host_state : kHostState) {
      expected.insert(scenario_name(host_state.first, fault));
    }
    for (const auto& revealed : kFaultRevealed)
      expected.insert(scenario_name(revealed.first, fault));
  }
  CHECK(kFlawed.size() >= 11);
  CHECK(kClean.size() >= 11);
  CHECK(listed.size() == kFaults.size() * (kFlawed.size() + kClean.size() + kHostState.size() +
                                           kFaultRevealed.size()));
  CHECK(listed == expected);
}

// All four injectors' suites at once, each split in two by worker kind: their
// workers wait on heartbeats and retry intervals (a suite uses about 3 % of
// one core), so eight share the machine as well as two did, and the zoo takes
// the wall time of a quarter of one injector's scenarios in CI.
TEST_CASE("zoo on the process fleet: every injector", "[zoo][process]") {
  run_at_once("process", {"kill", "restart", "wipe", "disposable"});
}

// On Docker every behaviour runs under one injector, kill, to keep the run
// short; two suites at once, as on the process fleet.
TEST_CASE("zoo on the docker fleet: kill", "[zoo][docker]") { run_at_once("docker", {"kill"}); }
