// The suite main's metrics options end to end: metrics-test-scenarios
// (metrics_fixture_scenarios.cpp, a scenario that kills a worker mid-task)
// run as a process with --metrics-file, --metrics-listen scraped by a real
// Prometheus server, and --pushgateway pushing to a real Pushgateway; and
// bad option values (exit 2, saying what to do). Each suite run gets its own
// TMPDIR; every wait is bounded; every process is killed when its test ends.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/process.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "exposition_samples.hpp"
#include "metrics_tools.hpp"
#include "support/temp_dir.hpp"
#include <signal.h>
#include <unistd.h>

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX, not in a header

namespace {

namespace bp = boost::process;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using namespace loveless::testing;

const std::string kSuite = LOVELESS_METRICS_TEST_SUITE;
const std::string kSuiteName = fs::path(kSuite).filename().string();
const std::string kScenario = "metrics test: a killed worker's task recovers";
constexpr auto kRunLimit = 120s;

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// This process's environment with TMPDIR set. Entries longest name first:
/// Boost 1.74's basic_environment::find reads past an entry shorter than the
/// name it looks for (core/stacks/process/launch.cpp).
bp::environment environment_with_tmpdir(const fs::path& tmpdir) {
  std::map<std::string, std::string> variables;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const auto equals = text.find('=');
    if (equals == std::string::npos || equals == 0) continue;
    variables[text.substr(0, equals)] = text.substr(equals + 1);
  }
  variables["TMPDIR"] = tmpdir.string();
  std::vector<std::pair<std::string, std::string>> ordered(variables.begin(), variables.end());
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  bp::environment environment;
  for (const auto& [name, value] : ordered) environment[name] = value;
  return environment;
}

/// One run of the fixture suite (the kill scenario, seed 1) with `args`.
class SuiteRun {
 public:
  SuiteRun(const fs::path& dir, std::vector<std::string> args) : dir_(dir) {
    fs::create_directories(dir / "tmp");
    args.insert(args.begin(), {"--scenario", "[metrics-test]", "--seed", "1"});
    child_ = bp::child(kSuite, bp::args(args), environment_with_tmpdir(dir / "tmp"),
                       bp::std_out > (dir / "out.txt").string(),
                       bp::std_err > (dir / "err.txt").string(), bp::std_in < bp::null);
  }
  ~SuiteRun() {
    std::error_code ignored;
    if (child_.running(ignored)) ::kill(child_.id(), SIGKILL);
    child_.wait(ignored);
  }
  SuiteRun(const SuiteRun&) = delete;
  SuiteRun& operator=(const SuiteRun&) = delete;

  /// The exit code, or -1 if it still runs after kRunLimit.
  int wait() {
    if (!eventually([&] { return !running(); },
                    std::chrono::duration_cast<std::chrono::milliseconds>(kRunLimit))) {
      return -1;
    }
    std::error_code ignored;
    child_.wait(ignored);
    return child_.exit_code();
  }
  bool running() {
    std::error_code error;
    return child_.running(error);
  }
  [[nodiscard]] std::string out() const { return read_text(dir_ / "out.txt"); }
  [[nodiscard]] std::string err() const { return read_text(dir_ / "err.txt"); }
  [[nodiscard]] std::string output() const { return "stdout:\n" + out() + "stderr:\n" + err(); }

 private:
  fs::path dir_;
  bp::child child_;
};

/// The suite's run with only `args`, for usage errors: exit code and stderr.
std::pair<int, std::string> usage_run(const fs::path& dir, const std::vector<std::string>& args) {
  SuiteRun run(dir, args);
  const int code = run.wait();
  return {code, run.err()};
}

std::optional<double> query_prometheus(int port, const std::string& query) {
  const auto body = http_get(port, "/api/v1/query?query=" + query);
  if (!body) return std::nullopt;
  const auto answer = nlohmann::json::parse(*body, nullptr, false);
  const auto result = answer.is_object() && answer.value("status", "") == "success"
                          ? answer.value("/data/result"_json_pointer, nlohmann::json::array())
                          : nlohmann::json::array();
  if (result.empty() || !result[0].contains("value")) return std::nullopt;
  return std::stod(result[0]["value"].at(1).get<std::string>());
}

}  // namespace

TEST_CASE("the suite writes a metrics file promtool accepts with the faults it injected",
          "[metrics][suite]") {
  const TempDir dir;
  const auto file = dir.path() / "loveless.prom";
  SuiteRun run(dir.path(), {"--metrics-file", file.string()});
  const int code = run.wait();
  INFO(run.output());
  REQUIRE(code == 0);
  REQUIRE(fs::exists(file));
  const auto text = read_text(file);
  const auto samples = parse_samples(text);
  const std::map<std::string, std::string> scenario = {{"scenario", kScenario}};
  auto kill = scenario;
  kill.insert({{"fault", "kill"}, {"pool", "echo"}});
  CHECK(sample_value(samples, "loveless_faults_injected_total", kill) == 1);
  CHECK(sample_value(samples, "loveless_executions_total",
                     {{"scenario", kScenario}, {"status", "SUCCEEDED"}}) == 4);
  CHECK(sample_value(samples, "loveless_task_retries_total",
                     {{"scenario", kScenario}, {"phase", "chaos"}, {"pool", "echo"}}) >= 1);
  CHECK(sample_value(samples, "loveless_task_attempts_total",
                     {{"scenario", kScenario}, {"outcome", "timed_out"}}) >= 1);
  CHECK(sample_value(samples, "loveless_recovery_time_seconds_count", kill) >= 1);
  CHECK(sample_value(samples, "loveless_scenario_passed", scenario) == 1);
  // Only the file: no temporary left beside it.
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 4);

  const auto promtool = tool_or_skip("promtool", "prometheus");
  if (!promtool) return;
  const auto [status, lint] = promtool_check_metrics(*promtool, text);
  INFO(lint);
  CHECK(status == 0);
  CHECK(lint.empty());
}

