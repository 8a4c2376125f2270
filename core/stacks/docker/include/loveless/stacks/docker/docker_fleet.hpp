#pragma once

#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "loveless/stacks/docker/docker_client.hpp"
#include "loveless/stacks/fleet.hpp"

namespace loveless::stacks {

/// Labels on every container the docker fleet creates. Nothing without
/// `loveless.run` is ever touched by the fleet or the sweep.
inline constexpr std::string_view kRunLabel = "loveless.run";
inline constexpr std::string_view kPoolLabel = "loveless.pool";
inline constexpr std::string_view kWorkerLabel = "loveless.worker";
/// `<host>/<pid>/<start ticks>` of the process that owns the run; the sweep
/// removes a run's containers only once that process is gone.
inline constexpr std::string_view kOwnerLabel = "loveless.owner";

/// A fleet whose workers are containers (platform `docker`), created and
/// driven through the Docker Engine API (`docker`, or a DockerClient for
/// DOCKER_HOST / /var/run/docker.sock); no docker command line is involved.
///
/// Containers run the pool's image (never pulled: scripts/build-images builds
/// images FROM scratch) with the host network, so 127.0.0.1 is the engine's
/// endpoint; a read-only root filesystem; the worker's scratch directory
/// bind-mounted at /tmp; and the fleet's own uid:gid, so the host can audit
/// and wipe what they write. `PoolSpec::mounts` are bind-mounted as given
/// (`:ro` when read-only). `PoolSpec::command` replaces the image's
/// entrypoint (argv[0] is the binary inside the image); empty keeps it.
/// The run directory gets
///   `logs/<worker>.log`   the container's stdout and stderr, saved when it dies,
///   `scratch/<worker>/`   the worker's /tmp.
/// Every container is labelled `loveless.run`, `loveless.pool`,
/// `loveless.worker` and `loveless.owner`. A container that stops for good is a
/// dead worker: its logs are saved, it is removed, and an activity pool starts
/// a replacement (a new worker id) after `replacement_delay`. kill is the
/// engine's SIGKILL, stop SIGTERM then SIGKILL after the grace (whole seconds,
/// rounded up), restart keeps the container (same id, same scratch), pause and
/// resume use the cgroup freezer. Scale-down stops workers with a 2 s grace.
/// One supervision thread per live container waits in `POST /containers/{id}/wait`.
///
/// Throws DockerError when the engine cannot be reached, std::invalid_argument
/// for an empty run id. `add_*_pool` throw std::invalid_argument for an empty
/// name or image, a duplicate name, negative replicas or a bad mount (see
/// `validate_mounts`; besides, no container path at `/`, `/tmp` or below it,
/// no `:` in a path), and DockerError when a container cannot be started. Thread-safety and
/// ownership as `Fleet`.
std::unique_ptr<Fleet> make_docker_fleet(FleetOptions options,
                                         std::shared_ptr<const DockerClient> docker = nullptr);

/// Crash recovery: removes every container labelled `loveless.run` whose owner
/// process (label `loveless.owner`) is known to be gone, unless its run is in
/// `live_runs`. Containers without our labels, of a live owner, or whose owner
/// cannot be judged (another host, no owner label) are left alone. Returns the
/// ids removed. Throws DockerError when the engine cannot be listed; a container
/// that cannot be removed is skipped.
std::vector<std::string> sweep_leftover_containers(const DockerClient& docker,
                                                   const std::set<std::string>& live_runs = {});

}  // namespace loveless::stacks
