#include "loveless/stacks/docker/docker_fleet.hpp"

#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "container_config.hpp"
#include "docker_pool.hpp"
#include "run_owner.hpp"

namespace loveless::stacks {
namespace docker {
namespace {

class DockerFleet final : public Fleet {
 public:
  DockerFleet(FleetOptions options, std::shared_ptr<const DockerClient> docker);
  ~DockerFleet() override { shutdown(); }
  DockerFleet(const DockerFleet&) = delete;
  DockerFleet& operator=(const DockerFleet&) = delete;

  [[nodiscard]] std::string_view platform() const override { return "docker"; }
  std::shared_ptr<Pool> add_activity_pool(PoolSpec spec) override {
    return add_pool(std::move(spec), PoolKind::kActivity);
  }
  std::shared_ptr<Pool> add_function_pool(PoolSpec spec) override {
    return add_pool(std::move(spec), PoolKind::kFunction);
  }
  [[nodiscard]] std::shared_ptr<Pool> pool(const std::string& name) const override;
  void shutdown() override;

 private:
  std::shared_ptr<Pool> add_pool(PoolSpec spec, PoolKind kind);

  const FleetOptions options_;
  const std::shared_ptr<const DockerClient> docker_;
  const std::string owner_ = current_run_owner();
  mutable std::mutex mutex_;
  bool shut_down_ = false;
  std::map<std::string, std::shared_ptr<DockerPool>> pools_;
};

DockerFleet::DockerFleet(FleetOptions options, std::shared_ptr<const DockerClient> docker)
    : options_(std::move(options)), docker_(std::move(docker)) {
  // Fail at set-up, where the runner reports a stack that cannot come up.
  docker_->ping();
  std::filesystem::create_directories(options_.run_dir / "logs");
  std::filesystem::create_directories(options_.run_dir / "scratch");
}

std::shared_ptr<Pool> DockerFleet::add_pool(PoolSpec spec, PoolKind kind) {
  spec.kind = kind;
  if (spec.name.empty()) throw std::invalid_argument("docker fleet: a pool needs a name");
  if (spec.image.empty()) {
    throw std::invalid_argument(
        "docker fleet: pool " + spec.name +
        " has no image (PoolSpec::image; build one with scripts/build-images)");
  }
  if (spec.replicas < 0) {
    throw std::invalid_argument("docker fleet: pool " + spec.name + " has negative replicas");
  }
  validate_container_mounts(spec);
  auto pool = std::make_shared<DockerPool>(spec, options_, owner_, docker_);
  {
    const std::lock_guard lock(mutex_);
    if (shut_down_) {
      throw std::logic_error("docker fleet: add pool " + spec.name + " after shutdown");
    }
    if (!pools_.emplace(spec.name, pool).second) {
      throw std::invalid_argument("docker fleet: duplicate pool name " + spec.name);
    }
  }
  try {
    pool->start();
  } catch (...) {
    pool->shutdown();
    const std::lock_guard lock(mutex_);
    pools_.erase(spec.name);
    throw;
  }
  return pool;
}

std::shared_ptr<Pool> DockerFleet::pool(const std::string& name) const {
  const std::lock_guard lock(mutex_);
  const auto it = pools_.find(name);
  return it == pools_.end() ? nullptr : it->second;
}

void DockerFleet::shutdown() {
  std::map<std::string, std::shared_ptr<DockerPool>> pools;
  {
    const std::lock_guard lock(mutex_);
    shut_down_ = true;
    pools = pools_;
  }
  for (const auto& [name, pool] : pools) pool->shutdown();
  // Whatever a pool could not account for (a creation cut short, a failed
  // removal) still carries the run's label and this process as its owner.
  try {
    for (const auto& container : docker_->list_containers(
             {{std::string(kRunLabel), options_.run_id}, {std::string(kOwnerLabel), owner_}})) {
      docker_->remove_container(container.id);
    }
  } catch (const DockerError&) {
    // The engine is gone; sweep_leftover_containers cleans up after it returns.
  }
}

}  // namespace
}  // namespace docker

std::unique_ptr<Fleet> make_docker_fleet(FleetOptions options,
                                         std::shared_ptr<const DockerClient> docker) {
  if (options.run_id.empty()) {
    throw std::invalid_argument("docker fleet: the run id is empty; containers are found by it");
  }
  if (!docker) docker = std::make_shared<const DockerClient>();
  return std::make_unique<docker::DockerFleet>(std::move(options), std::move(docker));
}

}  // namespace loveless::stacks
