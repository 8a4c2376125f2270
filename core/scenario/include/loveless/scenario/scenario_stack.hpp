#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "loveless/aws/json_client.hpp"
#include "loveless/notices/execution_notice.hpp"
#include "loveless/scenario/scenario.hpp"
#include "loveless/stacks/pool.hpp"
#include "loveless/stacks/worker.hpp"

namespace loveless::scenario {

/// The stack could not be brought up (no Docker engine, a port that cannot be
/// bound, AWS refusing): the suite exits 3.
class StackUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Where a scenario runs, as the runner sees it: an orchestrator endpoint and
/// a fleet of pools. Every primitive acts through the pools' worker handles;
/// the stack knows nothing of faults or scenarios (DESIGN.md).
///
/// Thread-safety: set-up and tear-down from the runner's thread; `client`
/// from any thread.
class ScenarioStack {
 public:
  virtual ~ScenarioStack() = default;
  /// The name the suite picks it by (`--stack`): `process`, `docker` or `aws`.
  [[nodiscard]] virtual std::string_view name() const = 0;
  /// Called before `up` with every primitive the scenario's faults take, so
  /// the stack sets up what only some scenarios need (local stacks: a latency
  /// proxy per worker for `Primitive::kLatency`). The default does nothing.
  virtual void prepare(const std::set<stacks::Primitive>& primitives) { (void)primitives; }
  /// Throws `StackUnavailable` with what to do.
  virtual void up() = 0;
  /// Lines the runner prints once the stack is up: what `up` did besides
  /// starting (the local stack's sweep of an earlier run's leftovers).
  [[nodiscard]] virtual std::vector<std::string> startup_notes() const { return {}; }
  /// Warnings the runner prints once, before the first pool's workers start:
  /// what this stack cannot promise on this machine (the process fleet
  /// without a private /tmp per worker). The default: none.
  [[nodiscard]] virtual std::vector<std::string> pool_warnings() const { return {}; }
  /// Leaves no worker behind. Idempotent; never throws.
  virtual void down() noexcept = 0;
  [[nodiscard]] virtual std::string run_id() const = 0;
  /// Where run files live (logs, scratch, durable directories).
  [[nodiscard]] virtual std::filesystem::path run_dir() const = 0;

  /// The primitives workers of `kind` can support on this stack (an AWS
  /// Lambda environment cannot be paused), given what `prepare` is asked for.
  [[nodiscard]] virtual std::set<stacks::Primitive> capabilities(stacks::PoolKind kind) const = 0;
  /// True when worker scratch directories are on this host, so they can be audited.
  [[nodiscard]] virtual bool audits_scratch() const = 0;
  /// True when pools take `PoolSpec::image` instead of a command (docker).
  [[nodiscard]] virtual bool runs_images() const = 0;
  /// False when the workers already run elsewhere and the stack only binds
  /// to them (aws: ECS services, Lambda functions), so a pool's command need
  /// not exist on this host.
  [[nodiscard]] virtual bool launches_workers() const { return true; }
  /// Problems with what this stack needs of the scenario beyond the DSL
  /// itself (aws: every pool and workflow bound to a resource). Reads
  /// nothing and starts nothing. The default: none.
  [[nodiscard]] virtual std::vector<std::string> check_bindings(const ScenarioSpec& spec) const {
    (void)spec;
    return {};
  }
  /// The nearest alternative, on this stack, to `missing` on workers of
  /// `kind` (`stop() (recycles ...)`); empty: the generic one.
  [[nodiscard]] virtual std::string alternative_to(stacks::PoolKind kind,
                                                   stacks::Primitive missing) const {
    (void)kind;
    (void)missing;
    return {};
  }
  /// Step Functions read calls (DescribeExecution, GetExecutionHistory) per
  /// second the runner may make when it collects the histories after a run,
  /// to stay within the API's quotas (aws); 0: as fast as it can (local).
  [[nodiscard]] virtual double history_calls_per_second() const { return 0; }
  /// Why the stack aborted the run (a stop condition: an alarm in ALARM, too
  /// many failed executions), once it has; the runner then stops starting
  /// work and fails the scenario with this reason. The default: never.
  [[nodiscard]] virtual std::optional<std::string> stop_reason() const { return std::nullopt; }

  /// The cold phase's single-use workers (docs/checks.md): while on, every
  /// worker takes at most one task (`engine::StepFunctionsService::
  /// set_single_use_workers`). False when the stack cannot promise it (aws:
  /// an ECS task or a Lambda environment per task is not to be had cheaply),
  /// and then the runner runs no cold phase. The default: cannot.
  virtual bool set_single_use_workers(bool on) {
    (void)on;
    return false;
  }

  /// The activity worker or Lambda environment `worker` takes no more
  /// tasks: a disposable() fault is about to replace it
  /// (`engine::StepFunctionsService::retire_worker`). Called as its task
  /// ends, before the worker polls or asks for an invocation again. The default
  /// (aws: Step Functions hands tasks to whoever polls) does nothing, and a
  /// task the worker takes before its stop lands times out and is retried.
  virtual void retire_worker(const std::string& worker) { (void)worker; }

  /// CreateActivity; returns its ARN.
  virtual std::string create_activity(const std::string& name) = 0;
  virtual std::shared_ptr<stacks::Pool> add_activity_pool(stacks::PoolSpec spec) = 0;
  virtual std::shared_ptr<stacks::Pool> add_function(const std::string& name, stacks::PoolSpec spec,
                                                     std::chrono::milliseconds timeout,
                                                     int concurrency) = 0;
  [[nodiscard]] virtual std::string function_arn(const std::string& name) const = 0;
  /// Makes the scenario's workflow `workflow` runnable with `definition`
  /// (placeholders resolved) and returns its state machine ARN: local stacks
  /// CreateStateMachine `loveless-<workflow>`; the aws stack uses the bound
  /// state machine or deploys one for the run. Throws `aws::AwsError`.
  virtual std::string deploy(const std::string& workflow, const std::string& definition) = 0;
  /// A new client of the Step Functions endpoint (one per thread).
  [[nodiscard]] virtual aws::JsonClient client() const = 0;
  /// Subscribes to live execution events; false when the stack has none (the
  /// runner then polls). The observer must not block (see
  /// `engine::StepFunctionsService::observe`).
  virtual bool observe(notices::ExecutionObserver observer) = 0;
  /// Ends every `observe` subscription; once it returns no observer is called.
  virtual void stop_observing() noexcept = 0;
};

}  // namespace loveless::scenario
