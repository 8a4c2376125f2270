// The suite main (core/cli/suite/suite_main.cpp) as a process: runs the
// fixture suite suite-test-scenarios (suite_fixture_scenarios.cpp) as a child
// with Boost.Process and checks what docs/scenarios.md promises: --list, the
// exit codes 0/1/2/3/130, [!shouldfail] both ways, --seed, --report-dir, the
// docker skip, SIGINT (partial verdicts, no worker left behind), and the
// reporters (-r, --report-dir: JSON and JUnit files, the JUnit one checked
// with xmllint against tests/reports/junit.xsd), the sweep of what a
// SIGKILLed run's workers left (docs/stacks.md, "Every run sweeps first") and
// a pool whose workers cannot start ("Workers that cannot start").
//
// Every child gets its own temporary directory as TMPDIR, so its run
// directories ($TMPDIR/loveless-runs-<uid>) and its workers (whose environment names
// that directory or one of those runs) are this test's alone, even under `ctest -j`. Every wait is
// bounded; a child still running when a test ends is killed with SIGKILL (its
// workers die with it: the fleet's parent-death signal).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/process.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "reports/junit_schema.hpp"
#include "support/directory_names.hpp"
#include "support/temp_dir.hpp"
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX, not in a header

namespace {

namespace bp = boost::process;
namespace fs = std::filesystem;
using loveless::testing::names_in;
using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;
using loveless::testing::TempDir;

const std::string kSuite = LOVELESS_TEST_SUITE;
const std::string kWorker = LOVELESS_TEST_SUITE_WORKER;
/// Where suite_fixture_scenarios.cpp and its workflow files are.
const std::string kFixtureDir = LOVELESS_TEST_SUITE_FIXTURES;

// A suite run of one small scenario takes well under a second; these are
// generous bounds, not expectations.
constexpr auto kRunLimit = 120s;
constexpr auto kInterruptLimit = 30s;
constexpr auto kWorkerGoneLimit = 10s;

const std::vector<std::string> kScenarioNames = {
    "suite test: echo passes",
    "suite test: a task fails",
    "suite test: flawed echo caught",
    "suite test: flawed echo missed",
    "suite test: trigger names an unknown pool",
    "suite test: workflow file missing",
    "suite test: a long task",
    "suite test: workflow names a missing state",
    "suite test: workflow file is not JSON",
    "suite test: inputs from an empty directory",
    "suite test: a long task whose worker forks",
    "suite test: a worker that cannot start",
};

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

/// A wait status as a shell reports it: the exit code, or 128 + the signal.
int shell_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

/// Environment changes for the child: a value sets, nullopt removes.
using EnvironmentChanges = std::map<std::string, std::optional<std::string>>;

/// This process's environment with `changes`. Entries are added longest name
/// first: Boost 1.74's basic_environment::find reads past an entry shorter
/// than the name it looks for (core/stacks/process/launch.cpp).
bp::environment environment_with(const EnvironmentChanges& changes) {
  std::map<std::string, std::string> variables;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const auto equals = text.find('=');
    if (equals == std::string::npos || equals == 0) continue;
    variables[text.substr(0, equals)] = text.substr(equals + 1);
  }
  for (const auto& [name, value] : changes) {
    if (value) {
      variables[name] = *value;
    } else {
      variables.erase(name);
    }
  }
  std::vector<std::pair<std::string, std::string>> ordered(variables.begin(), variables.end());
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  bp::environment environment;
  for (const auto& [name, value] : ordered) environment[name] = value;
  return environment;
}

/// The suite's runs directory when its TMPDIR is `root`/tmp.
fs::path runs_root_under(const fs::path& root) {
  return root / "tmp" / ("loveless-runs-" + std::to_string(::geteuid()));
}

/// A sandbox for one test: TMPDIR for the suite (its run directories land in
/// `runs_root()`) and room for reports and captured output.
class Sandbox {
 public:
  Sandbox() { fs::create_directories(tmp()); }
  [[nodiscard]] fs::path root() const { return temp_.path(); }
  [[nodiscard]] fs::path tmp() const { return temp_.path() / "tmp"; }
  [[nodiscard]] fs::path runs_root() const { return runs_root_under(temp_.path()); }
  [[nodiscard]] fs::path reports() const { return temp_.path() / "reports"; }
  /// The run directories the suite created (one per scenario run).
  [[nodiscard]] std::vector<fs::path> run_dirs() const {
    std::vector<fs::path> dirs;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(runs_root(), error)) {
      if (entry.is_directory()) dirs.push_back(entry.path());
    }
    return dirs;
  }

 private:
  TempDir temp_;
};

/// One run of the suite executable, stdout and stderr captured to files.
class SuiteProcess {
 public:
  SuiteProcess(const Sandbox& sandbox, const std::vector<std::string>& args,
               EnvironmentChanges changes = {})
      : out_(next_capture(sandbox, "out")),
        err_(next_capture(sandbox, "err")),
        child_(start(sandbox, args, std::move(changes), out_, err_)) {}

  ~SuiteProcess() {
    // A test that failed early: take the suite (and with it its workers) down.
    if (status_) return;
    std::error_code ignored;
    if (child_.running(ignored)) {
      ::kill(child_.id(), SIGKILL);
      wait_for_exit(10s);
    }
  }
  SuiteProcess(const SuiteProcess&) = delete;
  SuiteProcess& operator=(const SuiteProcess&) = delete;

  [[nodiscard]] pid_t pid() const { return child_.id(); }

  /// The shell status once the suite has exited, or nothing if it still runs
  /// after `limit`.
  std::optional<int> wait_for_exit(SteadyClock::duration limit) {
    const auto deadline = SteadyClock::now() + limit;
    while (!status_) {
      std::error_code error;
      if (!child_.running(error)) {
        exited();
        break;
      }
      if (SteadyClock::now() >= deadline) break;
      std::this_thread::sleep_for(20ms);
    }
    return status_;
  }

