#include "container_config.hpp"

#include <map>
#include <stdexcept>

#include "loveless/stacks/docker/docker_fleet.hpp"

#include <unistd.h>

namespace loveless::stacks::docker {

ContainerConfig container_config(const FleetOptions& fleet, const PoolSpec& pool,
                                 const WorkerIdentity& worker) {
  ContainerConfig config;
  config.image = pool.image;
  config.command = pool.command;
  config.scratch_dir = worker.scratch_dir;
  config.mounts = pool.mounts;
  // As the fleet's own user, files the worker writes in scratch stay ours to
  // audit and wipe even when the fleet does not run as root.
  config.user = std::to_string(::getuid()) + ":" + std::to_string(::getgid());
  config.labels = {
      {std::string(kRunLabel), fleet.run_id},
      {std::string(kPoolLabel), pool.name},
      {std::string(kWorkerLabel), worker.worker_id},
      {std::string(kOwnerLabel), worker.owner},
  };

  std::map<std::string, std::string> environment = {
      {"TMPDIR", "/tmp"},
      {"AWS_ENDPOINT_URL_SFN",
       fleet.traffic ? fleet.traffic->sfn_endpoint(worker.worker_id, fleet.sfn_endpoint)
                     : fleet.sfn_endpoint},
      {"LOVELESS_WORKER_NAME", worker.worker_id},
      {"LOVELESS_RUN_ID", fleet.run_id},
      {"AWS_REGION", fleet.region},
      {"AWS_DEFAULT_REGION", fleet.region},
      // The local engine does not check signatures; SDKs still want credentials.
      {"AWS_ACCESS_KEY_ID", "loveless"},
      {"AWS_SECRET_ACCESS_KEY", "loveless"},
  };
  if (pool.kind == PoolKind::kActivity) {
    environment["LOVELESS_ACTIVITY_ARN"] = pool.activity_arn;
  } else {
    environment["AWS_LAMBDA_RUNTIME_API"] =
        fleet.traffic ? fleet.traffic->runtime_api(worker.worker_id, worker.runtime_api)
                      : worker.runtime_api;
    environment["AWS_LAMBDA_FUNCTION_NAME"] = pool.name;
  }
  for (const auto& [name, value] : pool.environment) environment[name] = value;
  for (const auto& [name, value] : environment) config.environment.push_back(name + "=" + value);
  return config;
}

void validate_container_mounts(const PoolSpec& pool) {
  validate_mounts(pool);
  for (const auto& mount : pool.mounts) {
    const auto reject = [&](const std::string& why) {
      throw std::invalid_argument("docker fleet: pool " + pool.name + ": mount " +
                                  to_string(mount) + ": " + why);
    };
    if (mount.host_path.string().find(':') != std::string::npos ||
        mount.container_path.string().find(':') != std::string::npos) {
      reject("a path with ':' cannot be bind-mounted (the engine's Binds syntax splits on it)");
    }
    const auto target = mount.container_path.lexically_normal();
    if (target == "/") reject("the container path must not be /");
    const auto below_tmp = target.lexically_relative("/tmp");
    if (!below_tmp.empty() && *below_tmp.begin() != "..") {
      reject("/tmp is the worker's scratch; mount elsewhere (e.g. /store)");
    }
  }
}

}  // namespace loveless::stacks::docker
