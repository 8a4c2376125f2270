#include <prometheus/exposer.h>

#include "loveless/metrics/exporters.hpp"

namespace loveless::metrics {

std::pair<std::string, int> parse_listen_address(const std::string& address) {
  const auto colon = address.rfind(':');
  const std::string expected =
      " (expected HOST:PORT, e.g. 127.0.0.1:9464; port 0 picks a free one)";
  if (colon == std::string::npos || colon == 0 || colon + 1 == address.size()) {
    throw ExportError("not a listen address: " + address + expected);
  }
  const auto host = address.substr(0, colon);
  const auto port_text = address.substr(colon + 1);
  if (port_text.find_first_not_of("0123456789") != std::string::npos || port_text.size() > 5 ||
      std::stoi(port_text) > 65535) {
    throw ExportError("not a port: " + port_text + " in " + address + expected);
  }
  if (host.find(':') != std::string::npos && !(host.front() == '[' && host.back() == ']')) {
    throw ExportError("an IPv6 host goes in brackets: [" + host + "]:" + port_text);
  }
  return {host, std::stoi(port_text)};
}

MetricsEndpoint::MetricsEndpoint(const std::string& address,
                                 const std::shared_ptr<prometheus::Registry>& registry) {
  const auto [host, port] = parse_listen_address(address);
  host_ = host;
  try {
    exposer_ = std::make_unique<prometheus::Exposer>(address, 1);
  } catch (const std::exception& e) {
    throw ExportError("cannot listen on " + address + " for metrics: " + e.what() +
                      " (is the port in use? choose another HOST:PORT)");
  }
  exposer_->RegisterCollectable(registry);
  const auto ports = exposer_->GetListeningPorts();
  port_ = ports.empty() ? port : ports.front();
}

MetricsEndpoint::~MetricsEndpoint() = default;

std::string MetricsEndpoint::url() const {
  return "http://" + host_ + ":" + std::to_string(port_) + "/metrics";
}

}  // namespace loveless::metrics
