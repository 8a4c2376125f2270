#include "container_worker.hpp"

#include <cerrno>
#include <cstdint>
#include <exception>
#include <fstream>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace loveless::stacks::docker {
namespace {

// The engine reports a container ended by a signal as 128 + the signal number.
constexpr int kSignalExitBase = 128;
constexpr int kHighestSignal = 64;

std::string describe_end(const ContainerState& state, int exit_code) {
  if (state.oom_killed) return "oom-killed";
  if (exit_code > kSignalExitBase && exit_code <= kSignalExitBase + kHighestSignal) {
    return "signal " + std::to_string(exit_code - kSignalExitBase);
  }
  return "exit " + std::to_string(exit_code);
}

bool is_alive(const ContainerState& state) {
  return state.running || state.paused || state.status == "restarting";
}

// One kill call on its own thread: its outcome, and an eventfd that becomes
// readable when it is known (`done` < 0: no eventfd to be had).
struct KillRequest {
  KillRequest() : done(::eventfd(0, EFD_CLOEXEC)) {}
  ~KillRequest() {
    if (done >= 0) ::close(done);
  }
  KillRequest(const KillRequest&) = delete;
  KillRequest& operator=(const KillRequest&) = delete;

  void finish() const {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(done, &one, sizeof one);
  }

  int done;
  std::exception_ptr error;
};

// Blocks until the process exits (returns true) or the request is answered
// (false), whichever comes first; an answer already there wins, so that its
// error (the container was not running) is not ignored.
bool exited_before_answer(const InitProcess& process, const KillRequest& request) {
  pollfd fds[2] = {{process.pidfd(), POLLIN, 0}, {request.done, POLLIN, 0}};
  while (true) {
    const int ready = ::poll(fds, 2, -1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return false;  // Cannot watch: the answer decides.
    return (fds[0].revents & POLLIN) != 0 && (fds[1].revents & POLLIN) == 0;
  }
}

}  // namespace

ContainerWorker::ContainerWorker(std::string id, std::string pool,
                                 std::filesystem::path scratch_dir, std::filesystem::path log_file,
                                 ContainerConfig config, std::shared_ptr<const DockerClient> docker,
                                 EventSink events, std::shared_ptr<WorkerTraffic> traffic)
    : id_(std::move(id)),
      pool_(std::move(pool)),
      scratch_dir_(std::move(scratch_dir)),
      log_file_(std::move(log_file)),
      config_(std::move(config)),
      docker_(std::move(docker)),
      events_(std::move(events)),
      traffic_(std::move(traffic)) {}

ContainerWorker::~ContainerWorker() {
  if (pending_kill_.joinable()) pending_kill_.join();
}

void ContainerWorker::finish_pending_kill() {
  if (pending_kill_.joinable()) pending_kill_.join();
}

void ContainerWorker::watch_init_process(const std::string& container) {
  init_.reset();
  try {
    init_ = InitProcess::open(container, docker_->inspect_container(container).pid);
  } catch (const DockerError&) {
    // Unwatched, kill waits for the engine's answer instead.
  }
}

std::string ContainerWorker::platform_handle() const {
  const std::lock_guard lock(state_mutex_);
  return container_id_;
}

bool ContainerWorker::owns_process(int pid) const {
  std::string container;
  {
    const std::lock_guard lock(state_mutex_);
    if (state_ == WorkerState::kDead) return false;
    container = container_id_;
  }
  // Processes of a --network host container are host processes in its
  // cgroup, whatever their pid inside it.
  return !container.empty() && process_in_container(pid, container);
}

WorkerState ContainerWorker::state() const {
  const std::lock_guard lock(state_mutex_);
  return state_;
}

std::set<Primitive> ContainerWorker::capabilities() const {
  std::set<Primitive> primitives = {Primitive::kKill,  Primitive::kStop,   Primitive::kRestart,
                                    Primitive::kPause, Primitive::kResume, Primitive::kWipeScratch};
  if (traffic_) primitives.insert(Primitive::kLatency);
  return primitives;
}

void ContainerWorker::set_state(WorkerState state) {
  const std::lock_guard lock(state_mutex_);
  state_ = state;
}

void ContainerWorker::launch() {
  const std::lock_guard operation(operation_mutex_);
  std::string container;
  try {
    std::filesystem::create_directories(scratch_dir_);
    container = docker_->create_container(config_);
    {
      const std::lock_guard lock(state_mutex_);
      container_id_ = container;
    }
    docker_->start_container(container);
    watch_init_process(container);
  } catch (...) {
    set_state(WorkerState::kDead);
    if (!container.empty()) {
      try {
        docker_->remove_container(container);
      } catch (const DockerError&) {
        // Shutdown removes every container of the run by label.
      }
    }
    throw;
  }
  set_state(WorkerState::kRunning);
}

void ContainerWorker::kill_quietly() {
  const std::lock_guard operation(operation_mutex_);
  ended_by_us_.store(true);
  finish_pending_kill();
  const std::string container = platform_handle();
  if (state() == WorkerState::kDead || container.empty()) return;
  try {
    docker_->kill_container(container);
  } catch (const DockerError&) {
    // Already stopped, or gone: either way it is not running.
  }
}

std::string ContainerWorker::supervise() {
  const std::string container = platform_handle();
  std::string ending;
  while (ending.empty()) {
    int exit_code = -1;
    try {
      exit_code = docker_->wait_container(container);
    } catch (const DockerError& error) {
      if (error.status() == 404) {
        ending = "removed";
        break;
      }
      // The engine went away or timed out: look again shortly rather than
      // declare a death nobody saw.
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      continue;
    }
    // Waits out a primitive in flight: a restart stops the container briefly.
    const std::lock_guard operation(operation_mutex_);
    finish_pending_kill();
    try {
      const auto state = docker_->inspect_container(container);
      if (is_alive(state)) continue;
      ending = describe_end(state, exit_code);
    } catch (const DockerError& error) {
      if (error.status() != 404) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        continue;
      }
      ending = "removed";
    }
    set_state(WorkerState::kDead);
  }
  {
    const std::lock_guard operation(operation_mutex_);
    finish_pending_kill();
    init_.reset();
  }
  set_state(WorkerState::kDead);
  return ending;
}

