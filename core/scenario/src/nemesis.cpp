#include "nemesis.hpp"

#include <algorithm>
#include <exception>
#include <iomanip>
#include <limits>

namespace loveless::scenario::detail {
namespace {

using Clock = std::chrono::system_clock;

double seconds_since(history::TimePoint start, history::TimePoint at) {
  return std::chrono::duration<double>(at - start).count();
}

}  // namespace

Nemesis::Nemesis(std::vector<injectors::InjectorSpec> injectors, std::uint64_t seed,
                 std::vector<std::shared_ptr<stacks::Pool>> pools, std::ostream* console,
                 bool verbose, history::RunObserver* observer)
    : pools_(std::move(pools)), console_(console), verbose_(verbose), observer_(observer) {
  policies_.reserve(injectors.size());
  for (std::size_t i = 0; i < injectors.size(); ++i) {
    policies_.emplace_back(std::move(injectors[i]), seed, i);
  }
}

Nemesis::~Nemesis() { stop_and_heal(); }

void Nemesis::start(history::TimePoint chaos_start) {
  std::lock_guard lock(mutex_);
  if (running_ || stopping_) return;
  chaos_start_ = chaos_start;
  running_ = true;
  for (std::size_t i = 0; i < policies_.size(); ++i) {
    if (policies_[i].timed()) schedule_tick(i);
  }
  thread_ = std::thread([this] { loop(); });
}

// Called with mutex_ held.
void Nemesis::schedule_tick(std::size_t injector) {
  const auto offset = policies_[injector].next_tick();
  if (!offset) return;
  Scheduled tick;
  tick.due = chaos_start_ + *offset;
  tick.sequence = ++sequence_;
  tick.kind = Scheduled::Kind::kTick;
  tick.injector = injector;
  timers_.push(std::move(tick));
}

void Nemesis::post(const injectors::TriggerEvent& event) {
  {
    std::lock_guard lock(mutex_);
    if (!running_ || stopping_) return;
    events_.push_back(event);
  }
  wake_.notify_one();
  // The worker polls again the moment its task ends, long before the
  // disposal (a stop, a docker call) lands: retired now, it takes no task
  // that would only be killed with it.
  if (retire_ && disposal_certain(event)) retire_(event.worker);
}

bool Nemesis::disposal_certain(const injectors::TriggerEvent& event) const {
  if (event.kind != injectors::TriggerEvent::Kind::kTaskEnded || event.worker.empty()) {
    return false;
  }
  return std::any_of(policies_.begin(), policies_.end(), [&event](const auto& policy) {
    const auto& spec = policy.spec();
    return spec.fault == injectors::FaultType::kDisposable &&
           spec.target.kind == injectors::TargetKind::kTaskWorker &&
           (spec.target.pool.empty() || spec.target.pool == event.pool) &&
           spec.trigger.probability >= 1.0 &&
           spec.trigger.max_firings == std::numeric_limits<int>::max() &&
           spec.trigger.delay.count() == 0 && policy.matches(event);
  });
}

void Nemesis::loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    // Events posted before the stop are still acted on: the last task of the
    // chaos phase ends a moment before its execution closes and the phase
    // with it, and disposable mode must still dispose of that task's worker.
    if (!events_.empty()) {
      auto event = std::move(events_.front());
      events_.pop_front();
      lock.unlock();
      handle_event(event);
      lock.lock();
      continue;
    }
    if (stopping_) break;
    if (!timers_.empty() && timers_.top().due <= Clock::now()) {
      auto due = timers_.top();
      timers_.pop();
      if (due.kind == Scheduled::Kind::kTick) {
        schedule_tick(due.injector);
        lock.unlock();
        injectors::TriggerEvent tick;
        tick.kind = injectors::TriggerEvent::Kind::kTick;
        tick.at = due.due;
        auto orders = policies_[due.injector].fire(tick, candidates());
        for (const auto& order : orders) apply(due.injector, order);
      } else if (due.kind == Scheduled::Kind::kOrder) {
        lock.unlock();
        apply(due.injector, due.order);
      } else {
        lock.unlock();
        heal(due.order.worker, due.order.fault);
      }
      lock.lock();
      continue;
    }
    if (timers_.empty()) {
      wake_.wait(lock);
    } else {
      wake_.wait_until(lock, timers_.top().due);
    }
  }
}