TEST_CASE("a Prometheus server scrapes the suite's live metrics endpoint",
          "[metrics][suite][prometheus]") {
  const auto prometheus = tool_or_skip("prometheus", "prometheus");
  if (!prometheus) return;
  const TempDir dir;
  const int listen = free_port();
  int port = free_port();
  while (port == listen) port = free_port();
  {
    std::ofstream config(dir.path() / "prometheus.yml");
    config << "global:\n  scrape_interval: 1s\n"
           << "scrape_configs:\n  - job_name: loveless-suite\n    static_configs:\n"
           << "      - targets: ['127.0.0.1:" << listen << "']\n";
  }
  ServerProcess server(
      *prometheus,
      {"--config.file=" + (dir.path() / "prometheus.yml").string(),
       "--storage.tsdb.path=" + (dir.path() / "data").string(),
       "--web.listen-address=127.0.0.1:" + std::to_string(port), "--log.level=warn"},
      dir.path() / "prometheus.log");
  REQUIRE(
      eventually([&] { return http_get(port, "/-/ready").has_value() || !server.running(); }, 60s));
  INFO(server.log());
  REQUIRE(server.running());

  // Prometheus applies discovered targets a few seconds after it is ready:
  // start the suite once it has tried the (not yet listening) target.
  REQUIRE(eventually(
      [&] {
        const auto targets = http_get(port, "/api/v1/targets");
        const auto answer = nlohmann::json::parse(targets.value_or(""), nullptr, false);
        const auto active = answer.is_object() ? answer.value("/data/activeTargets"_json_pointer,
                                                              nlohmann::json::array())
                                               : nlohmann::json::array();
        return !active.empty() && active[0].is_object() && active[0].value("health", "") == "down";
      },
      30s));
  SuiteRun run(dir.path() / "suite", {"--metrics-listen", "127.0.0.1:" + std::to_string(listen)});
  const int code = run.wait();
  INFO(run.output());
  REQUIRE(code == 0);
  CHECK(run.out().find("metrics on http://127.0.0.1:" + std::to_string(listen) + "/metrics") !=
        std::string::npos);
  // Scraped while the suite ran (the series went stale when it exited, hence
  // the range): the control phase's executions at least.
  const std::string executions =
      "sum(max_over_time(loveless_executions_total%7Bjob%3D%22loveless-suite%22%7D%5B10m%5D))";
  CHECK(eventually([&] { return query_prometheus(port, executions).value_or(0) >= 2; }, 30s));
  CHECK(eventually(
      [&] {
        return query_prometheus(port, "max_over_time(loveless_phase_active%5B10m%5D)") == 1.0;
      },
      30s));
}

TEST_CASE("the suite pushes its metrics to a Pushgateway", "[metrics][suite][pushgateway]") {
  const auto pushgateway = tool_or_skip("prometheus-pushgateway", "prometheus-pushgateway");
  if (!pushgateway) return;
  const TempDir dir;
  const int port = free_port();
  ServerProcess server(*pushgateway, {"--web.listen-address=127.0.0.1:" + std::to_string(port)},
                       dir.path() / "pushgateway.log");
  REQUIRE(
      eventually([&] { return http_get(port, "/-/ready").has_value() || !server.running(); }, 60s));
  INFO(server.log());
  REQUIRE(server.running());

  SuiteRun run(dir.path() / "suite", {"--pushgateway", "http://127.0.0.1:" + std::to_string(port)});
  const int code = run.wait();
  INFO(run.output());
  REQUIRE(code == 0);
  const auto body = http_get(port, "/metrics");
  REQUIRE(body);
  const auto samples = parse_samples(*body);
  const std::map<std::string, std::string> group = {
      {"job", "loveless"}, {"suite", kSuiteName}, {"stack", "process"}, {"scenario", kScenario}};
  CHECK(sample_value(samples, "loveless_faults_injected_total", group) == 1);
  CHECK(sample_value(samples, "loveless_scenario_passed", group) == 1);
}

TEST_CASE("bad metrics options exit 2 and say what to do", "[metrics][suite]") {
  const TempDir dir;
  SECTION("a listen address without a port") {
    const auto [code, err] = usage_run(dir.path(), {"--metrics-listen", "localhost"});
    CHECK(code == 2);
    CHECK(err.find("HOST:PORT") != std::string::npos);
  }
  SECTION("a Pushgateway without a scheme") {
    const auto [code, err] = usage_run(dir.path(), {"--pushgateway", "127.0.0.1:9091"});
    CHECK(code == 2);
    CHECK(err.find("http://HOST:PORT") != std::string::npos);
  }
  SECTION("a metrics file in no directory") {
    const auto [code, err] =
        usage_run(dir.path(), {"--metrics-file", (dir.path() / "none" / "x.prom").string()});
    CHECK(code == 2);
    CHECK(err.find("does not exist") != std::string::npos);
  }
  SECTION("a listen port already taken") {
    const ListeningSocket taken;
    const auto [code, err] =
        usage_run(dir.path(), {"--metrics-listen", "127.0.0.1:" + std::to_string(taken.port())});
    CHECK(code == 2);
    CHECK(err.find("choose another") != std::string::npos);
  }
}
