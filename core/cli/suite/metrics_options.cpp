#include "metrics_options.hpp"

#include <iostream>

#include "arguments.hpp"
#include "bind_warning.hpp"
#include "command_line.hpp"

namespace loveless::cli {

void add_metrics_options(CLI::App& app, MetricsOptions& options) {
  add_value_option(
      app, "--metrics-listen",
      [&options](const std::string& v) {
        try {
          metrics::parse_listen_address(v);
        } catch (const metrics::ExportError& e) {
          throw UsageError(std::string("--metrics-listen: ") + e.what());
        }
        options.listen = v;
      },
      "Serve Prometheus metrics live during the run (e.g. 127.0.0.1:9464; port 0 picks a free "
      "one)",
      "HOST:PORT");
  add_value_option(
      app, "--pushgateway",
      [&options](const std::string& v) {
        try {
          metrics::check_pushgateway_url(v);
        } catch (const metrics::ExportError& e) {
          throw UsageError(std::string("--pushgateway: ") + e.what());
        }
        options.pushgateway = v;
      },
      "Push the metrics to a Pushgateway after each scenario (job loveless, labels suite, stack)",
      "URL");
  add_value_option(
      app, "--metrics-file",
      [&options](const std::string& v) {
        if (v.empty()) throw UsageError("--metrics-file takes a file name");
        options.file = v;
      },
      "Write the metrics in Prometheus text format after each scenario (node_exporter textfile: "
      "name it *.prom)",
      "FILE");
}

MetricsSession::MetricsSession(MetricsOptions options, std::string suite, std::string stack)
    : options_(std::move(options)), suite_(std::move(suite)), stack_(std::move(stack)) {}

std::string MetricsSession::start(std::ostream& out) {
  if (!options_.any()) return "";
  metrics_ = std::make_unique<metrics::SuiteMetrics>();
  try {
    if (!options_.file.empty()) metrics::check_metrics_file(options_.file);
    if (!options_.listen.empty()) {
      endpoint_ = std::make_unique<metrics::MetricsEndpoint>(options_.listen, metrics_->registry());
      out << "metrics on " << endpoint_->url() << "\n" << std::flush;
      const auto host = metrics::parse_listen_address(options_.listen).first;
      if (const auto warning = unauthenticated_bind_warning(
              "the metrics endpoint (--metrics-listen)", host, endpoint_->url())) {
        std::cerr << *warning << "\n" << std::flush;
      }
    }
  } catch (const metrics::ExportError& e) {
    metrics_.reset();
    endpoint_.reset();
    return e.what();
  }
  return "";
}

MetricsSession::~MetricsSession() = default;

history::RunObserver* MetricsSession::begin(const std::string& scenario) {
  if (!metrics_) return nullptr;
  recorder_ = metrics_->start(scenario);
  return recorder_.get();
}

void MetricsSession::end(const scenario::RunResult& result, std::ostream& err) {
  if (!metrics_ || !recorder_) return;
  recorder_->finish(result.history, result.verdicts, result.passed);
  try {
    if (!options_.file.empty()) metrics::write_metrics_file(*metrics_->registry(), options_.file);
  } catch (const metrics::ExportError& e) {
    err << "error: --metrics-file: " << e.what() << "\n";
  }
  try {
    if (!options_.pushgateway.empty()) {
      metrics::push_to_gateway(
          metrics_->registry(),
          {options_.pushgateway, "loveless", {{"suite", suite_}, {"stack", stack_}}});
    }
  } catch (const metrics::ExportError& e) {
    err << "error: --pushgateway: " << e.what() << "\n";
  }
}

}  // namespace loveless::cli
