// loveless::metrics from recorded runs: a RunResult built from a fixture
// history (tests/checks/check_fixtures.hpp) and the real checks' verdicts,
// fed to a ScenarioRecorder, read back from the exposition text.
#include "loveless/metrics/suite_metrics.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "loveless/metrics/exporters.hpp"

#include "checks/check_fixtures.hpp"
#include "exposition_samples.hpp"
#include "recorded_run.hpp"
#include "support/temp_dir.hpp"

using namespace loveless;
using namespace loveless::testing;
using namespace std::chrono_literals;

namespace {

std::vector<Sample> samples_of(metrics::SuiteMetrics& metrics) {
  return parse_samples(metrics::exposition_text(*metrics.registry()));
}

const std::map<std::string, std::string> kScenario = {{"scenario", "kill recovers"}};

std::map<std::string, std::string> with(std::map<std::string, std::string> labels) {
  labels.insert(kScenario.begin(), kScenario.end());
  return labels;
}

}  // namespace

TEST_CASE("metrics of a recorded run have the documented names labels and values", "[metrics]") {
  const auto fixture = recorded_run();
  const auto result = judged(fixture);
  metrics::SuiteMetrics metrics;
  finish(*metrics.start("kill recovers"), result);
  const auto samples = samples_of(metrics);

  CHECK(sample_value(samples, "loveless_faults_injected_total",
                     with({{"pool", "count-words"}, {"fault", "kill"}})) == 1);
  CHECK(sample_value(samples, "loveless_faults_injected_total", kScenario) == 1);
  CHECK(sample_value(samples, "loveless_faults_failed_total",
                     with({{"pool", "merge"}, {"fault", "wipe-scratch"}})) == 1);

  CHECK(sample_value(samples, "loveless_executions_total",
                     with({{"phase", "control"}, {"status", "SUCCEEDED"}})) == 1);
  CHECK(sample_value(samples, "loveless_executions_total",
                     with({{"phase", "chaos"}, {"status", "SUCCEEDED"}})) == 1);
  CHECK(sample_value(samples, "loveless_execution_duration_seconds_count",
                     with({{"phase", "chaos"}})) == 1);
  CHECK(sample_value(samples, "loveless_execution_duration_seconds_sum",
                     with({{"phase", "chaos"}})) == Approx(4.1));
  CHECK(sample_value(samples, "loveless_execution_duration_seconds_bucket",
                     with({{"phase", "chaos"}, {"le", "5"}})) == 1);
  CHECK(sample_value(samples, "loveless_execution_duration_seconds_bucket",
                     with({{"phase", "chaos"}, {"le", "2.5"}})) == 0);

  CHECK(sample_value(
            samples, "loveless_task_attempts_total",
            with({{"phase", "control"}, {"pool", "count-words"}, {"outcome", "succeeded"}})) == 1);
  CHECK(sample_value(
            samples, "loveless_task_attempts_total",
            with({{"phase", "chaos"}, {"pool", "count-words"}, {"outcome", "timed_out"}})) == 1);
  CHECK(sample_value(
            samples, "loveless_task_attempts_total",
            with({{"phase", "chaos"}, {"pool", "count-words"}, {"outcome", "succeeded"}})) == 1);
  CHECK(sample_value(samples, "loveless_task_retries_total",
                     with({{"phase", "chaos"}, {"pool", "count-words"}})) == 1);
  CHECK_FALSE(sample_value(samples, "loveless_task_retries_total", with({{"phase", "control"}})));

  const auto kill = with({{"pool", "count-words"}, {"fault", "kill"}});
  CHECK(sample_value(samples, "loveless_recovery_time_seconds_count", kill) == 1);
  CHECK(sample_value(samples, "loveless_recovery_time_seconds_sum", kill) == Approx(3.5));
  CHECK(sample_value(samples, "loveless_time_to_detect_seconds_count", kill) == 1);
  CHECK(sample_value(samples, "loveless_time_to_detect_seconds_sum", kill) == Approx(2.0));
  auto recovered = kill;
  recovered["recovered"] = "true";
  CHECK(sample_value(samples, "loveless_disrupted_tasks_total", recovered) == 1);

  // The same figures as the check's own measurements.
  const auto& reliance = result.verdicts[1];
  REQUIRE(reliance.measurements.contains("harmful"));
  for (const char* kind : {"harmful", "harmless", "reader_unknown"}) {
    CAPTURE(kind);
    CHECK(sample_value(samples, "loveless_local_state_findings_total", with({{"verdict", kind}})) ==
          reliance.measurements[kind].get<double>());
  }
  CHECK(sample_value(samples, "loveless_local_state_findings_total", kScenario) == 1);

  CHECK(sample_value(samples, "loveless_check_verdict",
                     with({{"check", "all executions succeeded"}, {"outcome", "pass"}})) == 1);
  CHECK(sample_value(samples, "loveless_check_verdict",
                     with({{"check", "all executions succeeded"}, {"outcome", "fail"}})) == 0);
  CHECK(sample_value(samples, "loveless_check_verdict",
                     with({{"check", "time to detect p95 < 1 s"}, {"outcome", "fail"}})) == 1);
  CHECK(sample_value(samples, "loveless_check_verdict",
                     with({{"check", "recovery time p95 < 15 s"}, {"outcome", "pass"}})) == 1);
  CHECK(sample_value(samples, "loveless_scenario_passed", kScenario) == 0);
  CHECK(sample_value(samples, "loveless_scenario_last_run_timestamp_seconds", kScenario) > 1.7e9);
}

