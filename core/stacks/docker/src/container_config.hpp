#pragma once

#include <filesystem>
#include <string>

#include "loveless/stacks/docker/docker_client.hpp"
#include "loveless/stacks/fleet.hpp"
#include "loveless/stacks/pool.hpp"

namespace loveless::stacks::docker {

/// Who a worker is, for its container's labels and environment.
struct WorkerIdentity {
  std::string worker_id;
  std::filesystem::path scratch_dir;
  /// Function pools: the Runtime API (`127.0.0.1:<port>`); empty for activity workers.
  std::string runtime_api;
  /// The `loveless.owner` label (current_run_owner()).
  std::string owner;
};

/// The container a docker-fleet worker runs in: the pool's image and command,
/// the fleet's labels, and the environment the process fleet gives its workers
/// (TMPDIR, the Step Functions endpoint, the activity ARN or the Lambda Runtime
/// API, the worker name, dummy credentials, the region, the run id), with the
/// pool's own `environment` entries taking precedence.
ContainerConfig container_config(const FleetOptions& fleet, const PoolSpec& pool,
                                 const WorkerIdentity& worker);

/// `validate_mounts`, and what a container adds: a container path must not be
/// `/` nor `/tmp` or below (the worker's scratch is mounted there), and no
/// path may hold a `:` (the engine's `Binds` syntax separates with it).
/// Throws std::invalid_argument naming the pool and the mount.
void validate_container_mounts(const PoolSpec& pool);

}  // namespace loveless::stacks::docker
