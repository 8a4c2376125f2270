#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "loveless/stacks/latency_proxy.hpp"
#include "loveless/stacks/worker_traffic.hpp"

namespace loveless::stacks {

/// `WorkerTraffic` on loopback: each worker's Step Functions endpoint and (for
/// a Lambda environment) Runtime API go through a `LatencyProxy` of its own,
/// made the first time the worker's route is asked for, so `set_latency` on
/// one worker delays that worker's calls and no other's. A worker's proxies
/// share one delay. `release` closes them (their connections drop, as a dead
/// worker's would).
///
/// Cost: one proxy (one I/O thread and one loopback port) per route; a
/// LocalStack makes routes only when asked (`LocalStackOptions::latency_proxies`).
/// Thread-safety: every member may be called from any thread.
class LatencyRoutes final : public WorkerTraffic {
 public:
  LatencyRoutes() = default;
  ~LatencyRoutes() override;
  LatencyRoutes(const LatencyRoutes&) = delete;
  LatencyRoutes& operator=(const LatencyRoutes&) = delete;

  /// `http://127.0.0.1:<proxy port>` forwarding to `direct` (`http://host:port`).
  /// Throws `std::invalid_argument` for another shape of `direct`.
  std::string sfn_endpoint(const std::string& worker_id, const std::string& direct) override;
  /// `127.0.0.1:<proxy port>` forwarding to `direct` (`host:port`).
  std::string runtime_api(const std::string& worker_id, const std::string& direct) override;
  void set_latency(const std::string& worker_id, std::chrono::milliseconds delay) override;
  void release(const std::string& worker_id) override;

  /// The delay now applied to `worker_id`'s traffic (zero when it has no route).
  [[nodiscard]] std::chrono::milliseconds latency(const std::string& worker_id) const;
  /// The worker whose proxy has an open upstream connection from loopback
  /// port `local_port` to `upstream_port` (`LatencyProxy::forwards_from`):
  /// the worker behind a call the orchestrator received from that port.
  [[nodiscard]] std::optional<std::string> worker_of_upstream(std::uint16_t local_port,
                                                              std::uint16_t upstream_port) const;
  /// Proxies open now, over every worker.
  [[nodiscard]] std::size_t open_routes() const;

 private:
  struct Routes {
    std::chrono::milliseconds delay{0};
    std::map<std::string, std::unique_ptr<LatencyProxy>> by_upstream;
  };
  /// The proxy of `worker_id` to `upstream`, made (with the worker's delay) if new.
  LatencyProxy& route(const std::string& worker_id, const std::string& upstream,
                      bool endpoint_is_url);

  mutable std::mutex mutex_;
  std::map<std::string, Routes> workers_;
};

}  // namespace loveless::stacks
