#pragma once

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>

#include "loveless/metrics/exporters.hpp"
#include "loveless/metrics/suite_metrics.hpp"
#include "loveless/scenario/runner.hpp"

#include <CLI/CLI.hpp>

namespace loveless::cli {

/// The suite's Prometheus options (docs/metrics.md); all empty: no metrics.
struct MetricsOptions {
  /// `--metrics-listen HOST:PORT`: a live /metrics endpoint during the run.
  std::string listen;
  /// `--pushgateway URL`: push after every scenario.
  std::string pushgateway;
  /// `--metrics-file FILE`: the text format, rewritten after every scenario.
  std::filesystem::path file;

  [[nodiscard]] bool any() const {
    return !listen.empty() || !pushgateway.empty() || !file.empty();
  }
};

/// Adds --metrics-listen, --pushgateway and --metrics-file to `app`,
/// storing into `options`. Malformed values throw UsageError when parsed.
void add_metrics_options(CLI::App& app, MetricsOptions& options);

/// The metrics of one suite run and their exporters.
///
/// Thread-safety: one thread (the suite's); the recorders it hands out take
/// the runner's threads.
class MetricsSession {
 public:
  /// `suite` and `stack` label the push (its grouping key).
  MetricsSession(MetricsOptions options, std::string suite, std::string stack);
  /// Starts the endpoint (printing its URL on `out`) and checks the file's
  /// directory; with no option set it does nothing. Returns what to change
  /// when an exporter cannot be set up (a usage error, exit 2), else "".
  [[nodiscard]] std::string start(std::ostream& out);
  ~MetricsSession();
  MetricsSession(const MetricsSession&) = delete;
  MetricsSession& operator=(const MetricsSession&) = delete;

  /// The observer to put in RunOptions for one run of `scenario` (nullptr
  /// without metrics); valid until the next `begin`.
  history::RunObserver* begin(const std::string& scenario);
  /// Records the run's result, then rewrites the file and pushes. An export
  /// that fails is reported on `err` and does not change the suite's exit code.
  void end(const scenario::RunResult& result, std::ostream& err);

 private:
  MetricsOptions options_;
  std::string suite_;
  std::string stack_;
  std::unique_ptr<metrics::SuiteMetrics> metrics_;
  std::unique_ptr<metrics::MetricsEndpoint> endpoint_;
  std::unique_ptr<metrics::ScenarioRecorder> recorder_;
};

}  // namespace loveless::cli
