#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>

#include "loveless/asl/clock.hpp"
#include "loveless/engine/service.hpp"

#include "activity_queue.hpp"
#include "activity_registry.hpp"
#include "elastic_thread_pool.hpp"
#include "execution_observers.hpp"
#include "execution_registry.hpp"
#include "function_registry.hpp"
#include "history_budget.hpp"
#include "job_thread.hpp"
#include "redrive_tokens.hpp"
#include "single_use_pollers.hpp"
#include "state_machine_registry.hpp"
#include "tag_registry.hpp"
#include "task_registry.hpp"
#include "timer_service.hpp"

namespace loveless::engine {

/// Everything the operations of the service share. Each member guards itself;
/// see ExecutionRecord for the lock order.
///
/// Declaration order matters: the timer thread stops (destroyed first) before
/// the executions its callbacks refer to go away.
struct ServiceContext {
  /// Executions whose states run at once; more wait for a thread in order.
  static constexpr std::size_t kMaxInterpreterThreads = 64;

  explicit ServiceContext(ServiceOptions service_options);

  /// A seed for a new execution's random source, drawn from `options.seed`.
  std::uint64_t next_seed();
  /// The current time on the service clock (system clock, microseconds).
  static asl::TimePoint now();

  /// The fleet worker of a GetActivityTask's caller; "" without a resolver,
  /// for a call not made over a connection, or when the resolver cannot tell.
  std::string worker_of(const CallerAddress* caller);
  void set_worker_resolver(WorkerResolver resolver);

  ServiceOptions options;
  /// The history payload every execution together may hold; each
  /// ExecutionRecord shares it, and gives back what it took when it goes.
  std::shared_ptr<HistoryBudget> history_budget;
  /// Set by `StepFunctionsService::shutdown`: calls that wait (StartSyncExecution) return.
  std::atomic<bool> stopping{false};
  StateMachineRegistry state_machines;
  ActivityRegistry activities;
  /// Tags of state machines and activities (TagResource).
  TagRegistry tags;
  TaskRegistry tasks;
  ExecutionRegistry executions;
  /// RedriveExecution's clientTokens.
  RedriveTokens redrive_tokens;
  /// `StepFunctionsService::shutdown` was called: calls that wait for work
  /// (TestState's Task) give up.
  std::atomic<bool> shutting_down{false};
  /// `StepFunctionsService::observe`; every ExecutionRecord publishes to it.
  ExecutionObservers observers;
  ActivityQueues queues;
  /// Single-use workers (the runner's cold phase): who took an activity task.
  SingleUsePollers single_use_pollers;
  TimerService timers;
  /// Destroyed (and so shut down) before everything above, while the
  /// executions its environments report to still exist.
  FunctionRegistry functions;
  /// Runs the executions' timers and the states left after a call's time
  /// slice (ExecutionRecord::post), a thread per busy execution up to its
  /// bound. Destroyed (joined) before everything its jobs use.
  ElasticThreadPool interpreter{kMaxInterpreterThreads};
  /// Executions that states:startExecution tasks started and that are still
  /// running (start_execution_task.hpp bounds them).
  std::atomic<std::size_t> open_children{0};
  /// Service integrations that call this engine's own API
  /// (states:startExecution, start_execution_task.hpp) run here, outside
  /// every execution's lock. Last: stopped first.
  JobThread integrations;

 private:
  std::mutex resolver_mutex_;
  std::shared_ptr<const WorkerResolver> resolver_;
  std::mutex seed_mutex_;
  asl::SeededRandom seeds_;
};

}  // namespace loveless::engine
