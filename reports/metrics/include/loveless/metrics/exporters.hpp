#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include <prometheus/registry.h>

namespace prometheus {
class Exposer;
}

namespace loveless::metrics {

/// An exporter cannot be set up or cannot deliver: the message says what to
/// change (another address, an existing directory, a reachable gateway).
class ExportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The registry in Prometheus' text exposition format (version 0.0.4).
std::string exposition_text(prometheus::Registry& registry);

/// Writes the registry's exposition text to `file` atomically (a temporary
/// file `.<name>.tmp-<pid>` in the same directory, renamed over `file`), so a
/// reader such as node_exporter's textfile collector never sees half a file.
/// Throws ExportError when the directory does not exist or is not writable.
void write_metrics_file(prometheus::Registry& registry, const std::filesystem::path& file);

/// Checks that `file` can be written later: its directory exists. Throws
/// ExportError otherwise.
void check_metrics_file(const std::filesystem::path& file);

/// A live `/metrics` endpoint (prometheus::Exposer) serving `registry` on
/// `address` (`HOST:PORT`, e.g. `127.0.0.1:9464`; port 0 picks a free one)
/// for as long as the object lives. Scrapes run on the exposer's own threads.
///
/// Throws ExportError for a malformed address or one it cannot bind (in use,
/// not local). Not copyable; the registry must outlive it.
class MetricsEndpoint {
 public:
  MetricsEndpoint(const std::string& address,
                  const std::shared_ptr<prometheus::Registry>& registry);
  ~MetricsEndpoint();
  MetricsEndpoint(const MetricsEndpoint&) = delete;
  MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;

  /// The port it listens on (the one picked when the address said 0).
  [[nodiscard]] int port() const { return port_; }
  /// `http://HOST:PORT/metrics`.
  [[nodiscard]] std::string url() const;

 private:
  std::string host_;
  int port_ = 0;
  std::unique_ptr<prometheus::Exposer> exposer_;
};

/// Splits `HOST:PORT` into host and port (an IPv6 host in brackets,
/// `[::1]:PORT`, though Debian's prometheus-cpp binds IPv4 only). Throws
/// ExportError naming the expected form.
std::pair<std::string, int> parse_listen_address(const std::string& address);

/// Where and as what to push: a Pushgateway base URL (`http://HOST:PORT`,
/// no path) and the grouping key (job, then labels).
struct PushTarget {
  std::string url;
  std::string job = "loveless";
  std::map<std::string, std::string> grouping;
};

/// Checks a Pushgateway URL's form (`http://` or `https://`, a host, a port,
/// no path). Throws ExportError saying what form is expected.
void check_pushgateway_url(const std::string& url);

/// Pushes the registry to the Pushgateway with PUT (prometheus::Gateway::Push):
/// the group `/metrics/job/<job>/<label>/<value>...` then holds exactly these
/// metrics. Throws ExportError with the HTTP status (or the connection
/// failure) when the gateway does not accept them.
void push_to_gateway(const std::shared_ptr<prometheus::Registry>& registry,
                     const PushTarget& target);

}  // namespace loveless::metrics