  /// Polls the captured stdout until it contains `part` (true) or `limit`
  /// passes or the suite exits (false).
  bool wait_for_output(const std::string& part, SteadyClock::duration limit) {
    const auto deadline = SteadyClock::now() + limit;
    while (SteadyClock::now() < deadline) {
      if (contains(out(), part)) return true;
      std::error_code error;
      if (!child_.running(error)) {
        exited();
        return contains(out(), part);
      }
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  /// True once the suite has exited, killed by `signal_number`.
  [[nodiscard]] bool killed_by(int signal_number) const {
    return wait_status_ && WIFSIGNALED(*wait_status_) && WTERMSIG(*wait_status_) == signal_number;
  }

  [[nodiscard]] std::string out() const { return read_text(out_); }
  [[nodiscard]] std::string err() const { return read_text(err_); }

 private:
  void exited() {
    wait_status_ = child_.native_exit_code();
    status_ = shell_status(*wait_status_);
  }

  static fs::path next_capture(const Sandbox& sandbox, const std::string& stream) {
    for (int index = 0;; ++index) {
      auto path = sandbox.root() / ("suite-" + std::to_string(index) + "." + stream);
      if (!fs::exists(path)) {
        std::ofstream{path};  // reserve the name
        return path;
      }
    }
  }

  static bp::child start(const Sandbox& sandbox, const std::vector<std::string>& args,
                         EnvironmentChanges changes, const fs::path& out, const fs::path& err) {
    changes.emplace("TMPDIR", sandbox.tmp().string());
    // The runs directory and its limit are the defaults unless a test says.
    changes.emplace("LOVELESS_RUNS_DIR", std::nullopt);
    changes.emplace("LOVELESS_KEEP_RUNS", std::nullopt);
    return bp::child(bp::exe = kSuite, bp::args = args, environment_with(changes),
                     bp::std_in<bp::null, bp::std_out> out.string(), bp::std_err > err.string());
  }

  fs::path out_;
  fs::path err_;
  bp::child child_;
  std::optional<int> wait_status_;
  std::optional<int> status_;
};

struct Finished {
  int status = -1;
  std::string out;
  std::string err;
};

/// Runs the suite to its end (at most kRunLimit).
Finished run_suite(const Sandbox& sandbox, const std::vector<std::string>& args,
                   EnvironmentChanges changes = {}) {
  SuiteProcess suite(sandbox, args, std::move(changes));
  const auto status = suite.wait_for_exit(kRunLimit);
  INFO("stdout:\n" << suite.out() << "\nstderr:\n" << suite.err());
  REQUIRE(status.has_value());
  return {*status, suite.out(), suite.err()};
}

#define SHOW(run) \
  INFO("exit " << (run).status << "\nstdout:\n" << (run).out << "\nstderr:\n" << (run).err)

nlohmann::json read_json(const fs::path& file) {
  INFO(file.string());
  REQUIRE(fs::is_regular_file(file));
  return nlohmann::json::parse(read_text(file));
}

/// The processes of the worker binary whose environment names `root` (the
/// fleet gives each worker a scratch directory under the run directory as
/// TMPDIR) or one of the runs under `root`/tmp/loveless-runs-<uid> (with a private
/// /tmp a worker's TMPDIR is /tmp, but LOVELESS_RUN_ID is its run's name):
/// this sandbox's workers, not another test's.
std::vector<pid_t> workers_under(const fs::path& root) {
  std::vector<std::string> marks = {root.string()};
  std::error_code error;
  for (const auto& run : fs::directory_iterator(runs_root_under(root), error)) {
    marks.push_back("LOVELESS_RUN_ID=" + run.path().filename().string() + std::string(1, '\0'));
  }
  std::vector<pid_t> pids;
  for (const auto& entry : fs::directory_iterator("/proc", error)) {
    const auto name = entry.path().filename().string();
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (name.empty() || !std::all_of(name.begin(), name.end(), digit)) continue;
    std::error_code unreadable;
    const auto exe = fs::read_symlink(entry.path() / "exe", unreadable).string();
    // A binary rebuilt while it runs reads "<path> (deleted)".
    if (unreadable || exe.rfind(kWorker, 0) != 0) continue;
    const auto environment = read_text(entry.path() / "environ");
    if (std::any_of(marks.begin(), marks.end(),
                    [&](const auto& mark) { return contains(environment, mark); })) {
      pids.push_back(std::stoi(name));
    }
  }
  return pids;
}

/// Polls until no worker of `root` runs; false if some still do after `limit`.
bool workers_gone(const fs::path& root, SteadyClock::duration limit) {
  const auto deadline = SteadyClock::now() + limit;
  while (!workers_under(root).empty()) {
    if (SteadyClock::now() >= deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

/// Polls /proc/<pid>/status until `signal_number` is no longer pending (its
/// handler has taken it): false if it still is after `limit`.
bool signal_taken(pid_t pid, int signal_number, SteadyClock::duration limit) {
  const auto deadline = SteadyClock::now() + limit;
  const auto bit = std::uint64_t{1} << (signal_number - 1);
  while (SteadyClock::now() < deadline) {
    bool pending = false;
    for (const auto& line : lines_of(read_text("/proc/" + std::to_string(pid) + "/status"))) {
      for (const char* field : {"SigPnd:", "ShdPnd:"}) {
        if (line.rfind(field, 0) == 0 && (std::stoull(line.substr(7), nullptr, 16) & bit) != 0) {
          pending = true;
        }
      }
    }
    if (!pending) return true;
    std::this_thread::sleep_for(1ms);
  }
  return false;
}

std::vector<fs::path> pid_files_in(const fs::path& run_dir) {
  std::vector<fs::path> files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(run_dir / "pids", error)) {
    if (entry.path().extension() == ".pid") files.push_back(entry.path());
  }
  return files;
}

/// The one scenario of a per-scenario JSON report (schema loveless.report/v1).
nlohmann::json only_scenario(const nlohmann::json& report) {
  INFO(report.dump(2).substr(0, 2000));
  REQUIRE(report.at("schema") == "loveless.report/v1");
  REQUIRE(report.at("scenarios").size() == 1);
  return report.at("scenarios").at(0);
}

void check_valid_junit(const fs::path& file) {
  const auto check = loveless::testing::check_junit_schema(file);
  INFO(file.string() << "\n" << check.output << "\n" << read_text(file).substr(0, 3000));
  CHECK(check.status == 0);
}

const nlohmann::json* verdict_named(const nlohmann::json& report, const std::string& check) {
  for (const auto& verdict : report.at("verdicts")) {
    if (verdict.at("check") == check) return &verdict;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("the suite lists its scenarios with their tags and starts nothing", "[suite]") {
  const Sandbox sandbox;
  const auto listed = run_suite(sandbox, {"--list"});
  SHOW(listed);
  CHECK(listed.status == 0);
  for (const auto& name : kScenarioNames) CHECK(contains(listed.out, name));
  const auto lines = lines_of(listed.out);
  CHECK(lines.size() == kScenarioNames.size());
  CHECK(std::count(lines.begin(), lines.end(), "suite test: echo passes  [suite-test][pass]") == 1);
  CHECK(std::count(lines.begin(), lines.end(),
                   "suite test: flawed echo caught  [suite-test][!shouldfail][caught]") == 1);

  const auto names = run_suite(sandbox, {"--list-names"});
  SHOW(names);
  CHECK(names.status == 0);
  CHECK(lines_of(names.out) == kScenarioNames);

  const auto filtered = run_suite(sandbox, {"--list-names", "--scenario", "[invalid]"});
  SHOW(filtered);
  CHECK(filtered.status == 0);
  CHECK(lines_of(filtered.out) == std::vector<std::string>{kScenarioNames[4], kScenarioNames[5],
                                                           kScenarioNames[7], kScenarioNames[8],
                                                           kScenarioNames[9]});
  CHECK_FALSE(fs::exists(sandbox.runs_root()));
}

TEST_CASE("a passing scenario exits 0", "[suite]") {
  const Sandbox sandbox;
  const auto run = run_suite(sandbox, {"--scenario", "suite test: echo passes"});
  SHOW(run);
  CHECK(run.status == 0);
  CHECK(contains(run.out, "  pass  all executions succeeded"));
  CHECK(contains(run.out, "\nPASSED  suite test: echo passes\n"));
  CHECK(contains(run.out, "1 scenario(s): 1 passed, 0 failed"));
  CHECK_FALSE(contains(run.out, "partial"));
}

TEST_CASE("a scenario whose check fails exits 1", "[suite]") {
  const Sandbox sandbox;
  SECTION("alone") {
    const auto run = run_suite(sandbox, {"--scenario", "[fail]"});
    SHOW(run);
    CHECK(run.status == 1);
    CHECK(contains(run.out, "  fail  all executions succeeded"));
    CHECK(contains(run.out, "\nFAILED  suite test: a task fails\n"));
    CHECK(contains(run.out, "1 scenario(s): 0 passed, 1 failed"));
  }
  SECTION("among passing ones, which still run") {
    const auto run = run_suite(sandbox, {"--scenario", "[pass],[fail],[caught]"});
    SHOW(run);
    CHECK(run.status == 1);
    CHECK(contains(run.out, "\nPASSED  suite test: echo passes\n"));
    CHECK(contains(run.out, "\nFAILED  suite test: a task fails\n"));
    CHECK(contains(run.out, "\nPASSED  suite test: flawed echo caught"));
    CHECK(contains(run.out, "3 scenario(s): 2 passed, 1 failed"));
  }
}

TEST_CASE("a shouldfail scenario whose check fails counts as passed", "[suite]") {
  const Sandbox sandbox;
  const auto run = run_suite(sandbox, {"--scenario", "[caught]"});
  SHOW(run);
  CHECK(run.status == 0);
  CHECK(contains(run.out, "  fail  all executions succeeded"));
  CHECK(contains(run.out,
                 "\nPASSED  suite test: flawed echo caught (expected to fail, and a check "
                 "failed)\n"));
  CHECK(contains(run.out, "1 scenario(s): 1 passed, 0 failed"));
}

TEST_CASE("a shouldfail scenario whose checks all pass counts as failed", "[suite]") {
  const Sandbox sandbox;
  const auto run = run_suite(sandbox, {"--scenario", "[missed]"});
  SHOW(run);
  CHECK(run.status == 1);
  CHECK(contains(run.out, "  pass  all executions succeeded"));
  CHECK(contains(run.out,
                 "\nFAILED  suite test: flawed echo missed (expected to fail, but no check "
                 "failed)\n"));
  CHECK(contains(run.out, "1 scenario(s): 0 passed, 1 failed"));
}

TEST_CASE("an invalid scenario exits 2 with its problems and starts nothing", "[suite]") {
  const Sandbox sandbox;
  std::string filter;
  std::string name;
  std::string problem;
  SECTION("a trigger naming an unknown pool") {
    filter = "[unknown-pool]";
    name = "suite test: trigger names an unknown pool";
    problem = "no-such-pool is neither a pool nor a state";
  }
  SECTION("a missing workflow file") {
    filter = "[missing-file]";
    name = "suite test: workflow file missing";
    problem = "no-such-workflow.asl.json";
  }
  const auto run = run_suite(sandbox, {"--scenario", filter});
  SHOW(run);
  CHECK(run.status == 2);
  CHECK(contains(run.err, "error: scenario \"" + name + "\" ("));
  CHECK(contains(run.err, "suite_fixture_scenarios.cpp:"));
  CHECK(contains(run.err, ") is invalid:\n  - "));
  CHECK(contains(run.err, problem));
  CHECK_FALSE(contains(run.out, "control phase"));
  CHECK_FALSE(fs::exists(sandbox.runs_root()));
}

TEST_CASE("every selected scenario is validated before any runs", "[suite]") {
  const Sandbox sandbox;
  // The passing scenario comes first in the file: it must not run either.
  const auto run = run_suite(sandbox, {"--scenario", "[pass],[unknown-pool],[missing-file]"});
  SHOW(run);
  CHECK(run.status == 2);
  CHECK(contains(run.err, "suite test: trigger names an unknown pool"));
  CHECK(contains(run.err, "suite test: workflow file missing"));
  CHECK_FALSE(contains(run.err, "\"suite test: echo passes\""));
  CHECK(contains(run.err, "nothing was run"));
  CHECK_FALSE(contains(run.out, "control phase"));
  CHECK_FALSE(fs::exists(sandbox.runs_root()));
}

TEST_CASE("a bad workflow definition or input directory is invalid before anything starts",
          "[suite]") {
  const Sandbox sandbox;
  const auto fixtures = fs::path(kFixtureDir);
  const auto empty_inputs = sandbox.root() / "empty inputs";
  fs::create_directories(empty_inputs);
  std::string filter;
  std::string name;
  std::string problem;
  SECTION("an ASL error names the file and the field's JSON pointer") {
    filter = "[bad-asl]";
    name = "suite test: workflow names a missing state";
    problem = "workflow echo (file " + (fixtures / "workflows/next-nowhere.asl.json").string() +
              "): /States/Work/Next: ";
  }
  SECTION("a JSON syntax error names the file, line and column") {
    filter = "[bad-json]";
    name = "suite test: workflow file is not JSON";
    // Line 4 is `    "Work": {"Type": "Task", "Resource": "${EchoActivityArn}" "End": true}`:
    // the parser stops after the string "End" (its closing quote) where a comma belongs.
    problem = "workflow echo (file " + (fixtures / "workflows/missing-comma.asl.json").string() +
              "): line 4, column 67: not valid JSON: syntax error";
  }
  SECTION("an empty inputs directory is named") {
    filter = "[empty-inputs]";
    name = "suite test: inputs from an empty directory";
    problem = "inputs_from_dir: " + empty_inputs.string() + " has no files";
  }
  const auto run =
      run_suite(sandbox, {"--scenario", filter}, {{"LOVELESS_TEST_INPUTS", empty_inputs.string()}});
  SHOW(run);
  CHECK(run.status == 2);
  CHECK(contains(run.err, "error: scenario \"" + name + "\" ("));
  CHECK(contains(run.err, ") is invalid:\n  - "));
  CHECK(contains(run.err, problem));
  CHECK(contains(run.err, "nothing was run"));
  CHECK_FALSE(contains(run.out, "control phase"));
  // No stack came up: no run directory (where the fleet keeps its workers'
  // logs and pid files), and no worker of this sandbox runs.
  CHECK_FALSE(fs::exists(sandbox.runs_root()));
  CHECK(workers_under(sandbox.root()).empty());
}

TEST_CASE("usage errors exit 2 and start nothing", "[suite]") {
  const Sandbox sandbox;
  struct UsageCase {
    std::vector<std::string> args;
    std::string message;
    bool prints_usage = true;
  };
  const std::vector<UsageCase> cases = {
      {{"--no-such-option"}, "--no-such-option"},
      {{"--stack", "moon"}, "--stack takes process, docker or aws, not moon"},
      {{"--seed", "-3"}, "--seed takes a non-negative integer, not -3"},
      {{"--seed", "7x"}, "--seed takes a non-negative integer, not 7x"},
      {{"--executions", "0"}, "--executions takes a positive integer, not 0"},
      {{"--keep-runs", "0"}, "--keep-runs takes a positive integer (run directories to keep)"},
      {{"--duration", "soon"}, "--duration"},
      {{"--scenario", "no such scenario"}, "no scenario matches \"no such scenario\"", false},
      {{"-r", "xml"}, "unknown reporter 'xml': use console, json, junit"},
      {{"--reporter", "junit::file=x.xml"}, "reporter junit has no option 'file'"},
      {{"-r", "junit", "-r", "json"}, "more than one reporter writes to stdout", false},
  };
  for (const auto& usage : cases) {
    // Were an argument taken, every scenario would run: [pass] only, then.
    auto args = usage.args;
    if (args.front() != "--scenario") args.insert(args.end(), {"--scenario", "[pass]"});
    const auto run = run_suite(sandbox, args);
    SHOW(run);
    INFO("arguments: " << usage.args.at(0)
                       << (usage.args.size() > 1 ? " " + usage.args.at(1) : ""));
    CHECK(run.status == 2);
    CHECK(contains(run.err, "error: "));
    CHECK(contains(run.err, usage.message));
    CHECK(contains(run.err, "--help' for the options") == usage.prints_usage);
    CHECK_FALSE(contains(run.out, "control phase"));
  }
  CHECK_FALSE(fs::exists(sandbox.runs_root()));
}

TEST_CASE("a runs directory others may write to is refused before anything starts", "[suite]") {
  const Sandbox sandbox;
  fs::create_directories(sandbox.runs_root());
  fs::permissions(sandbox.runs_root(), fs::perms::all);  // 0777, as another user might leave it
  const auto run = run_suite(sandbox, {"--scenario", "[pass]"});
  SHOW(run);
  CHECK(run.status == 2);
  CHECK(contains(run.err, "error: the runs directory " + sandbox.runs_root().string() +
                              " is writable by others (mode 0777)"));
  CHECK(contains(run.err, "chmod 700 " + sandbox.runs_root().string()));
  CHECK(contains(run.err, "nothing was run"));
  CHECK_FALSE(contains(run.out, "control phase"));
  CHECK(sandbox.run_dirs().empty());
  CHECK(workers_under(sandbox.root()).empty());
}

TEST_CASE("the suite keeps the newest run directories, says where, and leaves other files",
          "[suite]") {
  const Sandbox sandbox;
  const auto root = sandbox.runs_root();
  // An earlier run's directory (its marker an hour old) and a file of the user's.
  fs::create_directories(root / "run-earlier" / "logs");
  fs::permissions(root, fs::perms::owner_all);
  std::ofstream(root / "run-earlier" / "run.lock");
  fs::last_write_time(root / "run-earlier" / "run.lock",
                      fs::file_time_type::clock::now() - std::chrono::hours(1));
  std::ofstream(root / "notes.txt") << "mine\n";

  SECTION("--keep-runs 1") {
    const auto run = run_suite(sandbox, {"--scenario", "[pass]", "--keep-runs", "1"});
    SHOW(run);
    CHECK(run.status == 0);
    CHECK(contains(run.out, "run directories in " + root.string() + " (the newest 1 kept"));
    CHECK(contains(run.out, "run files kept in " + root.string() + "/run-"));
    const auto dirs = sandbox.run_dirs();
    REQUIRE(dirs.size() == 1);
    CHECK(dirs.front().filename() != "run-earlier");
    CHECK(fs::exists(dirs.front() / "logs"));
    CHECK(fs::exists(root / "notes.txt"));
  }
  SECTION("the default keeps both") {
    const auto run = run_suite(sandbox, {"--scenario", "[pass]"});
    SHOW(run);
    CHECK(run.status == 0);
    CHECK(contains(run.out, "(the newest 20 kept"));
    CHECK(sandbox.run_dirs().size() == 2);
  }
  SECTION("LOVELESS_KEEP_RUNS must be a count") {
    const auto run = run_suite(sandbox, {"--scenario", "[pass]"}, {{"LOVELESS_KEEP_RUNS", "all"}});
    SHOW(run);
    CHECK(run.status == 2);
    CHECK(contains(run.err, "LOVELESS_KEEP_RUNS takes a positive integer"));
    CHECK(sandbox.run_dirs().size() == 1);
  }
}

TEST_CASE("a run still going in another suite is never pruned", "[suite]") {
  const Sandbox sandbox;
  SuiteProcess going(sandbox, {"--scenario", "[long]"});
  const bool running = going.wait_for_output("executions done, 1 running", 60s);
  INFO("stdout:\n" << going.out() << "\nstderr:\n" << going.err());
  REQUIRE(running);
  const auto dirs = sandbox.run_dirs();
  REQUIRE(dirs.size() == 1);
  const auto going_dir = dirs.front();
  // A finished run, older than the one going: the only one to go.
  const auto finished = sandbox.runs_root() / "run-finished";
  fs::create_directories(finished / "logs");
  std::ofstream(finished / "run.lock");
  fs::last_write_time(finished / "run.lock",
                      fs::file_time_type::clock::now() - std::chrono::hours(1));

  const auto run = run_suite(sandbox, {"--scenario", "[pass]", "--keep-runs", "1"});
  SHOW(run);
  CHECK(run.status == 0);
  CHECK_FALSE(fs::exists(finished));
  CHECK(fs::exists(going_dir / "logs"));
  CHECK(sandbox.run_dirs().size() == 2);

  REQUIRE(::kill(going.pid(), SIGINT) == 0);
  CHECK(going.wait_for_exit(kInterruptLimit) == 130);
  CHECK(workers_gone(sandbox.root(), kWorkerGoneLimit));
}

TEST_CASE("a metrics endpoint beyond loopback warns that it has no authentication", "[suite]") {
  const Sandbox sandbox;
  // Bound to every interface on a free port; nothing connects to it.
  const auto wide = run_suite(sandbox, {"--scenario", "[pass]", "--metrics-listen", "0.0.0.0:0"});
  SHOW(wide);
  CHECK(wide.status == 0);
  CHECK(contains(wide.err,
                 "warning: the metrics endpoint (--metrics-listen) listens on "
                 "http://0.0.0.0:"));
  CHECK(contains(wide.err, "has no authentication"));
  CHECK(contains(wide.err, "Listen on 127.0.0.1, or put it behind a proxy that authenticates"));

  const auto local =
      run_suite(sandbox, {"--scenario", "[pass]", "--metrics-listen", "127.0.0.1:0"});
  SHOW(local);
  CHECK(local.status == 0);
  CHECK(contains(local.out, "metrics on http://127.0.0.1:"));
  CHECK_FALSE(contains(local.err, "no authentication"));
}

TEST_CASE("the report directory gets a JSON report per scenario and the suite's JSON and JUnit",
          "[suite]") {
  const Sandbox sandbox;
  // A stale report is replaced whole.
  fs::create_directories(sandbox.reports());
  std::ofstream(sandbox.reports() / "suite-test-echo-passes.json") << "{ not json";

  const auto run =
      run_suite(sandbox, {"--scenario", "[pass],[caught]", "--seed", "4242", "--executions", "2",
                          "--report-dir", sandbox.reports().string()});
  SHOW(run);
  CHECK(run.status == 0);
  CHECK(contains(run.out, "seed 4242 (--seed 4242 reproduces the fault plan)\n"));
  CHECK(contains(run.out, "\" on the process stack, seed 4242, run directory "));
  const auto passes = sandbox.reports() / "suite-test-echo-passes.json";
  const auto caught = sandbox.reports() / "suite-test-flawed-echo-caught.json";
  CHECK(contains(run.out, "  report " + passes.string() + "\n"));
  CHECK(contains(run.out, "  report " + caught.string() + "\n"));
  const auto suite_json = sandbox.reports() / "report.json";
  const auto junit = sandbox.reports() / "junit.xml";
  CHECK(contains(run.out, "  report " + suite_json.string() + "\n"));
  CHECK(contains(run.out, "  report " + junit.string() + "\n"));
  // Nothing else: no temporary file left behind.
  CHECK(names_in(sandbox.reports()) ==
        std::set<std::string>{passes.filename().string(), caught.filename().string(), "report.json",
                              "junit.xml", "report.html"});

  const auto passed = only_scenario(read_json(passes));
  INFO(passed.dump(2).substr(0, 4000));
  CHECK(passed.at("scenario") == "suite test: echo passes");
  CHECK(passed.at("tags") == nlohmann::json::array({"suite-test", "pass"}));
  CHECK(passed.at("should_fail") == false);
  CHECK(passed.at("passed") == true);
  CHECK(passed.at("history").at("seed") == 4242);
  CHECK(passed.at("history").at("stack") == "process");
  CHECK(passed.at("history").at("partial") == false);
  // --executions 2: two per phase.
  CHECK(passed.at("history").at("executions").size() == 4);
  CHECK(passed.at("verdicts").size() == 2);
  for (const auto& verdict : passed.at("verdicts")) CHECK(verdict.at("outcome") == "pass");
  REQUIRE(verdict_named(passed, "all executions succeeded") != nullptr);

  const auto inverted = only_scenario(read_json(caught));
  INFO(inverted.dump(2).substr(0, 4000));
  CHECK(inverted.at("should_fail") == true);
  CHECK(inverted.at("passed") == true);
  CHECK(inverted.at("history").at("seed") == 4242);
  const auto* verdict = verdict_named(inverted, "all executions succeeded");
  REQUIRE(verdict != nullptr);
  CHECK(verdict->at("outcome") == "fail");
  CHECK_FALSE(verdict->at("summary").get<std::string>().empty());

  const auto whole = read_json(suite_json);
  CHECK(whole.at("schema") == "loveless.report/v1");
  CHECK(whole.at("suite") == "suite-test-scenarios");
  CHECK(whole.at("seed") == 4242);
  CHECK(whole.at("partial") == false);
  CHECK(whole.at("totals") ==
        nlohmann::json{{"selected", 2}, {"run", 2}, {"passed", 2}, {"failed", 0}});
  REQUIRE(whole.at("scenarios").size() == 2);
  CHECK(whole.at("scenarios").at(0).at("scenario") == "suite test: echo passes");
  CHECK(whole.at("scenarios").at(1).at("scenario") == "suite test: flawed echo caught");

  check_valid_junit(junit);
  const auto xml = read_text(junit);
  CHECK(contains(xml, "<testsuite name=\"suite test: echo passes\" tests=\"2\" failures=\"0\""));
  CHECK(contains(xml,
                 "<testcase classname=\"suite test: flawed echo caught\" name=\"all "
                 "executions succeeded\""));
  CHECK(contains(xml, "<property name=\"seed\" value=\"4242\"/>"));
  // [!shouldfail] caught: its failed check is expected, so no <failure> in the file.
  CHECK_FALSE(contains(xml, "<failure"));
  // Each check's testcase has the wall time of the phases it judged, which
  // the JSON report names.
  CHECK_FALSE(contains(xml, "time=\"0.000\""));
  CHECK(verdict->at("phases") == nlohmann::json::array({"control", "cold", "chaos"}));
}

TEST_CASE("reporters chosen with -r write their files while the console still prints", "[suite]") {
  const Sandbox sandbox;
  const auto junit = sandbox.reports() / "ci" / "junit.xml";
  const auto json = sandbox.reports() / "suite.json";
  const auto run = run_suite(
      sandbox, {"--scenario", "[pass],[fail]", "--executions", "1", "-r",
                "junit::out=" + junit.string(), "--reporter", "json::out=" + json.string()});
  SHOW(run);
  CHECK(run.status == 1);
  CHECK(contains(run.out, "\nPASSED  suite test: echo passes\n"));
  CHECK(contains(run.out, "\nFAILED  suite test: a task fails\n"));
  CHECK(contains(run.out, "2 scenario(s): 1 passed, 1 failed"));
  CHECK(contains(run.out, "  report " + junit.string() + "\n"));
  check_valid_junit(junit);
  const auto xml = read_text(junit);
  CHECK(contains(xml, "<testsuites name=\"suite-test-scenarios\" tests=\"3\" failures=\"1\""));
  CHECK(contains(xml, "<failure message=\"0 of 2 executions succeeded"));
  const auto report = read_json(json);
  CHECK(report.at("totals").at("failed") == 1);
  CHECK(report.at("scenarios").size() == 2);
}

TEST_CASE("a report on stdout keeps stdout to itself", "[suite]") {
  const Sandbox sandbox;
  const auto run =
      run_suite(sandbox, {"--scenario", "[pass]", "--executions", "1", "-r", "junit::out=-"});
  SHOW(run);
  CHECK(run.status == 0);
  CHECK(run.out.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", 0) == 0);
  CHECK(contains(run.err, "control phase"));
  CHECK(contains(run.err, "seed "));
  CHECK_FALSE(contains(run.out, "PASSED"));
  const auto file = sandbox.root() / "stdout.xml";
  std::ofstream(file) << run.out;
  check_valid_junit(file);
}

TEST_CASE("log lines go to stderr, never into a report on stdout", "[suite]") {
  const Sandbox sandbox;
  // Debug: the engine logs every request it answers, so lines are sure to come.
  const auto run = run_suite(sandbox, {"--scenario", "[pass]", "--executions", "1", "-r",
                                       "json::out=-", "--log-level", "debug"});
  SHOW(run);
  CHECK(run.status == 0);
  nlohmann::json report;
  REQUIRE_NOTHROW(report = nlohmann::json::parse(run.out));
  CHECK(report.at("totals").at("passed") == 1);
  CHECK(contains(run.err, "StartExecution -> 200"));
  // Not a terminal: no colour codes.
  CHECK_FALSE(contains(run.err, "\x1b["));
  // The run's own log file in its run directory (info and above).
  const auto runs = sandbox.run_dirs();
  REQUIRE(runs.size() == 1);
  CHECK(fs::is_regular_file(runs.front() / "loveless.log"));
}

TEST_CASE("a quiet suite prints the verdicts without progress or log lines", "[suite]") {
  const Sandbox sandbox;
  const auto run = run_suite(sandbox, {"--scenario", "[pass]", "--executions", "1", "-q"});
  SHOW(run);
  CHECK(run.status == 0);
  CHECK(contains(run.out, "PASSED  suite test: echo passes"));
  CHECK_FALSE(contains(run.out, "control phase"));
  CHECK_FALSE(contains(run.out, "seed "));
  CHECK(run.err.empty());
}

TEST_CASE("help and version answer on stdout with exit 0 and a typo gets the nearest option",
          "[suite]") {
  const Sandbox sandbox;
  auto run = run_suite(sandbox, {"--help"});
  SHOW(run);
  CHECK(run.status == 0);
  CHECK(contains(run.out, "Usage: suite-test-scenarios [OPTIONS]"));
  for (const auto* option : {"--scenario", "--seed", "--report-dir", "--quiet", "--log-level"}) {
    CHECK(contains(run.out, option));
  }
  run = run_suite(sandbox, {"--version"});
  SHOW(run);
  CHECK(run.status == 0);
  CHECK(run.out.rfind("suite-test-scenarios (loveless ", 0) == 0);
  run = run_suite(sandbox, {"--senario", "[pass]"});
  SHOW(run);
  CHECK(run.status == 2);
  CHECK(contains(run.err, "did you mean --scenario instead of --senario?"));
  CHECK_FALSE(fs::exists(sandbox.runs_root()));
}

TEST_CASE("a metrics file inside the report directory needs no directory made first", "[suite]") {
  const Sandbox sandbox;
  const auto dir = sandbox.reports() / "new";
  const auto run =
      run_suite(sandbox, {"--scenario", "[pass]", "--executions", "1", "--report-dir", dir.string(),
                          "--metrics-file", (dir / "suite.prom").string()});
  SHOW(run);
  CHECK(run.status == 0);
  CHECK(fs::is_regular_file(dir / "suite.prom"));
  CHECK(fs::is_regular_file(dir / "junit.xml"));
}

TEST_CASE("a report that cannot be written fails the run with the reason", "[suite]") {
  const Sandbox sandbox;
  // junit.xml is taken by a directory: that report cannot be written, the others are.
  fs::create_directories(sandbox.reports() / "junit.xml");
  const auto run = run_suite(sandbox, {"--scenario", "[pass]", "--executions", "1", "--report-dir",
                                       sandbox.reports().string()});
  SHOW(run);
  CHECK(run.status == 1);
  CHECK(contains(run.out, "\nPASSED  suite test: echo passes\n"));
  CHECK(contains(run.err,
                 "error: cannot write the report " + (sandbox.reports() / "junit.xml").string()));
  CHECK(fs::is_directory(sandbox.reports() / "junit.xml"));
  CHECK(fs::is_regular_file(sandbox.reports() / "report.json"));
  CHECK(fs::is_regular_file(sandbox.reports() / "suite-test-echo-passes.json"));
}

TEST_CASE("without a seed the suite draws one and prints and records it", "[suite]") {
  const Sandbox sandbox;
  const auto run =
      run_suite(sandbox, {"--scenario", "[pass]", "--report-dir", sandbox.reports().string()});
  SHOW(run);
  CHECK(run.status == 0);
  // The first line: "seed N (--seed N reproduces the fault plan)". Parsed
  // by hand: std::regex trips GCC 12's -Wmaybe-uninitialized under ASan.
  const auto first = lines_of(run.out).at(0);
  INFO(first);
  REQUIRE(first.rfind("seed ", 0) == 0);
  const auto seed = first.substr(5, first.find(' ', 5) - 5);
  REQUIRE_FALSE(seed.empty());
  REQUIRE(seed.find_first_not_of("0123456789") == std::string::npos);
  CHECK(first == "seed " + seed + " (--seed " + seed + " reproduces the fault plan)");
  const auto report = only_scenario(read_json(sandbox.reports() / "suite-test-echo-passes.json"));
  CHECK(report.at("history").at("seed").get<std::uint64_t>() == std::stoull(seed));
  CHECK(report.at("fault_plan").at("seed").get<std::uint64_t>() == std::stoull(seed));
}

TEST_CASE("the aws stack refuses a scenario without AWS bindings and says what to add", "[suite]") {
  const Sandbox sandbox;
  const auto run = run_suite(sandbox, {"--stack", "aws", "--scenario", "[pass]"},
                             {{"AWS_EC2_METADATA_DISABLED", "true"}});
  SHOW(run);
  CHECK(run.status == 2);
  CHECK(contains(run.err, "has no AWS binding: add s.aws().ecs_service("));
  CHECK(contains(run.err, "nothing was run"));
  CHECK_FALSE(contains(run.out, "control phase"));
  CHECK_FALSE(fs::exists(sandbox.runs_root()));
}

TEST_CASE("a dry run belongs to the aws stack", "[suite]") {
  const Sandbox sandbox;
  const auto run = run_suite(sandbox, {"--dry-run", "--scenario", "[pass]"});
  SHOW(run);
  CHECK(run.status == 2);
  CHECK(contains(run.err, "--dry-run plans the AWS calls of --stack aws"));
  CHECK_FALSE(contains(run.out, "control phase"));
}

TEST_CASE("the docker stack without an engine prints the skip marker and exits 3", "[suite]") {
  const Sandbox sandbox;
  const auto socket = "unix://" + (sandbox.root() / "no-engine.sock").string();
  const std::vector<std::string> args = {"--stack", "docker", "--scenario", "[pass]"};
  SECTION("a skip by default") {
    const auto run =
        run_suite(sandbox, args, {{"DOCKER_HOST", socket}, {"LOVELESS_REQUIRE_DOCKER", {}}});
    SHOW(run);
    CHECK(run.status == 3);
    CHECK(contains(run.out, "LOVELESS-SKIP: "));
    CHECK(contains(run.out, "no-engine.sock"));
    CHECK(contains(run.err, "scripts/docker-engine starts one"));
    CHECK(contains(run.err, "error: "));
    CHECK_FALSE(contains(run.out, "PASSED"));
  }
  SECTION("a failure when Docker is required") {
    const auto run =
        run_suite(sandbox, args, {{"DOCKER_HOST", socket}, {"LOVELESS_REQUIRE_DOCKER", "1"}});
    SHOW(run);
    CHECK(run.status == 3);
    CHECK_FALSE(contains(run.out, "LOVELESS-SKIP"));
    CHECK(contains(run.err, "error: "));
    CHECK(contains(run.err, "no-engine.sock"));
  }
  SECTION("the suite's reports are still written") {
    const auto reports = sandbox.root() / "reports";
    auto with_reports = args;
    with_reports.insert(with_reports.end(), {"--report-dir", reports.string()});
    const auto run = run_suite(sandbox, with_reports,
                               {{"DOCKER_HOST", socket}, {"LOVELESS_REQUIRE_DOCKER", "1"}});
    SHOW(run);
    CHECK(run.status == 3);
    CHECK(fs::exists(reports / "junit.xml"));
    REQUIRE(fs::exists(reports / "report.json"));
    std::ifstream file(reports / "report.json");
    const auto report = nlohmann::json::parse(file);
    CHECK(report.value("schema", "") == "loveless.report/v1");
  }
}

TEST_CASE("SIGINT stops a long scenario with a partial report and exit 130 and no worker left",
          "[suite]") {
  const Sandbox sandbox;
  int signal_number = SIGINT;
  SECTION("SIGINT") {}
  SECTION("SIGTERM alike") { signal_number = SIGTERM; }
  SuiteProcess suite(
      sandbox, {"--scenario", "[long]", "--seed", "5", "--report-dir", sandbox.reports().string()});
  // The control phase's only execution runs (its task sleeps ten minutes).
  const bool running = suite.wait_for_output("executions done, 1 running", 60s);
  INFO("stdout:\n" << suite.out() << "\nstderr:\n" << suite.err());
  REQUIRE(running);
  const auto workers = workers_under(sandbox.root());
  REQUIRE_FALSE(workers.empty());
  const auto run_dirs = sandbox.run_dirs();
  REQUIRE(run_dirs.size() == 1);
  REQUIRE_FALSE(pid_files_in(run_dirs.front()).empty());

  const auto interrupted_at = SteadyClock::now();
  REQUIRE(::kill(suite.pid(), signal_number) == 0);
  const auto status = suite.wait_for_exit(kInterruptLimit);
  const auto took = std::chrono::duration<double>(SteadyClock::now() - interrupted_at).count();
  INFO("stdout:\n"
       << suite.out() << "\nstderr:\n"
       << suite.err() << "\nexit after " << took << " s");
  REQUIRE(status.has_value());
  CHECK(*status == 130);
  const auto out = suite.out();
  CHECK(contains(out, "PASSED  suite test: a long task (partial: the run was cut short)\n") !=
        contains(out, "FAILED  suite test: a long task (partial: the run was cut short)\n"));
  CHECK(contains(out, "interrupted: the verdicts above are partial\n"));

  const auto report = only_scenario(read_json(sandbox.reports() / "suite-test-a-long-task.json"));
  CHECK(report.at("history").at("partial") == true);
  CHECK(report.at("partial") == true);
  CHECK(report.at("history").at("seed") == 5);
  CHECK(report.at("verdicts").size() == 1);
  // The suite's reports are written on the way out, marked partial.
  CHECK(names_in(sandbox.reports()) == std::set<std::string>{"suite-test-a-long-task.json",
                                                             "report.json", "junit.xml",
                                                             "report.html"});
  const auto whole = read_json(sandbox.reports() / "report.json");
  CHECK(whole.at("partial") == true);
  CHECK(whole.at("totals").at("run") == 1);
  check_valid_junit(sandbox.reports() / "junit.xml");
  CHECK(contains(read_text(sandbox.reports() / "junit.xml"),
                 "<property name=\"partial\" value=\"true\"/>"));
  const auto html = read_text(sandbox.reports() / "report.html");
  CHECK(contains(html, "the suite was interrupted: 1 of 1 selected scenarios ran"));
  CHECK(contains(html, "partial: the run was cut short"));

  // Torn down: every worker reaped, so their pid files are gone too.
  CHECK(workers_gone(sandbox.root(), kWorkerGoneLimit));
  CHECK(pid_files_in(run_dirs.front()).empty());
}

/// Field 22 of /proc/<pid>/stat (start time in clock ticks); 0 if gone.
std::uint64_t start_time_of(pid_t pid) {
  const auto line = read_text("/proc/" + std::to_string(pid) + "/stat");
  const auto close = line.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(line.substr(close + 2));
  std::string field;
  for (int i = 3; i < 22 && (fields >> field); ++i) {
  }
  std::uint64_t start = 0;
  fields >> start;
  return start;
}

bool running(pid_t pid) {
  const auto line = read_text("/proc/" + std::to_string(pid) + "/stat");
  const auto close = line.rfind(')');
  return close != std::string::npos && line.size() > close + 2 && line[close + 2] != 'Z' &&
         line[close + 2] != 'X';
}

TEST_CASE("a run sweeps what the workers of a SIGKILLed run left, and nothing it did not start",
          "[suite][sweep]") {
  // Whether the dead worker is left a zombie or reaped depends on the
  // machine's init; each case takes another path of the sweep. This test
  // process stands in for an init that reaps (a child subreaper).
  bool reap_the_worker = false;
  SECTION("the dead worker is not reaped") {}
  SECTION("the dead worker is reaped") { reap_the_worker = true; }
  struct Subreaper {
    explicit Subreaper(bool on) : on_(on) {
      if (on_) REQUIRE(::prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
    }
    ~Subreaper() {
      if (on_) ::prctl(PR_SET_CHILD_SUBREAPER, 0);
    }
    Subreaper(const Subreaper&) = delete;
    Subreaper& operator=(const Subreaper&) = delete;
    bool on_;
  };
  const Subreaper subreaper(reap_the_worker);
  const Sandbox sandbox;
  SuiteProcess crashed(sandbox, {"--scenario", "[long-forking]"});
  const bool busy = crashed.wait_for_output("executions done, 1 running", 60s);
  INFO("stdout:\n" << crashed.out() << "\nstderr:\n" << crashed.err());
  REQUIRE(busy);
  const auto run_dirs = sandbox.run_dirs();
  REQUIRE(run_dirs.size() == 1);
  const auto crashed_dir = run_dirs.front();
  const auto grandchild_file = crashed_dir / "scratch" / "echo-1" / "grandchild.pid";
  const auto deadline = SteadyClock::now() + 10s;
  while (!fs::exists(grandchild_file) && SteadyClock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  REQUIRE(fs::exists(grandchild_file));
  const pid_t grandchild = std::stoi(read_text(grandchild_file));
  REQUIRE_FALSE(pid_files_in(crashed_dir).empty());

  // The runner dies without a chance to clean up; its worker dies with it
  // (PR_SET_PDEATHSIG), what the worker forked does not.
  REQUIRE(::kill(crashed.pid(), SIGKILL) == 0);
  REQUIRE(crashed.wait_for_exit(10s).has_value());
  if (reap_the_worker) {
    const pid_t worker = std::stoi(read_text(crashed_dir / "pids" / "echo-1.pid"));
    const auto reap_deadline = SteadyClock::now() + 5s;
    bool reaped = false;
    while (!reaped && SteadyClock::now() < reap_deadline) {
      reaped = ::waitpid(worker, nullptr, WNOHANG) == worker;
      std::this_thread::sleep_for(5ms);
    }
    REQUIRE(reaped);
  }
  std::this_thread::sleep_for(200ms);
  REQUIRE(running(grandchild));

  // A process Loveless did not start, behind a record with its pid and
  // another start time (its pid reused since), in a dead run of its own.
  bp::child stranger(bp::search_path("sleep"), "30");
  const pid_t stranger_pid = stranger.id();
  REQUIRE(start_time_of(stranger_pid) > 0);
  const auto forged = sandbox.runs_root() / "run-forged" / "pids";
  fs::create_directories(forged);
  std::ofstream(forged / "echo-1.pid")
      << stranger_pid << ' ' << start_time_of(stranger_pid) + 1 << '\n';

  SuiteProcess next(sandbox, {"--scenario", "[pass]"});
  const auto status = next.wait_for_exit(kRunLimit);
  INFO("next run's stdout:\n" << next.out() << "\nstderr:\n" << next.err());
  REQUIRE(status.has_value());
  CHECK(*status == 0);
  CHECK(contains(next.out(), "swept 1 worker process left by an earlier run (pid " +
                                 std::to_string(grandchild) + ")\n"));
  CHECK_FALSE(running(grandchild));
  CHECK(pid_files_in(crashed_dir).empty());
  CHECK(workers_gone(sandbox.root(), kWorkerGoneLimit));
  CHECK(running(stranger_pid));
  std::error_code ignored;
  stranger.terminate(ignored);
  if (reap_the_worker) ::waitpid(grandchild, nullptr, WNOHANG);  // now this process's child
}

TEST_CASE("a pool whose workers keep dying at start fails the scenario early, saying why",
          "[suite][crash-loop]") {
  const Sandbox sandbox;
  const auto started = SteadyClock::now();
  SuiteProcess suite(sandbox, {"--scenario", "[crash-loop]"});
  const auto status = suite.wait_for_exit(kRunLimit);
  const auto took = std::chrono::duration<double>(SteadyClock::now() - started).count();
  INFO("stdout:\n"
       << suite.out() << "\nstderr:\n"
       << suite.err() << "\nexit after " << took << " s");
  REQUIRE(status.has_value());
  CHECK(*status == 1);
  // Five deaths, 0.1 + 0.2 + 0.4 + 0.8 s apart, and the run's start and end:
  // far from the scenario's two-minute deadline.
  CHECK(took < 20);
  const auto out = suite.out();
  CHECK(contains(out, "pool 'echo' is crash-looping: 5 workers in a row exited within 5 s"));
  CHECK(contains(out, "ended with exit 3"));
  CHECK(contains(out, "cannot start: SUITE_TEST_WORKER_CRASH is set"));
  const auto run_dirs = sandbox.run_dirs();
  REQUIRE(run_dirs.size() == 1);
  CHECK(contains(out, (run_dirs.front() / "logs" / "echo-5.log").string()));
  // Backoff: a handful of workers, not thousands.
  std::size_t logs = 0;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(run_dirs.front() / "logs", error)) {
    logs += entry.path().extension() == ".log" ? 1 : 0;
  }
  CHECK(logs <= 7);
}

TEST_CASE("a second SIGINT stops the suite at once and its workers die with it", "[suite]") {
  const Sandbox sandbox;
  SuiteProcess suite(sandbox, {"--scenario", "[long]"});
  const bool running = suite.wait_for_output("executions done, 1 running", 60s);
  INFO("stdout:\n" << suite.out() << "\nstderr:\n" << suite.err());
  REQUIRE(running);
  REQUIRE_FALSE(workers_under(sandbox.root()).empty());

  // The second signal once the first one's handler has run (two pending
  // SIGINTs would be one). The clean stop the first one asks for starts at the
  // runner's next wake-up (within a second) and takes longer than this.
  REQUIRE(::kill(suite.pid(), SIGINT) == 0);
  REQUIRE(signal_taken(suite.pid(), SIGINT, 1s));
  const auto interrupted_at = SteadyClock::now();
  REQUIRE(::kill(suite.pid(), SIGINT) == 0);
  const auto status = suite.wait_for_exit(5s);
  const auto took = std::chrono::duration<double>(SteadyClock::now() - interrupted_at).count();
  INFO("exit after " << took << " s");
  REQUIRE(status.has_value());
  CHECK(suite.killed_by(SIGINT));
  CHECK(*status == 130);  // as a shell reports it
  CHECK_FALSE(contains(suite.out(), "interrupted: the verdicts above are partial"));
  // No teardown ran: the fleet's parent-death signal took the workers.
  CHECK(workers_gone(sandbox.root(), kWorkerGoneLimit));
}
