#include <prometheus/gateway.h>

#include "loveless/metrics/exporters.hpp"

namespace loveless::metrics {
namespace {

struct GatewayUrl {
  /// Scheme and host: `http://127.0.0.1` (prometheus::Gateway's `host`).
  std::string host;
  std::string port;
};

GatewayUrl split(const std::string& url) {
  const std::string expected = " (expected http://HOST:PORT, e.g. http://127.0.0.1:9091)";
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos ||
      (url.compare(0, scheme_end, "http") != 0 && url.compare(0, scheme_end, "https") != 0)) {
    throw ExportError("not a Pushgateway URL: " + url + expected);
  }
  auto rest = url.substr(scheme_end + 3);
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.find('/') != std::string::npos) {
    throw ExportError("a Pushgateway URL has no path: " + url + expected);
  }
  const auto colon = rest.rfind(':');
  if (colon == std::string::npos || colon == 0 || rest.back() == ']') {
    throw ExportError("the Pushgateway URL needs a port: " + url + expected);
  }
  const auto port = rest.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535) {
    throw ExportError("not a port: " + port + " in " + url + expected);
  }
  return {url.substr(0, scheme_end + 3) + rest.substr(0, colon), port};
}

}  // namespace

void check_pushgateway_url(const std::string& url) { split(url); }

void push_to_gateway(const std::shared_ptr<prometheus::Registry>& registry,
                     const PushTarget& target) {
  const auto url = split(target.url);
  prometheus::Labels grouping(target.grouping.begin(), target.grouping.end());
  prometheus::Gateway gateway(url.host, url.port, target.job, grouping);
  gateway.RegisterCollectable(registry);
  const int status = gateway.Push();
  if (status < 200 || status >= 300) {
    throw ExportError(
        "the Pushgateway at " + target.url + " did not take the metrics: " +
        (status <= 0 ? "no connection (is it running?)" : "HTTP " + std::to_string(status)));
  }
}

}  // namespace loveless::metrics
