#pragma once

#include <chrono>
#include <string>

namespace loveless::stacks {

/// The routes between each worker and the orchestrator, owned by the stack:
/// a fleet given one (`FleetOptions::traffic`) starts every worker with the
/// endpoints it returns instead of the direct ones, so the stack can act on
/// one worker's traffic (the `latency` fault: `Worker::set_latency`). On the
/// local stacks each route is a `LatencyProxy` (core/stacks/latency).
///
/// A worker's environment is fixed when it starts, so its route exists from
/// its start to its end; a restart keeps the id and so the route.
/// Thread-safety: every member may be called from any thread.
class WorkerTraffic {
 public:
  virtual ~WorkerTraffic() = default;

  /// The Step Functions endpoint URL (`AWS_ENDPOINT_URL_SFN`) worker
  /// `worker_id` starts with, in place of `direct` (`http://host:port`).
  /// The same id gets the same route. Throws `std::runtime_error` when no
  /// route can be made (no port left).
  virtual std::string sfn_endpoint(const std::string& worker_id, const std::string& direct) = 0;
  /// The Lambda Runtime API `host:port` (`AWS_LAMBDA_RUNTIME_API`) Lambda
  /// environment `worker_id` starts with, in place of `direct`. As above.
  virtual std::string runtime_api(const std::string& worker_id, const std::string& direct) = 0;
  /// Delays every byte between the worker and the orchestrator by `delay`,
  /// each way, from now on (zero: no delay). Throws `std::out_of_range` for a
  /// worker without a route.
  virtual void set_latency(const std::string& worker_id, std::chrono::milliseconds delay) = 0;
  /// The worker has ended for good (not a restart): its routes close.
  virtual void release(const std::string& worker_id) = 0;
};

}  // namespace loveless::stacks
