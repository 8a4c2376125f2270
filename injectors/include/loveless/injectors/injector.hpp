#pragma once

#include <chrono>
#include <limits>
#include <string>

namespace loveless::injectors {

/// What an injector does to the workers it hits (docs/injectors.md). How each
/// is validated, applied, healed and drawn is its entry in the table of
/// fault types (fault_types.hpp). A history records what was applied as
/// `history::FaultKind`s: a disposal is a wipe-scratch and a stop.
enum class FaultType { kKill, kStop, kRestart, kPause, kLatency, kWipeScratch, kDisposable };

/// Which workers a fault hits (docs/injectors.md).
enum class TargetKind {
  kTaskWorker,      ///< the worker that ran the task the trigger saw (task triggers only)
  kPool,            ///< every live worker of `pool`
  kAllWorkers,      ///< every live worker of every pool (or of `pool`, when set)
  kRandomWorkers,   ///< `count` live workers drawn at random (of `pool`, when set)
  kPercentWorkers,  ///< `percent` % of the live workers, rounded up, drawn at random
};

struct TargetSpec {
  TargetKind kind = TargetKind::kTaskWorker;
  /// Restricts the candidates to one pool; empty: every pool.
  std::string pool;
  int count = 1;
  double percent = 0;
};

/// When an injector fires.
enum class TriggerKind {
  kAt,            ///< once, `at` after the chaos phase started
  kEvery,         ///< every `interval` (+- `jitter`) from the chaos phase's start
  kTaskStarted,   ///< a task started (in the state or pool `match`; empty: any)
  kTaskEnded,     ///< a task ended (succeeded, failed or timed out)
  kStateEntered,  ///< an execution entered the state `match`
};

struct TriggerSpec {
  TriggerKind kind = TriggerKind::kEvery;
  std::chrono::milliseconds at{0};
  std::chrono::milliseconds interval{1'000};
  std::chrono::milliseconds jitter{0};
  /// Task and state triggers: a state name or a pool name; empty matches any.
  std::string match;
  /// The fault lands this long after the trigger.
  std::chrono::milliseconds delay{0};
  /// Each firing happens with this probability (seeded).
  double probability = 1.0;
  /// Fires at most this many times in the run.
  int max_firings = std::numeric_limits<int>::max();
};

/// Everything an injector is: a fault, its targets and its trigger. Built with
/// the functions below (`kill().on_task_started("count-words").after(200ms)`).
struct InjectorSpec {
  FaultType fault = FaultType::kKill;
  /// pause and latency: how long the fault lasts before the runner heals it.
  std::chrono::milliseconds duration{0};
  /// latency: the delay added to each chunk of the worker's traffic, each way.
  std::chrono::milliseconds latency{0};
  /// stop, restart and disposable: SIGTERM, then SIGKILL after this grace.
  std::chrono::milliseconds grace{2'000};
  TargetSpec target;
  TriggerSpec trigger;
};

/// A one-line description for logs and reports:
/// `kill the task's worker when a task starts in count-words, after 200 ms, at most 10 times`.
std::string describe(const InjectorSpec& spec);

/// The scenario DSL's injector builder. Each method returns the builder, so a
/// scenario writes one expression; `spec()` is what the runner gets.
class Injector {
 public:
  explicit Injector(InjectorSpec spec) : spec_(std::move(spec)) {}
  [[nodiscard]] const InjectorSpec& spec() const { return spec_; }

  // ---- targets ----
  /// The worker that ran the task a task trigger saw (the default for task triggers).
  Injector& task_worker();
  /// Every live worker of `pool`.
  Injector& pool(std::string pool);
  /// Every live worker (of every pool).
  Injector& all_workers();
  /// One live worker drawn at random, of `pool` (empty: of any pool).
  Injector& random_worker(std::string pool = "");
  /// `count` live workers drawn at random.
  Injector& random_workers(int count, std::string pool = "");
  /// `percent` (0..100] of the live workers, rounded up, drawn at random.
  Injector& percent_of_workers(double percent, std::string pool = "");

  // ---- triggers ----
  /// Once, `offset` after the chaos phase starts.
  Injector& at(std::chrono::milliseconds offset);
  /// Every `interval`, each firing moved by a uniform draw in [-jitter, +jitter].
  Injector& every(std::chrono::milliseconds interval, std::chrono::milliseconds jitter = {});
  /// When a task starts in the state or pool `match` (empty: any task).
  Injector& on_task_started(std::string match = "");
  /// When a task ends in the state or pool `match`.
  Injector& on_task_ended(std::string match = "");
  /// When an execution enters the state `state`.
  Injector& on_state_entered(std::string state);
  /// The fault lands `delay` after its trigger.
  Injector& after(std::chrono::milliseconds delay);
  /// Each firing happens with probability `p` in [0, 1].
  Injector& with_probability(double p);
  /// At most `n` firings in the run.
  Injector& at_most(int n);

 private:
  InjectorSpec spec_;
};

/// SIGKILL / container kill; the pool replaces the worker.
Injector kill();
/// SIGTERM, then SIGKILL after `grace`; the pool replaces the worker.
Injector stop(std::chrono::milliseconds grace = std::chrono::seconds(2));
/// Stop, then start again with the same id and scratch (`docker restart`).
Injector restart(std::chrono::milliseconds grace = std::chrono::seconds(2));
/// SIGSTOP / docker pause for `duration`, then resume.
Injector pause(std::chrono::milliseconds duration);
/// Adds `delay` to each chunk of the worker's traffic to the orchestrator, each
/// way, for `duration` (local stacks: the worker's loopback proxy).
Injector latency(std::chrono::milliseconds delay, std::chrono::milliseconds duration);
/// Empties the worker's scratch directory while it lives.
Injector wipe_scratch();
/// Disposable mode: after every task of `pool` (empty: every pool), wipe the
/// worker's scratch and replace the worker (stop with a short grace). The
/// strictest test that nothing survives between invocations.
Injector disposable(std::string pool = "");

/// `every(5s, jitter(1s))` reads better than a bare second duration.
constexpr std::chrono::milliseconds jitter(std::chrono::milliseconds amount) { return amount; }

}  // namespace loveless::injectors
