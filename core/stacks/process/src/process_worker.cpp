#include "process_worker.hpp"

#include <stdexcept>

#include "pid_file.hpp"
#include "proc_stat.hpp"
#include "process_pool.hpp"
#include "scratch_dir.hpp"
#include <signal.h>

namespace loveless::stacks::process {

namespace {

// After SIGKILL only an uninterruptible sleep delays the end; past this the
// caller gets control back and the supervisor still reaps the process later.
constexpr std::chrono::seconds kReapWait{10};

std::string handle_of(pid_t pgid) { return "pgid:" + std::to_string(pgid); }

}  // namespace

ProcessWorker::ProcessWorker(std::string id, std::filesystem::path scratch_dir,
                             std::filesystem::path pid_file, LaunchRequest launch,
                             std::weak_ptr<ProcessPool> pool, std::string pool_name,
                             std::shared_ptr<WorkerTraffic> traffic)
    : id_(std::move(id)),
      pool_name_(std::move(pool_name)),
      scratch_dir_(std::move(scratch_dir)),
      pid_file_(std::move(pid_file)),
      launch_(std::move(launch)),
      pool_(std::move(pool)),
      traffic_(std::move(traffic)) {}

std::string ProcessWorker::platform_handle() const {
  const std::lock_guard lock(mutex_);
  return handle_of(pgid_);
}

bool ProcessWorker::owns_process(int pid) const {
  pid_t pgid = 0;
  {
    const std::lock_guard lock(mutex_);
    if (state_ == WorkerState::kDead) return false;
    pgid = pgid_;
  }
  // While the worker is not dead its group leader is unreaped, so no other
  // group can have taken this pgid.
  const auto stat = read_proc_stat(pid);
  return pgid > 0 && stat && stat->pgid == pgid;
}

WorkerState ProcessWorker::state() const {
  const std::lock_guard lock(mutex_);
  return state_;
}

std::set<Primitive> ProcessWorker::capabilities() const {
  std::set<Primitive> primitives = {Primitive::kKill,  Primitive::kStop,   Primitive::kRestart,
                                    Primitive::kPause, Primitive::kResume, Primitive::kWipeScratch};
  if (traffic_) primitives.insert(Primitive::kLatency);
  return primitives;
}

void ProcessWorker::record(PoolEvent::Kind kind, std::string detail) const {
  if (const auto pool = pool_.lock()) {
    pool->record(kind, id_, std::move(detail));
  }
}

void ProcessWorker::signal_group(int signal_number) const {
  // The supervisor reaps the leader only after killing the rest of its group,
  // so while state_ is not dead this pgid is still ours.
  ::killpg(pgid_, signal_number);
}

void ProcessWorker::refuse(Primitive primitive) const {
  throw UnsupportedPrimitive("cannot " + std::string(to_string(primitive)) + " worker " + id_ +
                             " of pool " + pool_name_ +
                             ": it is dead; pick a live worker (Pool::live_workers)");
}

void ProcessWorker::start(PoolEvent::Kind event) {
  const auto pool = pool_.lock();
  if (!pool || !pool->supervisor().on_thread()) {
    throw std::logic_error("ProcessWorker::start runs on the fleet's supervisor thread");
  }
  std::unique_lock lock(mutex_);
  state_ = WorkerState::kStarting;
  try {
    if (!pool->accepting()) {
      throw std::runtime_error("the process fleet is shutting down");
    }
    if (launch_.private_tmp) {
      create_mount_points(*launch_.private_tmp);
    } else {
      std::filesystem::create_directories(scratch_dir_);
    }
    pgid_ = launch_worker_process(launch_);
  } catch (const std::exception& error) {
    state_ = WorkerState::kDead;
    restarting_ = false;
    exited_.notify_all();
    record(PoolEvent::Kind::kDied, std::string("spawn failed: ") + error.what());
    throw;
  }
  ++generation_;
  state_ = WorkerState::kRunning;
  ended_by_us_ = false;
  started_at_ = std::chrono::steady_clock::now();
  replace_on_exit_ = true;
  restarting_ = false;
  if (const auto stat = read_proc_stat(pgid_)) {
    try {
      write_pid_file(pid_file_, PidRecord{pgid_, stat->start_time});
    } catch (const std::exception&) {
      // Without a pid file only a crash of the owner loses track of this
      // worker, and PR_SET_PDEATHSIG covers that; not worth failing the start.
    }
  }
  // What the worker forks inherits its run id and name: a daemon it detached
  // from its group still dies with it.
  std::vector<std::string> marks;
  for (const char* name : {"LOVELESS_RUN_ID", "LOVELESS_WORKER_NAME"}) {
    const auto found = launch_.environment.find(name);
    if (found != launch_.environment.end()) marks.push_back(found->first + "=" + found->second);
  }
  if (marks.size() != 2) marks.clear();
  pool->supervisor().watch(
      pgid_,
      [weak = weak_from_this(), generation = generation_](const std::string& detail) {
        if (const auto self = weak.lock()) {
          self->on_exit(generation, detail);
        }
      },
      std::move(marks));
  record(event, handle_of(pgid_));
}

void ProcessWorker::on_exit(std::uint64_t generation, const std::string& detail) {
  bool replace = false;
  bool ended = false;
  CrashLoopGuard::Death death;
  {
    const std::lock_guard lock(mutex_);
    if (generation != generation_) {
      return;
    }
    state_ = WorkerState::kDead;
    replace = replace_on_exit_ && !restarting_;
    ended = !restarting_;
    remove_pid_file(pid_file_);
    death = {id_, std::chrono::steady_clock::now() - started_at_, !ended_by_us_, detail,
             launch_.log_file};
    record(PoolEvent::Kind::kDied, detail);
    exited_.notify_all();
  }
  // A restart keeps the id and so its route; any other end is final.
  if (ended && traffic_) traffic_->release(id_);
  if (const auto pool = pool_.lock()) {
    pool->worker_exited(id_, replace, death);
  }
}

void ProcessWorker::kill() {
  const std::lock_guard lock(mutex_);
  if (state_ == WorkerState::kDead) {
    return;
  }
  ended_by_us_ = true;
  signal_group(SIGKILL);
  record(PoolEvent::Kind::kKilled, "SIGKILL");
}

bool ProcessWorker::terminate_and_wait(std::unique_lock<std::mutex>& lock,
                                       std::chrono::milliseconds grace) {
  if (const auto pool = pool_.lock(); pool && pool->supervisor().on_thread()) {
    throw std::logic_error("stop/restart would wait for the supervisor thread on itself");
  }
  const auto generation = generation_;
  const auto gone = [&] { return generation_ != generation || state_ == WorkerState::kDead; };
  ended_by_us_ = true;
  signal_group(SIGTERM);
  // A stopped process only acts on SIGTERM once continued.
  signal_group(SIGCONT);
  if (exited_.wait_for(lock, grace, gone)) {
    return true;
  }
  signal_group(SIGKILL);
  return exited_.wait_for(lock, kReapWait, gone);
}

void ProcessWorker::stop(std::chrono::milliseconds grace) {
  std::unique_lock lock(mutex_);
  if (state_ == WorkerState::kDead) {
    return;
  }
  record(PoolEvent::Kind::kStopped, "SIGTERM, grace " + std::to_string(grace.count()) + " ms");
  terminate_and_wait(lock, grace);
}

void ProcessWorker::retire(std::chrono::milliseconds grace) {
  {
    const std::lock_guard lock(mutex_);
    replace_on_exit_ = false;
  }
  stop(grace);
}

void ProcessWorker::restart(std::chrono::milliseconds grace) {
  const auto pool = pool_.lock();
  {
    std::unique_lock lock(mutex_);
    if (state_ == WorkerState::kDead || !pool) {
      refuse(Primitive::kRestart);
    }
    restarting_ = true;
    if (!terminate_and_wait(lock, grace)) {
      restarting_ = false;
      throw std::runtime_error("cannot restart worker " + id_ + ": it did not die within " +
                               std::to_string(kReapWait.count()) + " s of SIGKILL");
    }
  }
  try {
    pool->supervisor().run_sync([this] { start(PoolEvent::Kind::kRestarted); });
  } catch (...) {
    const std::lock_guard lock(mutex_);
    restarting_ = false;
    throw;
  }
}

void ProcessWorker::pause() {
  const std::lock_guard lock(mutex_);
  if (state_ == WorkerState::kDead) {
    refuse(Primitive::kPause);
  }
  signal_group(SIGSTOP);
  state_ = WorkerState::kPaused;
  record(PoolEvent::Kind::kPaused, "SIGSTOP");
}

void ProcessWorker::resume() {
  const std::lock_guard lock(mutex_);
  if (state_ == WorkerState::kDead) {
    refuse(Primitive::kResume);
  }
  signal_group(SIGCONT);
  state_ = WorkerState::kRunning;
  record(PoolEvent::Kind::kResumed, "SIGCONT");
}

void ProcessWorker::wipe_scratch() {
  const std::lock_guard lock(mutex_);
  if (state_ == WorkerState::kDead) {
    refuse(Primitive::kWipeScratch);
  }
  const auto removed = wipe_directory_contents(
      scratch_dir_, launch_.private_tmp ? launch_.private_tmp->mount_points
                                        : std::vector<std::filesystem::path>{});
  record(PoolEvent::Kind::kScratchWiped, std::to_string(removed) + " entries removed");
}

void ProcessWorker::set_latency(std::chrono::milliseconds delay) {
  const std::lock_guard lock(mutex_);
  if (!traffic_) {
    throw UnsupportedPrimitive(
        "cannot add latency to worker " + id_ + " of pool " + pool_name_ +
        ": this fleet routes no worker through a proxy (FleetOptions::traffic)");
  }
  if (state_ == WorkerState::kDead) {
    refuse(Primitive::kLatency);
  }
  traffic_->set_latency(id_, delay);
  record(PoolEvent::Kind::kLatencySet, std::to_string(delay.count()) + " ms");
}

void ProcessWorker::kill_for_shutdown() {
  const std::lock_guard lock(mutex_);
  replace_on_exit_ = false;
  ended_by_us_ = true;
  if (state_ != WorkerState::kDead) {
    signal_group(SIGKILL);
  }
}

bool ProcessWorker::counts_toward_desired_size() const {
  const std::lock_guard lock(mutex_);
  return state_ != WorkerState::kDead || restarting_;
}

}  // namespace loveless::stacks::process
