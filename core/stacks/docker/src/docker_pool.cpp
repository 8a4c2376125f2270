#include "docker_pool.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "loveless/stacks/docker/docker_fleet.hpp"

#include "container_config.hpp"

namespace loveless::stacks::docker {
namespace {

// How long set_desired_size lets a surplus worker finish before SIGKILL (as
// the process fleet).
constexpr std::chrono::seconds kScaleDownGrace{2};

}  // namespace

DockerPool::DockerPool(PoolSpec spec, FleetOptions fleet, std::string owner,
                       std::shared_ptr<const DockerClient> docker)
    : spec_(std::move(spec)),
      fleet_(std::move(fleet)),
      owner_(std::move(owner)),
      docker_(std::move(docker)),
      desired_(spec_.kind == PoolKind::kActivity ? spec_.replicas : 0) {}

DockerPool::~DockerPool() { shutdown(); }

void DockerPool::start() {
  for (int i = 0; i < spec_.replicas && spec_.kind == PoolKind::kActivity; ++i) {
    start_worker();
  }
}

void DockerPool::record(PoolEvent::Kind kind, const std::string& worker, std::string detail) {
  events_->record(PoolEvent{{}, kind, spec_.name, worker, std::move(detail)});
}

int DockerPool::live_count_locked() const {
  return static_cast<int>(std::count_if(workers_.begin(), workers_.end(), [](const auto& worker) {
    return worker->state() != WorkerState::kDead;
  }));
}

std::shared_ptr<ContainerWorker> DockerPool::start_worker(const std::string& runtime_api,
                                                          const std::string& replaces) {
  std::shared_ptr<ContainerWorker> worker;
  {
    const std::lock_guard lock(mutex_);
    if (stopping_) return nullptr;
    // Checked and registered under one lock, so two deaths at once cannot
    // both be replaced past the desired size.
    if (!replaces.empty() && live_count_locked() >= desired_) return nullptr;
    const std::string id = spec_.name + "-" + std::to_string(next_index_++);
    const auto scratch = fleet_.run_dir / "scratch" / id;
    auto config = container_config(fleet_, spec_, {id, scratch, runtime_api, owner_});
    auto sink = [events = events_, pool = spec_.name, id](PoolEvent::Kind kind,
                                                          std::string detail) {
      events->record(PoolEvent{{}, kind, pool, id, std::move(detail)});
    };
    worker = std::make_shared<ContainerWorker>(
        id, spec_.name, scratch, fleet_.run_dir / "logs" / (id + ".log"), std::move(config),
        docker_, std::move(sink), fleet_.traffic);
    workers_.push_back(worker);
  }
  if (!replaces.empty()) record(PoolEvent::Kind::kReplaced, replaces, worker->id());
  try {
    worker->launch();
  } catch (const std::exception& error) {
    // The failed worker stays in the pool's list, dead, so the history shows why.
    record(PoolEvent::Kind::kDied, worker->id(), std::string("start failed: ") + error.what());
    throw;
  }
  record(PoolEvent::Kind::kStarted, worker->id(), worker->platform_handle());
  const auto started = std::chrono::steady_clock::now();

  const std::lock_guard lock(mutex_);
  // Shutdown may have passed this worker by while it launched: it must not survive.
  if (stopping_) worker->kill_quietly();
  std::erase_if(supervisors_, [](Supervisor& supervisor) {
    if (!supervisor.done->load()) return false;
    supervisor.thread.join();
    return true;
  });
  auto done = std::make_shared<std::atomic<bool>>(false);
  supervisors_.push_back({std::thread([this, worker, done, started] {
                            supervise(worker, started);
                            done->store(true);
                          }),
                          done});
  return worker;
}

void DockerPool::supervise(const std::shared_ptr<ContainerWorker>& worker,
                           std::chrono::steady_clock::time_point started) {
  const std::string ending = worker->supervise();
  const auto uptime = std::chrono::steady_clock::now() - started;
  // The death is news at once (the engine fails an invocation in flight on
  // it); saving the log and removing the container come after.
  record(PoolEvent::Kind::kDied, worker->id(), ending);
  // supervise() returns only for a final stop, never a restart's: the route goes.
  if (fleet_.traffic) fleet_.traffic->release(worker->id());
  worker->dispose();  // saves its log, which the guard quotes
  const auto backoff = guard_.died({worker->id(), uptime, !worker->ended_by_us(), ending,
                                    fleet_.run_dir / "logs" / (worker->id() + ".log")});
  // Lambda environments are not replaced: the engine launches them on
  // demand; their early deaths still make a crash loop the run stops on.
  if (spec_.kind != PoolKind::kActivity) return;
  replace(worker->id(), backoff);
}

void DockerPool::replace(const std::string& dead_worker, std::chrono::milliseconds backoff) {
  {
    std::unique_lock lock(mutex_);
    if (stopping_changed_.wait_for(lock, spec_.replacement_delay + backoff,
                                   [this] { return stopping_; })) {
      return;
    }
  }
  try {
    start_worker({}, dead_worker);
  } catch (const std::exception&) {
    // Recorded as the new worker's death ("start failed: ..."), as the process
    // fleet does; retrying would only fill the history with the same failure.
  }
}

void DockerPool::shutdown() {
  std::vector<std::shared_ptr<ContainerWorker>> workers;
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    workers = workers_;
  }
  stopping_changed_.notify_all();
  for (const auto& worker : workers) worker->kill_quietly();
  // Supervision threads save each container's logs and remove it; a worker
  // that was launching meanwhile adds its thread late, hence the loop.
  while (true) {
    std::vector<Supervisor> supervisors;
    {
      const std::lock_guard lock(mutex_);
      supervisors.swap(supervisors_);
    }
    if (supervisors.empty()) break;
    for (auto& supervisor : supervisors) supervisor.thread.join();
  }
}

