#include "loveless/stacks/process_fleet.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <thread>

#include "fleet_context.hpp"
#include "pid_file.hpp"
#include "process_pool.hpp"

namespace loveless::stacks {

namespace {

using process::FleetContext;
using process::ProcessPool;

// SIGKILL cannot be caught; only a process stuck in the kernel takes longer.
constexpr std::chrono::seconds kShutdownReapWait{10};

// Names become file names (logs/<worker>.log), so keep them to a safe alphabet.
void validate(const PoolSpec& spec, bool private_tmp) {
  const bool safe_name = !spec.name.empty() && spec.name.front() != '.' &&
                         spec.name.front() != '-' &&
                         std::all_of(spec.name.begin(), spec.name.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                  (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
                         });
  if (!safe_name) {
    throw std::invalid_argument("pool name '" + spec.name +
                                "' must be non-empty letters, digits, '-', '_' or '.'");
  }
  if (spec.command.empty() || spec.command.front().empty()) {
    throw std::invalid_argument("pool " + spec.name + " has no command; give the worker's argv");
  }
  if (spec.replicas < 0) {
    throw std::invalid_argument("pool " + spec.name + ": replicas must be >= 0");
  }
  if (spec.replacement_delay.count() < 0) {
    throw std::invalid_argument("pool " + spec.name + ": replacement_delay must be >= 0");
  }
  validate_mounts(spec);
  // A process sees the host's file system as it is: a mount is there already
  // at its host path, and there is no other place to put it.
  const auto normal = [](const std::filesystem::path& path) {
    auto result = path.lexically_normal();
    if (!result.has_filename() && result.has_relative_path()) result = result.parent_path();
    return result;
  };
  for (const auto& mount : spec.mounts) {
    if (normal(mount.container_path) != normal(mount.host_path)) {
      throw std::invalid_argument(
          "pool " + spec.name + ": mount " + to_string(mount) +
          ": a process worker sees the host's file system, so it can only have a mount at its "
          "host path (set container_path to " +
          mount.host_path.string() + ", or use the docker fleet)");
    }
    if (private_tmp && normal(mount.container_path) == "/tmp") {
      throw std::invalid_argument("pool " + spec.name + ": mount " + to_string(mount) +
                                  ": a process worker's /tmp is its scratch directory; mount a "
                                  "directory below /tmp or elsewhere");
    }
  }
}

class ProcessFleet final : public Fleet {
 public:
  explicit ProcessFleet(FleetOptions options)
      : context_(make_context(std::move(options))), lock_(context_->pids_dir) {}

  ~ProcessFleet() override { shutdown(); }
  ProcessFleet(const ProcessFleet&) = delete;
  ProcessFleet& operator=(const ProcessFleet&) = delete;

  [[nodiscard]] std::string_view platform() const override { return "process"; }

  std::shared_ptr<Pool> add_activity_pool(PoolSpec spec) override {
    spec.kind = PoolKind::kActivity;
    const auto pool = add(std::move(spec));
    pool->start_initial_workers();
    return pool;
  }

  std::shared_ptr<Pool> add_function_pool(PoolSpec spec) override {
    spec.kind = PoolKind::kFunction;
    return add(std::move(spec));
  }

  [[nodiscard]] std::shared_ptr<Pool> pool(const std::string& name) const override {
    const std::lock_guard lock(mutex_);
    const auto found = pools_.find(name);
    return found == pools_.end() ? nullptr : found->second;
  }

  void shutdown() override {
    const std::lock_guard shutdown_lock(shutdown_mutex_);
    if (!context_->accepting.load()) {
      return;
    }
    std::vector<std::shared_ptr<ProcessPool>> pools;
    {
      const std::lock_guard lock(mutex_);
      for (const auto& [name, pool] : pools_) {
        pools.push_back(pool);
      }
    }
    auto& supervisor = context_->supervisor;
    // On the supervisor thread, where every start happens, so no worker can
    // be half-started while the kill sweeps past it.
    supervisor.run_sync([&] {
      context_->accepting = false;
      for (const auto& pool : pools) {
        pool->kill_for_shutdown();
      }
    });
    const auto deadline = std::chrono::steady_clock::now() + kShutdownReapWait;
    while (supervisor.watched() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    // Delivers the last events, then kills and reaps anything still watched.
    supervisor.stop();
  }

 private:
  static std::shared_ptr<FleetContext> make_context(FleetOptions options) {
    auto context = std::make_shared<FleetContext>(std::move(options));
    for (const auto& dir : {context->logs_dir, context->scratch_root, context->pids_dir}) {
      std::filesystem::create_directories(dir);
    }
    return context;
  }

  std::shared_ptr<ProcessPool> add(PoolSpec spec) {
    validate(spec, context_->options.private_tmp);
    if (!context_->accepting.load()) {
      throw std::logic_error("the process fleet is shut down; create a new fleet");
    }
    const std::lock_guard lock(mutex_);
    if (pools_.contains(spec.name)) {
      throw std::invalid_argument("a pool named " + spec.name + " exists in this fleet");
    }
    std::string name = spec.name;
    auto pool = std::make_shared<ProcessPool>(std::move(spec), context_);
    pools_.emplace(std::move(name), pool);
    return pool;
  }

  const std::shared_ptr<FleetContext> context_;
  const process::RunLock lock_;
  mutable std::mutex mutex_;
  std::mutex shutdown_mutex_;
  std::map<std::string, std::shared_ptr<ProcessPool>> pools_;
};

}  // namespace

std::unique_ptr<Fleet> make_process_fleet(FleetOptions options) {
  return std::make_unique<ProcessFleet>(std::move(options));
}

}  // namespace loveless::stacks