void ContainerWorker::dispose() {
  save_logs();
  try {
    docker_->remove_container(platform_handle());
  } catch (const DockerError&) {
    // Left for shutdown, which removes every container of the run by label.
  }
}

void ContainerWorker::save_logs() const {
  try {
    const std::string output = docker_->container_logs(platform_handle());
    std::filesystem::create_directories(log_file_.parent_path());
    std::ofstream(log_file_, std::ios::binary | std::ios::trunc) << output;
  } catch (const std::exception&) {
    // A container removed under us has no logs left; the death itself still counts.
  }
}

void ContainerWorker::refuse(Primitive primitive) const {
  throw UnsupportedPrimitive("cannot " + std::string(to_string(primitive)) + " worker " + id_ +
                             " of pool " + pool_ +
                             ": it is dead; pick a live worker (Pool::live_workers)");
}

void ContainerWorker::refuse_if_dead(Primitive primitive) const {
  if (state() == WorkerState::kDead) refuse(primitive);
}

void ContainerWorker::rethrow_unless_dead(Primitive primitive, const DockerError& error) const {
  bool alive = true;
  try {
    alive = is_alive(docker_->inspect_container(platform_handle()));
  } catch (const DockerError& inspect_error) {
    alive = inspect_error.status() != 404;
  }
  if (!alive) refuse(primitive);
  throw error;
}

void ContainerWorker::kill() {
  const std::lock_guard operation(operation_mutex_);
  ended_by_us_.store(true);
  finish_pending_kill();
  if (state() == WorkerState::kDead) return;
  const std::string container = platform_handle();
  try {
    auto request = init_ && !init_->exited() ? std::make_shared<KillRequest>() : nullptr;
    if (request && request->done >= 0) {
      // The engine answers only after its clean-up; the worker stops running
      // well before. Whichever comes first ends the wait.
      pending_kill_ = std::thread([docker = docker_, container, request] {
        try {
          docker->kill_container(container);
        } catch (...) {
          request->error = std::current_exception();
        }
        request->finish();
      });
      if (exited_before_answer(*init_, *request)) {
        // The request finishes on its thread; its answer changes nothing now.
        events_(PoolEvent::Kind::kKilled, "SIGKILL");
        return;
      }
      finish_pending_kill();
      if (request->error) std::rethrow_exception(request->error);
    } else {
      docker_->kill_container(container);
    }
  } catch (const DockerError& error) {
    try {
      rethrow_unless_dead(Primitive::kKill, error);
    } catch (const UnsupportedPrimitive&) {
      return;  // It died on its own meanwhile: killing a dead worker is a no-op.
    }
  }
  events_(PoolEvent::Kind::kKilled, "SIGKILL");
}

