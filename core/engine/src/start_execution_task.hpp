#pragma once

// The `states:startExecution` optimized integration
// (https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html):
// a Task that starts an execution of another state machine of this engine,
// and for `.sync` waits for it, as AWS records it (tests/fidelity/cases/nested).

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace loveless::asl {
class Execution;
}  // namespace loveless::asl

namespace loveless::engine {

struct ServiceContext;
class ExecutionRecord;

/// The deepest chain of executions that start each other (states:startExecution)
/// the engine runs: a workflow that starts itself without end would otherwise
/// fill memory with executions. AWS has no such bound (its quotas on open
/// executions and StartExecution calls play the part).
inline constexpr std::uint32_t kMaxNestingDepth = 100;
/// The most executions states:startExecution tasks may have running at once:
/// a workflow that starts itself twice per level stays within the depth.
inline constexpr std::size_t kMaxOpenChildren = 10000;

/// The integration's pattern, from the Resource's suffix.
enum class StartExecutionPattern {
  kRequestResponse,  ///< `startExecution`: the StartExecution answer
  kSync,             ///< `.sync`: the child's description, Input and Output as JSON text
  kSync2,            ///< `.sync:2`: the same with Input and Output as JSON
  kWaitForTaskToken  ///< `.waitForTaskToken`: a SendTask* call on the token
};

/// The pattern of `arn:<partition>:states:::states:startExecution[.sync[:2]|
/// .waitForTaskToken]`; nullopt for any other resource.
std::optional<StartExecutionPattern> start_execution_pattern(std::string_view resource);

/// One states:startExecution task of a parent execution. Its work runs on
/// `ServiceContext::integrations`, outside every execution's lock: the
/// parent's lock is never held while the child's is taken, nor the other way
/// round.
///
/// AWS's records, reproduced: TaskStarted once StartExecution answered (or
/// failed: TaskFailed `StepFunctions.<Code>Exception` with the SDK's cause);
/// then TaskSucceeded with `{ExecutionArn, StartDate (epoch ms),
/// SdkHttpMetadata, SdkResponseMetadata}` (request-response), or TaskSubmitted
/// with it and, when the child closes, TaskSucceeded with its description or
/// TaskFailed `States.TaskFailed` whose cause is the description as JSON text
/// (`.sync`, `.sync:2`), or TaskSubmitted and the token's SendTask* answer
/// (`.waitForTaskToken`; a `.sync` task's token is answerable too).
///
/// Thread-safety: every method may be called from any thread.
class StartExecutionTask : public std::enable_shared_from_this<StartExecutionTask> {
 public:
  /// `parameters`: the task's input (`StateMachineArn`, `Input`, `Name`).
  StartExecutionTask(ServiceContext& context, std::weak_ptr<ExecutionRecord> parent,
                     std::uint64_t task_id, StartExecutionPattern pattern,
                     nlohmann::json parameters);

  /// Queues the StartExecution call.
  void start();
  /// The parent no longer waits (StopExecution, a timeout, the state ended):
  /// a `.sync` child still running is stopped, as AWS stops the work of a
  /// `.sync` integration whose task is cancelled.
  void cancel();

 private:
  void call_start_execution();
  /// StartExecution itself; throws ServiceError (the engine's bounds too).
  nlohmann::json start_child(std::uint32_t depth);
  void child_closed();
  /// RedriveCount, RedriveDate, RedriveStatus and RedriveStatusReason of a
  /// closed standard child into its `.sync` description (child's lock held).
  void add_redrive_members(const ExecutionRecord& child, const asl::Execution& execution,
                           nlohmann::json& description);
  /// Fails the parent's task (TaskStarted recorded already).
  void fail_task(const std::string& error, const std::string& cause);
  /// Runs `fn` on the parent's interpreter, if the parent still exists.
  template <typename Fn>
  void report_to_parent(bool closes_task, Fn fn);

  ServiceContext& context_;
  std::weak_ptr<ExecutionRecord> parent_;
  const std::uint64_t task_id_;
  const StartExecutionPattern pattern_;
  const nlohmann::json parameters_;
  std::mutex mutex_;
  std::string child_arn_;
  bool cancelled_ = false;
};

}  // namespace loveless::engine
