#include "process_pool.hpp"

#include <cstdlib>
#include <stdexcept>

#include "loveless/stacks/process_fleet.hpp"

namespace loveless::stacks::process {

namespace {

constexpr std::chrono::seconds kScaleDownGrace{2};

// Anything signed with these is accepted by the local engine; real AWS
// rejects them, which is the point should a worker escape to it.
constexpr const char* kDummyAccessKeyId = "AKIALOVELESSLOCAL000";
constexpr const char* kDummySecretAccessKey = "loveless-local-stack-dummy-secret";

}  // namespace

ProcessPool::ProcessPool(PoolSpec spec, std::shared_ptr<FleetContext> context)
    : spec_(std::move(spec)),
      context_(std::move(context)),
      executable_(resolve_executable(spec_.command.at(0))),
      desired_(spec_.kind == PoolKind::kActivity ? spec_.replicas : 0) {}

std::vector<std::shared_ptr<ProcessWorker>> ProcessPool::snapshot() const {
  const std::lock_guard lock(mutex_);
  return workers_;
}

std::vector<std::shared_ptr<Worker>> ProcessPool::workers() const {
  const auto all = snapshot();
  return {all.begin(), all.end()};
}

std::vector<std::shared_ptr<Worker>> ProcessPool::live_workers() const {
  std::vector<std::shared_ptr<Worker>> live;
  // Workers are asked outside the pool's mutex (lock order: worker, then pool).
  for (const auto& worker : snapshot()) {
    if (worker->state() != WorkerState::kDead) {
      live.push_back(worker);
    }
  }
  return live;
}

int ProcessPool::live_count() const {
  int live = 0;
  for (const auto& worker : snapshot()) {
    live += worker->counts_toward_desired_size() ? 1 : 0;
  }
  return live;
}

std::vector<PoolEvent> ProcessPool::events() const {
  const std::lock_guard lock(mutex_);
  return events_;
}

void ProcessPool::subscribe(std::function<void(const PoolEvent&)> listener) {
  const std::lock_guard lock(mutex_);
  listeners_.push_back(std::move(listener));
}

void ProcessPool::record(PoolEvent::Kind kind, const std::string& worker_id, std::string detail) {
  const std::lock_guard lock(mutex_);
  events_.push_back(
      PoolEvent{std::chrono::system_clock::now(), kind, spec_.name, worker_id, std::move(detail)});
  if (!listeners_.empty()) {
    // Posted under the mutex, so subscribers see events in the pool's order.
    supervisor().post([listeners = listeners_, event = events_.back()] {
      for (const auto& listener : listeners) {
        listener(event);
      }
    });
  }
}

LaunchRequest ProcessPool::launch_request(const std::string& worker_id,
                                          const std::filesystem::path& scratch,
                                          const std::string& runtime_api) const {
  LaunchRequest request;
  request.executable = executable_;
  request.args.assign(spec_.command.begin() + 1, spec_.command.end());
  request.log_file = context_->logs_dir / (worker_id + ".log");
  auto& env = request.environment;
  for (const char* inherited : {"PATH", "HOME"}) {
    if (const char* value = std::getenv(inherited)) {
      env[inherited] = value;
    }
  }
  // The pool's own variables may override PATH and HOME, but not what the
  // fleet sets below: those are how a worker is identified and reaches the engine.
  for (const auto& [name, value] : spec_.environment) {
    env[name] = value;
  }
  const auto& options = context_->options;
  const auto& private_tmp = private_tmp_support();
  if (options.private_tmp && private_tmp.available) {
    request.private_tmp =
        plan_private_tmp(scratch, spec_.mounts, executable_, private_tmp.user_namespace);
    env["TMPDIR"] = "/tmp";
  } else {
    env["TMPDIR"] = (scratch / "").string();
  }
  env["AWS_ENDPOINT_URL_SFN"] = options.traffic
                                    ? options.traffic->sfn_endpoint(worker_id, options.sfn_endpoint)
                                    : options.sfn_endpoint;
  env["AWS_ACCESS_KEY_ID"] = kDummyAccessKeyId;
  env["AWS_SECRET_ACCESS_KEY"] = kDummySecretAccessKey;
  env["AWS_REGION"] = options.region;
  env["AWS_DEFAULT_REGION"] = options.region;
  env["LOVELESS_RUN_ID"] = options.run_id;
  env["LOVELESS_WORKER_NAME"] = worker_id;
  if (spec_.kind == PoolKind::kActivity) {
    if (!spec_.activity_arn.empty()) {
      env["LOVELESS_ACTIVITY_ARN"] = spec_.activity_arn;
    }
  } else {
    env["AWS_LAMBDA_RUNTIME_API"] =
        options.traffic ? options.traffic->runtime_api(worker_id, runtime_api) : runtime_api;
    env["AWS_LAMBDA_FUNCTION_NAME"] = spec_.name;
  }
  return request;
}

std::shared_ptr<ProcessWorker> ProcessPool::start_new_worker(const std::string& runtime_api,
                                                             const std::string& replaces) {
  std::string worker_id;
  {
    const std::lock_guard lock(mutex_);
    worker_id = spec_.name + "-" + std::to_string(++started_);
  }
  const auto scratch = context_->scratch_root / worker_id;
  auto worker =
      std::make_shared<ProcessWorker>(worker_id, scratch, context_->pids_dir / (worker_id + ".pid"),
                                      launch_request(worker_id, scratch, runtime_api),
                                      weak_from_this(), spec_.name, context_->options.traffic);
  {
    const std::lock_guard lock(mutex_);
    workers_.push_back(worker);
  }
  if (!replaces.empty()) {
    record(PoolEvent::Kind::kReplaced, replaces, worker_id);
  }
  worker->start(PoolEvent::Kind::kStarted);
  return worker;
}

void ProcessPool::start_initial_workers() {
  supervisor().run_sync([this] {
    for (int i = 0; i < spec_.replicas; ++i) {
      start_new_worker({}, {});
    }
  });
}

std::shared_ptr<Worker> ProcessPool::launch_environment(const std::string& runtime_api) {
  if (spec_.kind != PoolKind::kFunction) {
    throw std::logic_error("pool " + spec_.name +
                           " serves an activity; only function pools launch environments");
  }
  std::shared_ptr<Worker> worker;
  supervisor().run_sync([&] { worker = start_new_worker(runtime_api, {}); });
  return worker;
}

void ProcessPool::set_desired_size(int replicas) {
  if (spec_.kind != PoolKind::kActivity) {
    throw std::logic_error("pool " + spec_.name +
                           " serves a function; its environments start on demand");
  }
  if (replicas < 0) {
    throw std::invalid_argument("desired size of pool " + spec_.name + " must be >= 0");
  }
  {
    const std::lock_guard lock(mutex_);
    desired_ = replicas;
  }
  // Scaling up runs on the supervisor thread, where replacements run too, so
  // the two never both fill the same gap.
  supervisor().run_sync([this] {
    int desired = 0;
    {
      const std::lock_guard lock(mutex_);
      desired = desired_;
    }
    for (int live = live_count(); live < desired; ++live) {
      start_new_worker({}, {});
    }
  });
  auto all = snapshot();
  int live = live_count();
  for (auto newest = all.rbegin(); newest != all.rend() && live > replicas; ++newest) {
    if ((*newest)->state() != WorkerState::kDead) {
      (*newest)->retire(kScaleDownGrace);
      --live;
    }
  }
}

void ProcessPool::worker_exited(const std::string& worker_id, bool replace,
                                const CrashLoopGuard::Death& death) {
  const auto backoff = guard_.died(death);
  // Lambda environments are not replaced: the engine launches them on
  // demand; their early deaths still make a crash loop the run stops on
  // (a function whose runtime cannot start was launched again and again).
  if (spec_.kind != PoolKind::kActivity) {
    return;
  }
  if (!replace || !accepting()) {
    return;
  }
  supervisor().post_after(spec_.replacement_delay + backoff, [weak = weak_from_this(), worker_id] {
    if (const auto self = weak.lock()) {
      self->replace(worker_id);
    }
  });
}

void ProcessPool::replace(const std::string& dead_worker_id) {
  int desired = 0;
  {
    const std::lock_guard lock(mutex_);
    desired = desired_;
  }
  if (!accepting() || live_count() >= desired) {
    return;
  }
  try {
    start_new_worker({}, dead_worker_id);
  } catch (const std::exception&) {
    // Recorded as the new worker's death ("spawn failed: ..."); retrying in a
    // loop would only fill the history with the same failure.
  }
}

void ProcessPool::kill_for_shutdown() {
  for (const auto& worker : snapshot()) {
    worker->kill_for_shutdown();
  }
}

}  // namespace loveless::stacks::process