void ContainerWorker::stop(std::chrono::milliseconds grace) {
  const std::lock_guard operation(operation_mutex_);
  ended_by_us_.store(true);
  finish_pending_kill();
  if (state() == WorkerState::kDead) return;
  try {
    // The engine escalates to SIGKILL itself once the grace period is over.
    docker_->stop_container(platform_handle(), grace);
  } catch (const DockerError& error) {
    try {
      rethrow_unless_dead(Primitive::kStop, error);
    } catch (const UnsupportedPrimitive&) {
      return;
    }
  }
  events_(PoolEvent::Kind::kStopped, "SIGTERM, grace " + std::to_string(grace.count()) + " ms");
}

void ContainerWorker::restart(std::chrono::milliseconds grace) {
  const std::lock_guard operation(operation_mutex_);
  ended_by_us_.store(true);
  finish_pending_kill();
  refuse_if_dead(Primitive::kRestart);
  const std::string container = platform_handle();
  // Stop and start rather than the engine's restart call: the stop's outcome
  // becomes a `died` event, as in the process fleet, and the container (its id,
  // scratch and logs) stays the same. The supervision thread waits for this
  // lock, then finds the container running again.
  try {
    docker_->stop_container(container, grace);
    const auto stopped = docker_->inspect_container(container);
    events_(PoolEvent::Kind::kDied, describe_end(stopped, stopped.exit_code));
    docker_->start_container(container);
    watch_init_process(container);
  } catch (const DockerError& error) {
    rethrow_unless_dead(Primitive::kRestart, error);
  }
  set_state(WorkerState::kRunning);
  // Running again: a later death is its own, as after a first start.
  ended_by_us_.store(false);
  events_(PoolEvent::Kind::kRestarted, container);
}

void ContainerWorker::pause() {
  const std::lock_guard operation(operation_mutex_);
  finish_pending_kill();
  refuse_if_dead(Primitive::kPause);
  // The engine refuses to pause twice; the worker is as asked either way.
  if (state() == WorkerState::kPaused) return;
  try {
    docker_->pause_container(platform_handle());
  } catch (const DockerError& error) {
    rethrow_unless_dead(Primitive::kPause, error);
  }
  set_state(WorkerState::kPaused);
  events_(PoolEvent::Kind::kPaused, "docker pause (cgroup freezer)");
}

void ContainerWorker::resume() {
  const std::lock_guard operation(operation_mutex_);
  finish_pending_kill();
  refuse_if_dead(Primitive::kResume);
  if (state() != WorkerState::kPaused) return;
  try {
    docker_->unpause_container(platform_handle());
  } catch (const DockerError& error) {
    rethrow_unless_dead(Primitive::kResume, error);
  }
  set_state(WorkerState::kRunning);
  events_(PoolEvent::Kind::kResumed, "docker unpause");
}

void ContainerWorker::wipe_scratch() {
  const std::lock_guard operation(operation_mutex_);
  finish_pending_kill();
  refuse_if_dead(Primitive::kWipeScratch);
  // Entry by entry: the directory is the container's /tmp mount point and must stay.
  // Files the worker creates meanwhile may appear or vanish; only a failure to
  // remove what is there is an error.
  std::size_t removed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(scratch_dir_)) {
    std::error_code error;
    std::filesystem::remove_all(entry.path(), error);
    if (error) {
      throw std::filesystem::filesystem_error("wipe scratch of worker " + id_, entry.path(), error);
    }
    ++removed;
  }
  events_(PoolEvent::Kind::kScratchWiped, std::to_string(removed) + " entries removed");
}

void ContainerWorker::set_latency(std::chrono::milliseconds delay) {
  const std::lock_guard operation(operation_mutex_);
  if (!traffic_) {
    throw UnsupportedPrimitive(
        "cannot add latency to worker " + id_ + " of pool " + pool_ +
        ": this fleet routes no worker through a proxy (FleetOptions::traffic)");
  }
  finish_pending_kill();
  refuse_if_dead(Primitive::kLatency);
  traffic_->set_latency(id_, delay);
  events_(PoolEvent::Kind::kLatencySet, std::to_string(delay.count()) + " ms");
}

}  // namespace loveless::stacks::docker