void Nemesis::handle_event(const injectors::TriggerEvent& event) {
  for (std::size_t i = 0; i < policies_.size(); ++i) {
    auto& policy = policies_[i];
    if (policy.timed() || !policy.matches(event)) continue;
    for (auto& order : policy.fire(event, candidates())) {
      if (order.due <= Clock::now()) {
        apply(i, order);
        continue;
      }
      std::lock_guard lock(mutex_);
      Scheduled later;
      later.due = order.due;
      later.sequence = ++sequence_;
      later.kind = Scheduled::Kind::kOrder;
      later.injector = i;
      later.order = std::move(order);
      timers_.push(std::move(later));
    }
  }
}

std::vector<injectors::Candidate> Nemesis::candidates() const {
  std::vector<injectors::Candidate> found;
  for (const auto& pool : pools_) {
    for (const auto& worker : pool->live_workers()) {
      if (worker->state() == stacks::WorkerState::kRunning) {
        found.push_back({worker->id(), worker->pool()});
      }
    }
  }
  return found;
}

std::shared_ptr<stacks::Worker> Nemesis::find_worker(const std::string& id) const {
  for (const auto& pool : pools_) {
    for (const auto& worker : pool->workers()) {
      if (worker->id() == id) return worker;
    }
  }
  return nullptr;
}

std::uint64_t Nemesis::record(history::FaultRecord fault) {
  std::lock_guard lock(mutex_);
  if (fault.id == 0) fault.id = ++last_fault_id_;
  if (console_ != nullptr && (verbose_ || !fault.applied_ok)) {
    *console_ << "  fault " << fault.id << " +" << std::fixed << std::setprecision(2)
              << seconds_since(chaos_start_, fault.applied) << " s: " << to_string(fault.kind)
              << " " << fault.worker << (fault.applied_ok ? "" : " failed: " + fault.error) << "\n";
  }
  faults_.push_back(std::move(fault));
  if (observer_ != nullptr) {
    // An observer's hook must not block (run_observer.hpp), so calling it
    // with the lock held keeps the faults in order; what it throws is dropped.
    try {
      observer_->fault_applied(faults_.back());
    } catch (...) {
    }
  }
  return faults_.back().id;
}

history::FaultRecord Nemesis::fault_record(const injectors::InjectorSpec& spec,
                                           const injectors::FaultOrder& order) {
  history::FaultRecord fault;
  fault.injector = injectors::describe(spec);
  fault.triggered = order.cause.at;
  fault.pool = order.pool;
  fault.worker = order.worker;
  fault.execution_arn = order.cause.execution_arn;
  fault.state_name = order.cause.state_name;
  fault.duration = injectors::lasting(spec);
  return fault;
}

// Each step of the fault's type is one primitive on the one worker, recorded
// as one fault; what a step throws is data in the history, not an error of
// the run.
void Nemesis::apply(std::size_t injector, const injectors::FaultOrder& order) {
  const auto& spec = policies_[injector].spec();
  const auto& type = injectors::fault_definition(spec.fault);
  const auto worker = find_worker(order.worker);
  if (type.once_per_worker && !claim_disposal(order.worker, worker)) return;
  auto fault = fault_record(spec, order);
  if (!worker) {
    // Recorded as the step that ends the worker's service (a disposal's stop).
    fault.kind = type.steps.back().recorded;
    fault.applied = Clock::now();
    fault.applied_ok = false;
    fault.error = "no worker " + order.worker;
    record(std::move(fault));
    return;
  }
  for (const auto& step : type.steps) {
    fault.kind = step.recorded;
    if (step.slow) {
      apply_slow(step, spec, worker, fault);
      continue;
    }
    auto attempt = fault;
    // Applied when the step went out, not when the call returned: a kill
    // lands during the call (a docker kill returns 100 ms later), and the
    // engine may record the task's failure before it returns.
    attempt.applied = Clock::now();
    try {
      step.perform(*worker, spec);
    } catch (const std::exception& e) {
      attempt.applied_ok = false;
      attempt.error = e.what();
    }
    if (attempt.applied_ok && type.heal != nullptr) {
      // A lasting fault (a pause) lasts its duration from when it took
      // hold: the call's return (a docker pause freezes the cgroup first).
      begin_lasting(spec.fault, order.worker, Clock::now() + spec.duration);
    }
    record(std::move(attempt));
  }
}

