#include "metrics_options.hpp"

#include <iostream>

#include "bind_warning.hpp"

namespace loveless::cli {

void add_metrics_options(ArgumentParser& parser, MetricsOptions& options) {
  parser
      .option("--metrics-listen",
              [&](const std::string& v) {
                try {
                  metrics::parse_listen_address(v);
                } catch (const metrics::ExportError& e) {
                  throw UsageError(std::string("--metrics-listen: ") + e.what());
                }
                options.listen = v;
              })
      .option("--pushgateway",
              [&](const std::string& v) {
                try {
                  metrics::check_pushgateway_url(v);
                } catch (const metrics::ExportError& e) {
                  throw UsageError(std::string("--pushgateway: ") + e.what());
                }
                options.pushgateway = v;
              })
      .option("--metrics-file", [&](const std::string& v) {
        if (v.empty()) throw UsageError("--metrics-file takes a file name");
        options.file = v;
      });
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

scenario::RunObserver* MetricsSession::begin(const std::string& scenario) {
  if (!metrics_) return nullptr;
  recorder_ = metrics_->start(scenario);
  return recorder_.get();
}

void MetricsSession::end(const scenario::RunResult& result, std::ostream& err) {
  if (!metrics_ || !recorder_) return;
  recorder_->finish(result);
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
