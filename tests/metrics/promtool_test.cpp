// The exposition of loveless::metrics passes `promtool check metrics`
// (Prometheus' own linter: counters end in _total, units are base units with
// their suffix, every metric has HELP), and the linter does catch a bad one.
#include <catch2/catch.hpp>

#include "loveless/metrics/exporters.hpp"
#include "loveless/metrics/suite_metrics.hpp"

#include "metrics_tools.hpp"
#include "recorded_run.hpp"

using namespace loveless;
using namespace loveless::testing;

TEST_CASE("promtool check metrics accepts the exposition of a recorded run",
          "[metrics][promtool]") {
  const auto promtool = tool_or_skip("promtool", "prometheus");
  if (!promtool) return;
  metrics::SuiteMetrics metrics;
  auto recorder = metrics.start("kill recovers");
  recorder->phase_started(history::Phase::kChaos);
  finish(*recorder, judged(recorded_run()));
  const auto text = metrics::exposition_text(*metrics.registry());
  REQUIRE(text.find("loveless_recovery_time_seconds_bucket") != std::string::npos);
  const auto [status, output] = promtool_check_metrics(*promtool, text);
  INFO(output);
  CHECK(status == 0);
  CHECK(output.empty());
}

TEST_CASE("promtool check metrics rejects a counter without the total suffix",
          "[metrics][promtool]") {
  const auto promtool = tool_or_skip("promtool", "prometheus");
  if (!promtool) return;
  const auto [status, output] = promtool_check_metrics(
      *promtool,
      "# HELP loveless_faults Faults.\n# TYPE loveless_faults counter\nloveless_faults 1\n");
  INFO(output);
  CHECK(status != 0);
  CHECK(output.find("_total") != std::string::npos);
}
