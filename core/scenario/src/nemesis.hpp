#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <queue>
#include <set>
#include <thread>
#include <vector>

#include "loveless/history/history.hpp"
#include "loveless/history/run_observer.hpp"
#include "loveless/injectors/fault_types.hpp"
#include "loveless/injectors/policy.hpp"
#include "loveless/stacks/pool.hpp"

namespace loveless::scenario::detail {

/// The chaos side of a run (Jepsen's nemesis): takes trigger events and
/// ticks, asks each injector's policy for fault orders, and applies them
/// through the pools' worker handles, one primitive on one worker each;
/// records every fault; heals what it broke (resumes paused workers).
///
/// Thread-safety: `post` from any thread; the rest from the runner's thread.
/// `observer` (may be null; must outlive the nemesis) hears of every fault
/// recorded, from the thread that applied it.
class Nemesis {
 public:
  Nemesis(std::vector<injectors::InjectorSpec> injectors, std::uint64_t seed,
          std::vector<std::shared_ptr<stacks::Pool>> pools, std::ostream* console, bool verbose,
          history::RunObserver* observer = nullptr);
  ~Nemesis();
  Nemesis(const Nemesis&) = delete;
  Nemesis& operator=(const Nemesis&) = delete;

  /// Called with a worker's id, from `post`'s thread, the moment a task ends
  /// that a disposable() injector will certainly dispose of its worker for
  /// (every task, no probability, limit or delay): the stack stops handing
  /// that worker tasks before it can poll again (ScenarioStack::retire_worker).
  /// Set before `start`.
  void retire_with(std::function<void(const std::string& worker)> retire) {
    retire_ = std::move(retire);
  }
  /// Starts firing; timed triggers count from `chaos_start`.
  void start(history::TimePoint chaos_start);
  /// A trigger event (ignored unless started and not stopped). Never blocks for long.
  void post(const injectors::TriggerEvent& event);
  /// Stops firing (trigger events posted before the call are still handled;
  /// timers and delayed orders are dropped), waits for faults in progress,
  /// then heals every fault still lasting (resumes the workers it paused,
  /// removes the latency it added). Idempotent.
  void stop_and_heal();

  [[nodiscard]] std::vector<history::FaultRecord> faults() const;
  [[nodiscard]] std::size_t fault_count() const;

 private:
  struct Scheduled {
    history::TimePoint due;
    std::uint64_t sequence = 0;
    /// kHeal: end the lasting fault of type `order.fault` on `order.worker`.
    enum class Kind { kTick, kOrder, kHeal } kind = Kind::kTick;
    std::size_t injector = 0;
    injectors::FaultOrder order;
    bool operator>(const Scheduled& other) const {
      return due != other.due ? due > other.due : sequence > other.sequence;
    }
  };

  void loop();
  void schedule_tick(std::size_t injector);
  void handle_event(const injectors::TriggerEvent& event);
  void apply(std::size_t injector, const injectors::FaultOrder& order);
  /// What every step of `order` records: its injector, trigger and worker.
  static history::FaultRecord fault_record(const injectors::InjectorSpec& spec,
                                           const injectors::FaultOrder& order);
  /// Performs a step that waits up to a grace (stop, restart) off this thread.
  void apply_slow(const injectors::FaultStep& step, const injectors::InjectorSpec& spec,
                  const std::shared_ptr<stacks::Worker>& worker, history::FaultRecord pending);
  /// True when disposable mode is to dispose of worker `id` now: it is not
  /// dead and no disposal of it has begun.
  bool claim_disposal(const std::string& id, const std::shared_ptr<stacks::Worker>& worker);
  /// Counts a lasting fault of `type` on `worker` and schedules its heal at `due`.
  void begin_lasting(injectors::FaultType type, const std::string& worker, history::TimePoint due);
  /// Ends one lasting fault of `type` on worker `id` (fault_types.hpp's
  /// `Overlap` says whether it heals the worker yet).
  void heal(const std::string& id, injectors::FaultType type);
  [[nodiscard]] std::vector<injectors::Candidate> candidates() const;
  [[nodiscard]] std::shared_ptr<stacks::Worker> find_worker(const std::string& id) const;
  std::uint64_t record(history::FaultRecord record);

  /// True when a policy whose trigger matches `event` will dispose of its
  /// worker whatever it draws (policy.hpp's `matches` reads only the spec,
  /// so this is safe beside the nemesis thread's `fire`).
  [[nodiscard]] bool disposal_certain(const injectors::TriggerEvent& event) const;

  std::function<void(const std::string& worker)> retire_;
  std::vector<injectors::InjectorPolicy> policies_;
  std::vector<std::shared_ptr<stacks::Pool>> pools_;
  std::ostream* console_;
  bool verbose_;
  history::RunObserver* observer_;
  history::TimePoint chaos_start_{};

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<injectors::TriggerEvent> events_;
  std::priority_queue<Scheduled, std::vector<Scheduled>, std::greater<>> timers_;
  std::uint64_t sequence_ = 0;
  bool running_ = false;
  bool stopping_ = false;
  std::vector<history::FaultRecord> faults_;
  /// The last id given to a fault (ids count from 1 in the order applied).
  std::uint64_t last_fault_id_ = 0;
  /// The lasting faults (pause, latency) not yet healed, by type and worker,
  /// and how many of each are running.
  std::map<std::pair<injectors::FaultType, std::string>, int> lasting_;
  /// Workers disposable mode has begun to dispose of: a second task-ended
  /// event for one (a task it took before the stop landed, or the timeout of
  /// a task it was killed in) is not a second disposal.
  std::set<std::string> disposed_;
  /// Stop and restart wait up to their grace: they run off the nemesis thread.
  std::vector<std::future<void>> slow_faults_;
  std::thread thread_;
};

}  // namespace loveless::scenario::detail
