// loveless::metrics' exporters against the real servers: a Prometheus server
// scraping the live endpoint (MetricsEndpoint, what --metrics-listen starts)
// and a Pushgateway receiving the push (what --pushgateway does), both
// queried through their HTTP APIs. Everything on 127.0.0.1, every wait
// bounded, every server killed when its test ends.
#include <chrono>
#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loveless/metrics/exporters.hpp"
#include "loveless/metrics/suite_metrics.hpp"

#include "exposition_samples.hpp"
#include "metrics_tools.hpp"
#include "recorded_run.hpp"
#include "support/temp_dir.hpp"

using namespace loveless;
using namespace loveless::testing;
using namespace std::chrono_literals;

namespace {

constexpr auto kServerReady = 60s;
constexpr auto kScraped = 60s;

/// The value of `query` as Prometheus' HTTP API answers it now (the first
/// series of an instant vector), or nullopt while it has none.
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

TEST_CASE("a Prometheus server scrapes the live metrics endpoint", "[metrics][prometheus]") {
  const auto prometheus = tool_or_skip("prometheus", "prometheus");
  if (!prometheus) return;
  metrics::SuiteMetrics metrics;
  auto recorder = metrics.start("kill recovers");
  const auto history = recorded_run().history;
  recorder->phase_started(history::Phase::kChaos);
  recorder->fault_applied(history.faults[0]);
  metrics::MetricsEndpoint endpoint("127.0.0.1:0", metrics.registry());

  const TempDir dir;
  const int port = free_port();
  {
    std::ofstream config(dir.path() / "prometheus.yml");
    config << "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
           << "scrape_configs:\n  - job_name: loveless\n    static_configs:\n"
           << "      - targets: ['127.0.0.1:" << endpoint.port() << "']\n";
  }
  ServerProcess server(
      *prometheus,
      {"--config.file=" + (dir.path() / "prometheus.yml").string(),
       "--storage.tsdb.path=" + (dir.path() / "data").string(),
       "--web.listen-address=127.0.0.1:" + std::to_string(port), "--log.level=warn"},
      dir.path() / "prometheus.log");
  REQUIRE(eventually([&] { return http_get(port, "/-/ready").has_value() || !server.running(); },
                     kServerReady));
  INFO(server.log());
  REQUIRE(server.running());

  // Live: a fault the observer heard of, scraped while the run goes on.
  const std::string faults = "loveless_faults_injected_total%7Bscenario%3D%22kill%20recovers%22%7D";
  CHECK(eventually([&] { return query_prometheus(port, faults) == 1.0; }, kScraped));
  CHECK(eventually(
      [&] {
        return query_prometheus(port, "loveless_phase_active%7Bphase%3D%22chaos%22%7D") == 1.0;
      },
      kScraped));
  // The end of the run: the verdicts and recovery times arrive by the next scrapes.
  finish(*recorder, judged(recorded_run()));
  CHECK(eventually(
      [&] { return query_prometheus(port, "loveless_recovery_time_seconds_count") == 1.0; },
      kScraped));
  CHECK(eventually([&] { return query_prometheus(port, "loveless_scenario_passed") == 0.0; },
                   kScraped));
  CHECK(query_prometheus(port, "up%7Bjob%3D%22loveless%22%7D") == 1.0);
}

TEST_CASE("a Pushgateway receives the pushed metrics under the grouping key",
          "[metrics][pushgateway]") {
  const auto pushgateway = tool_or_skip("prometheus-pushgateway", "prometheus-pushgateway");
  if (!pushgateway) return;
  const TempDir dir;
  const int port = free_port();
  ServerProcess server(*pushgateway, {"--web.listen-address=127.0.0.1:" + std::to_string(port)},
                       dir.path() / "pushgateway.log");
  REQUIRE(eventually([&] { return http_get(port, "/-/ready").has_value() || !server.running(); },
                     kServerReady));
  INFO(server.log());
  REQUIRE(server.running());

  metrics::SuiteMetrics metrics;
  finish(*metrics.start("kill recovers"), judged(recorded_run()));
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  metrics::push_to_gateway(metrics.registry(),
                           {url, "loveless", {{"suite", "metrics-test"}, {"stack", "process"}}});

  const auto body = http_get(port, "/metrics");
  REQUIRE(body);
  const auto samples = parse_samples(*body);
  const std::map<std::string, std::string> group = {{"job", "loveless"},
                                                    {"suite", "metrics-test"},
                                                    {"stack", "process"},
                                                    {"scenario", "kill recovers"}};
  auto faults = group;
  faults["fault"] = "kill";
  CHECK(sample_value(samples, "loveless_faults_injected_total", faults) == 1);
  CHECK(sample_value(samples, "loveless_scenario_passed", group) == 0);
  CHECK(sample_value(samples, "loveless_time_to_detect_seconds_sum", group) == Approx(2.0));
  // The gateway's own API lists the group with a successful push.
  const auto api = http_get(port, "/api/v1/metrics");
  REQUIRE(api);
  CHECK(api->find("\"suite\":\"metrics-test\"") != std::string::npos);
  CHECK(api->find("loveless_check_verdict") != std::string::npos);

  // A second push replaces the group (PUT): what the registry no longer has
  // is gone from the gateway too.
  metrics::SuiteMetrics other;
  auto result = judged(recorded_run());
  result.passed = true;
  finish(*other.start("second"), result);
  metrics::push_to_gateway(other.registry(),
                           {url, "loveless", {{"suite", "metrics-test"}, {"stack", "process"}}});
  const auto replaced = http_get(port, "/metrics");
  REQUIRE(replaced);
  const auto after = parse_samples(*replaced);
  CHECK_FALSE(sample_value(after, "loveless_scenario_passed", group));
  auto second = group;
  second["scenario"] = "second";
  CHECK(sample_value(after, "loveless_scenario_passed", second) == 1);
}

TEST_CASE("a push to no Pushgateway fails with what to check", "[metrics][pushgateway]") {
  metrics::SuiteMetrics metrics;
  const std::string url = "http://127.0.0.1:" + std::to_string(free_port());
  try {
    metrics::push_to_gateway(metrics.registry(), {url, "loveless", {}});
    FAIL("the push to " << url << " succeeded");
  } catch (const metrics::ExportError& e) {
    CHECK(std::string(e.what()).find(url) != std::string::npos);
  }
}
