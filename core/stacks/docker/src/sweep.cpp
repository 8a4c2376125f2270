#include "loveless/stacks/docker/docker_fleet.hpp"

#include "run_owner.hpp"

namespace loveless::stacks {

std::vector<std::string> sweep_leftover_containers(const DockerClient& engine,
                                                   const std::set<std::string>& live_runs) {
  std::vector<std::string> removed;
  for (const auto& container : engine.list_containers({{std::string(kRunLabel), ""}})) {
    const auto run = container.labels.find(std::string(kRunLabel));
    const auto owner = container.labels.find(std::string(kOwnerLabel));
    if (run == container.labels.end() || live_runs.contains(run->second)) continue;
    // Only a run whose owner is provably gone is swept: a container of a live
    // run, or of an owner on another host, may be in use right now.
    if (owner == container.labels.end() ||
        docker::owner_liveness(owner->second) != docker::OwnerLiveness::kDead) {
      continue;
    }
    try {
      if (engine.remove_container(container.id)) removed.push_back(container.id);
    } catch (const DockerError&) {
      // Another sweep or the engine's own removal got there first; next time.
    }
  }
  return removed;
}

}  // namespace loveless::stacks