TEST_CASE("metrics counted live by the observer are not counted again at the end", "[metrics]") {
  const auto fixture = recorded_run();
  const auto result = judged(fixture);
  const auto& history = result.history;
  metrics::SuiteMetrics metrics;
  auto recorder = metrics.start("kill recovers");

  recorder->phase_started(Phase::kChaos);
  recorder->fault_applied(history.faults[0]);
  const auto* chaos = history.execution(Phase::kChaos, 0);
  REQUIRE(chaos != nullptr);
  recorder->execution_closed({Phase::kChaos, chaos->arn, "SUCCEEDED", 4100ms});
  const auto tasks = history.tasks_of(chaos->arn);
  REQUIRE(tasks.size() == 2);
  history::TaskAttemptEnded retry;
  retry.phase = Phase::kChaos;
  retry.execution_arn = chaos->arn;
  retry.scheduled_event_id = tasks[1]->scheduled_event_id;
  retry.pool = "count-words";
  retry.outcome = history::TaskOutcome::kSucceeded;
  retry.retry = true;
  recorder->task_attempt_ended(retry);
  recorder->task_attempt_ended(retry);  // a repeated notice counts once

  auto live = samples_of(metrics);
  CHECK(sample_value(live, "loveless_phase_active", with({{"phase", "chaos"}})) == 1);
  CHECK(sample_value(live, "loveless_faults_injected_total", kScenario) == 1);
  CHECK(sample_value(live, "loveless_executions_total", kScenario) == 1);
  CHECK(sample_value(live, "loveless_task_attempts_total", kScenario) == 1);
  CHECK(sample_value(live, "loveless_task_retries_total", kScenario) == 1);
  CHECK_FALSE(sample_value(live, "loveless_scenario_passed", kScenario));

  finish(*recorder, result);
  const auto done = samples_of(metrics);
  CHECK(sample_value(done, "loveless_phase_active", with({{"phase", "chaos"}})) == 0);
  CHECK(sample_value(done, "loveless_faults_injected_total", kScenario) == 1);
  CHECK(sample_value(done, "loveless_faults_failed_total", kScenario) == 1);
  CHECK(sample_value(done, "loveless_executions_total", kScenario) == 2);
  CHECK(sample_value(done, "loveless_task_attempts_total", kScenario) == 3);
  CHECK(sample_value(done, "loveless_task_retries_total", kScenario) == 1);
  CHECK(sample_value(done, "loveless_execution_duration_seconds_count", kScenario) == 2);
}

TEST_CASE("metrics of two scenarios share one registry and keep apart by label", "[metrics]") {
  const auto fixture = recorded_run();
  auto result = judged(fixture);
  metrics::SuiteMetrics metrics;
  finish(*metrics.start("kill recovers"), result);
  result.passed = true;
  result.history.faults.clear();
  finish(*metrics.start("second"), result);
  const auto samples = samples_of(metrics);
  CHECK(sample_value(samples, "loveless_scenario_passed", kScenario) == 0);
  CHECK(sample_value(samples, "loveless_scenario_passed", {{"scenario", "second"}}) == 1);
  CHECK(sample_value(samples, "loveless_faults_injected_total", kScenario) == 1);
  CHECK_FALSE(sample_value(samples, "loveless_faults_injected_total", {{"scenario", "second"}}));
  CHECK(sample_value(samples, "loveless_executions_total", {{"scenario", "second"}}) == 2);
}

TEST_CASE("the metrics file is written whole and replaces the old one", "[metrics]") {
  const TempDir dir;
  metrics::SuiteMetrics metrics;
  finish(*metrics.start("kill recovers"), judged(recorded_run()));
  const auto file = dir.path() / "loveless.prom";
  {
    std::ofstream old(file);
    old << "stale\n";
  }
  metrics::write_metrics_file(*metrics.registry(), file);
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == metrics::exposition_text(*metrics.registry()));
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()),
                      std::filesystem::directory_iterator()) == 1);
  CHECK_THROWS_AS(metrics::write_metrics_file(*metrics.registry(), dir.path() / "no" / "x.prom"),
                  metrics::ExportError);
}

TEST_CASE("exporter addresses are checked before anything starts", "[metrics]") {
  CHECK(metrics::parse_listen_address("127.0.0.1:9464") ==
        std::pair<std::string, int>{"127.0.0.1", 9464});
  CHECK(metrics::parse_listen_address("[::1]:0") == std::pair<std::string, int>{"[::1]", 0});
  for (const char* bad : {"9464", "127.0.0.1", "127.0.0.1:", ":9464", "127.0.0.1:http",
                          "127.0.0.1:70000", "::1:9464"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(metrics::parse_listen_address(bad), metrics::ExportError);
  }
  CHECK_NOTHROW(metrics::check_pushgateway_url("http://127.0.0.1:9091"));
  CHECK_NOTHROW(metrics::check_pushgateway_url("https://push.example:443/"));
  for (const char* bad :
       {"127.0.0.1:9091", "ftp://x:1", "http://x", "http://x:1/metrics", "http://x:port"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(metrics::check_pushgateway_url(bad), metrics::ExportError);
  }
}

TEST_CASE("the live endpoint serves the registry and refuses a taken port", "[metrics]") {
  metrics::SuiteMetrics metrics;
  finish(*metrics.start("kill recovers"), judged(recorded_run()));
  metrics::MetricsEndpoint endpoint("127.0.0.1:0", metrics.registry());
  REQUIRE(endpoint.port() > 0);
  CHECK(endpoint.url() == "http://127.0.0.1:" + std::to_string(endpoint.port()) + "/metrics");
  CHECK_THROWS_AS(
      metrics::MetricsEndpoint("127.0.0.1:" + std::to_string(endpoint.port()), metrics.registry()),
      metrics::ExportError);
}
