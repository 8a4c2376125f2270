#include "leftover_sweep.hpp"

#include <cstddef>
#include <exception>

#include "loveless/stacks/docker/docker_client.hpp"
#include "loveless/stacks/docker/docker_fleet.hpp"
#include "loveless/stacks/process_fleet.hpp"

namespace loveless::stacks {
namespace {

constexpr std::size_t kListed = 10;  ///< ids named in a line; the rest counted

template <typename Id, typename Describe>
std::string swept_line(const std::vector<Id>& ids, const std::string& what, const char* label,
                       const Describe& describe) {
  std::string line = "swept " + std::to_string(ids.size()) + " " + what +
                     (ids.size() == 1 ? "" : "s") + " left by an earlier run (" + label + " ";
  for (std::size_t i = 0; i < ids.size() && i < kListed; ++i) {
    line += (i == 0 ? "" : ", ") + describe(ids[i]);
  }
  if (ids.size() > kListed) line += ", and " + std::to_string(ids.size() - kListed) + " more";
  return line + ")";
}

}  // namespace

std::vector<std::string> sweep_leftovers(const std::filesystem::path& runs_root,
                                         FleetPlatform platform) {
  std::vector<std::string> lines;
  try {
    const auto groups = sweep_leftover_process_groups(runs_root);
    if (!groups.empty()) {
      lines.push_back(swept_line(groups, "worker process", "pid",
                                 [](pid_t pid) { return std::to_string(pid); }));
    }
  } catch (const std::exception& error) {
    lines.push_back(std::string("warning: cannot sweep the leftovers of earlier runs: ") +
                    error.what());
  }
  if (platform != FleetPlatform::kDocker) return lines;
  try {
    const DockerClient docker;
    const auto containers = sweep_leftover_containers(docker);
    if (!containers.empty()) {
      lines.push_back(swept_line(containers, "worker container", "id",
                                 [](const std::string& id) { return id.substr(0, 12); }));
    }
  } catch (const std::exception&) {
    // No engine: the docker fleet says so, with what to do, when it starts.
  }
  return lines;
}

}  // namespace loveless::stacks