void Nemesis::apply_slow(const injectors::FaultStep& step, const injectors::InjectorSpec& spec,
                         const std::shared_ptr<stacks::Worker>& worker,
                         history::FaultRecord pending) {
  // SIGTERM lands at once; the call then waits up to the grace for the
  // worker to exit, so it runs off this thread and is recorded as applied
  // when the signal went out.
  pending.applied = Clock::now();
  std::lock_guard lock(mutex_);
  // Numbered now, when the signal goes out, not when the call returns: ids
  // keep the order in which faults were applied.
  pending.id = ++last_fault_id_;
  slow_faults_.push_back(std::async(
      std::launch::async, [this, worker, pending, perform = step.perform, spec]() mutable {
        try {
          perform(*worker, spec);
        } catch (const std::exception& e) {
          pending.applied_ok = false;
          pending.error = e.what();
        }
        record(std::move(pending));
      }));
}

bool Nemesis::claim_disposal(const std::string& id, const std::shared_ptr<stacks::Worker>& worker) {
  // A worker already gone needs no disposal: the fleet has replaced it (or
  // the engine retired a Lambda environment), which is what disposal does.
  if (worker && worker->state() == stacks::WorkerState::kDead) return false;
  std::lock_guard lock(mutex_);
  return disposed_.insert(id).second;
}

void Nemesis::begin_lasting(injectors::FaultType type, const std::string& worker,
                            history::TimePoint due) {
  {
    std::lock_guard lock(mutex_);
    ++lasting_[{type, worker}];
    Scheduled heal_later;
    heal_later.due = due;
    heal_later.sequence = ++sequence_;
    heal_later.kind = Scheduled::Kind::kHeal;
    heal_later.order.worker = worker;
    heal_later.order.fault = type;
    timers_.push(std::move(heal_later));
  }
  wake_.notify_all();
}

void Nemesis::heal(const std::string& id, injectors::FaultType type) {
  const auto& definition = injectors::fault_definition(type);
  {
    std::lock_guard lock(mutex_);
    const auto found = lasting_.find({type, id});
    if (found == lasting_.end()) return;
    if (definition.overlap == injectors::Overlap::kLastEndHeals && --found->second > 0) return;
    lasting_.erase(found);
  }
  const auto worker = find_worker(id);
  if (!worker) return;
  try {
    definition.heal(*worker);
  } catch (const std::exception& e) {
    if (console_ != nullptr) {
      *console_ << "  " << definition.heal_failure << " " << id << ": " << e.what() << "\n";
    }
  }
}

void Nemesis::stop_and_heal() {
  {
    std::lock_guard lock(mutex_);
    if (!running_ || stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  for (auto& slow : slow_faults_) slow.wait();
  std::vector<std::pair<injectors::FaultType, std::string>> outstanding;
  {
    std::lock_guard lock(mutex_);
    for (auto& [key, running] : lasting_) {
      running = 1;  // every lasting fault ends now
      outstanding.push_back(key);
    }
  }
  for (const auto& [type, id] : outstanding) heal(id, type);
}

std::vector<history::FaultRecord> Nemesis::faults() const {
  std::lock_guard lock(mutex_);
  auto sorted = faults_;
  std::sort(
      sorted.begin(), sorted.end(),
      [](const history::FaultRecord& a, const history::FaultRecord& b) { return a.id < b.id; });
  return sorted;
}

std::size_t Nemesis::fault_count() const {
  std::lock_guard lock(mutex_);
  return faults_.size();
}

}  // namespace loveless::scenario::detail
