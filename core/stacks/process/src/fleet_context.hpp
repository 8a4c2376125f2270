#pragma once

#include <atomic>
#include <filesystem>

#include "loveless/stacks/fleet.hpp"

#include "supervisor.hpp"

namespace loveless::stacks::process {

/// What every pool and worker of one process fleet shares. Pools keep it
/// alive, so a pool handle outliving the fleet stays safe to call.
struct FleetContext {
  explicit FleetContext(FleetOptions fleet_options)
      : options(std::move(fleet_options)),
        logs_dir(options.run_dir / "logs"),
        scratch_root(options.run_dir / "scratch"),
        pids_dir(options.run_dir / "pids") {}

  const FleetOptions options;
  const std::filesystem::path logs_dir;
  const std::filesystem::path scratch_root;
  const std::filesystem::path pids_dir;
  Supervisor supervisor;
  /// Cleared by `shutdown`: no new worker starts, nothing is replaced.
  std::atomic<bool> accepting{true};
};

}  // namespace loveless::stacks::process
