#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "loveless/stacks/pool.hpp"
#include "loveless/stacks/worker_traffic.hpp"

namespace loveless::stacks {

/// Where a fleet runs and what its workers need to reach the orchestrator.
struct FleetOptions {
  /// Identifies the run: labels (`loveless.run`) and pid files carry it.
  std::string run_id;
  /// The run directory: worker logs (`logs/<worker>.log`), scratch directories
  /// (`scratch/<worker>/`), pid files. Created if missing.
  std::filesystem::path run_dir;
  /// `http://127.0.0.1:<port>` of the Step Functions endpoint (AWS_ENDPOINT_URL_SFN).
  std::string sfn_endpoint;
  std::string region = "us-east-1";
  /// Per-worker routes to the orchestrator (null: workers use `sfn_endpoint`
  /// and the Runtime API directly, and `Worker::set_latency` is unsupported).
  std::shared_ptr<WorkerTraffic> traffic;
  /// Process fleet: give each worker a private /tmp (its scratch) where the
  /// machine allows it (`make_process_fleet`); false: workers share the
  /// host's /tmp. Docker containers always have one.
  bool private_tmp = true;
};

/// A fleet of pools on one platform (processes, Docker containers).
///
/// Ownership: the fleet owns every worker it starts; `shutdown` (also run by
/// the destructor) leaves none behind. Thread-safety: every method may be called
/// from any thread.
class Fleet {
 public:
  virtual ~Fleet() = default;
  /// `process` or `docker`.
  [[nodiscard]] virtual std::string_view platform() const = 0;
  /// Creates an activity pool and starts its `replicas` workers. Throws
  /// `std::invalid_argument` for a bad spec (empty command, duplicate name).
  virtual std::shared_ptr<Pool> add_activity_pool(PoolSpec spec) = 0;
  /// Creates a function pool; its environments start on demand through
  /// `Pool::launch_environment` (the engine's local Lambda service calls it).
  virtual std::shared_ptr<Pool> add_function_pool(PoolSpec spec) = 0;
  [[nodiscard]] virtual std::shared_ptr<Pool> pool(const std::string& name) const = 0;
  /// Stops replacing, kills every worker it started, waits for them to be gone.
  /// Idempotent.
  virtual void shutdown() = 0;
};

}  // namespace loveless::stacks