std::vector<std::shared_ptr<Worker>> DockerPool::workers() const {
  const std::lock_guard lock(mutex_);
  return {workers_.begin(), workers_.end()};
}

std::vector<std::shared_ptr<Worker>> DockerPool::live_workers() const {
  const std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<Worker>> live;
  for (const auto& worker : workers_) {
    if (worker->state() != WorkerState::kDead) live.push_back(worker);
  }
  return live;
}

void DockerPool::set_desired_size(int replicas) {
  if (spec_.kind != PoolKind::kActivity) {
    throw std::logic_error("set_desired_size on function pool " + spec_.name +
                           ": function pools start environments on demand");
  }
  if (replicas < 0) {
    throw std::invalid_argument("set_desired_size on pool " + spec_.name + ": negative size " +
                                std::to_string(replicas));
  }
  std::vector<std::shared_ptr<ContainerWorker>> surplus;
  int missing = 0;
  {
    const std::lock_guard lock(mutex_);
    desired_ = replicas;
    std::vector<std::shared_ptr<ContainerWorker>> live;
    for (const auto& worker : workers_) {
      if (worker->state() != WorkerState::kDead) live.push_back(worker);
    }
    missing = replicas - static_cast<int>(live.size());
    // Newest first, as an ECS service scales in its most recent tasks.
    for (auto it = live.rbegin(); it != live.rend() && missing < 0; ++it, ++missing) {
      surplus.push_back(*it);
    }
  }
  for (int i = 0; i < missing; ++i) start_worker();
  for (const auto& worker : surplus) worker->stop(kScaleDownGrace);
}

std::vector<PoolEvent> DockerPool::events() const { return events_->events(); }

void DockerPool::subscribe(std::function<void(const PoolEvent&)> listener) {
  events_->subscribe(std::move(listener));
}

std::shared_ptr<Worker> DockerPool::launch_environment(const std::string& runtime_api) {
  if (spec_.kind != PoolKind::kFunction) {
    throw std::logic_error("launch_environment on activity pool " + spec_.name +
                           ": only function pools start environments on demand");
  }
  auto worker = start_worker(runtime_api);
  if (!worker)
    throw std::logic_error("launch_environment on pool " + spec_.name + ": pool is shut down");
  return worker;
}

}  // namespace loveless::stacks::docker
