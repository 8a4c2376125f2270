#include "chaos_failures.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "loveless/injectors/fault_types.hpp"

#include "check_support.hpp"

namespace loveless::checks::detail {

namespace {

using history::Phase;
using history::TaskOutcome;
using history::TaskRecord;

/// Errors that say the worker went away rather than what it decided: a task
/// that timed out or whose Lambda environment exited is what a kill, a pause
/// or a machine under load produces, so no claim about state rests on them.
constexpr std::array<std::string_view, 5> kVanishedWorkerErrors = {
    "States.Timeout", "States.HeartbeatTimeout", "Runtime.ExitError", "Lambda.Unknown",
    "Sandbox.Timedout"};

bool reported_by_worker(const TaskRecord& task) {
  return task.outcome == TaskOutcome::kFailed && task.started && !task.worker.empty() &&
         std::find(kVanishedWorkerErrors.begin(), kVanishedWorkerErrors.end(), task.error) ==
             kVanishedWorkerErrors.end();
}

bool touched(const history::History& history, const TaskRecord& task) {
  return std::any_of(history.faults.begin(), history.faults.end(),
                     [&](const auto& fault) { return touched_while_running(fault, task); });
}

/// Whether a cold or control execution of `input_index` failed a task of
/// `state` with `error`: then the failure is how the input goes, not chaos.
bool failed_so_without_faults(const history::History& history, std::size_t input_index,
                              const std::string& state, const std::string& error) {
  for (const auto phase : {Phase::kCold, Phase::kControl}) {
    for (const auto* execution : history.executions_of(phase, input_index)) {
      for (const auto* task : history.tasks_of(execution->arn)) {
        if (task->state_name == state && task->outcome == TaskOutcome::kFailed &&
            task->error == error) {
          return true;
        }
      }
    }
  }
  return false;
}

}  // namespace

bool touched_while_running(const history::FaultRecord& fault, const TaskRecord& task) {
  if (struck_while_running(fault, task)) return true;
  if (!fault.applied_ok || fault.worker != task.worker || !task.started ||
      fault.duration.count() <= 0) {
    return false;
  }
  const auto from = round_ms(fault.applied);
  const auto until = from + fault.duration;
  return from <= *task.started && *task.started <= until;
}

const history::FaultRecord* disrupting_fault(const history::History& history,
                                             const TaskRecord& task) {
  const auto fault =
      std::find_if(history.faults.begin(), history.faults.end(), [&](const auto& candidate) {
        return injectors::recorded_definition(candidate.kind).disrupts_task &&
               struck_while_running(candidate, task);
      });
  return fault == history.faults.end() ? nullptr : &*fault;
}

std::optional<UnexplainedFailure> unexplained_failure(const history::History& history,
                                                      const history::ExecutionRecord& execution) {
  const auto tasks = history.tasks_of(execution.arn);
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    const auto& task = *tasks[i];
    if (!reported_by_worker(task) || touched(history, task) ||
        failed_so_without_faults(history, execution.input_index, task.state_name, task.error)) {
      continue;
    }
    UnexplainedFailure found{&task};
    for (std::size_t j = i; j-- > 0;) {
      const auto& earlier = *tasks[j];
      if (earlier.state_name != task.state_name) continue;
      if (const auto* fault = disrupting_fault(history, earlier)) {
        found.broken_attempt = &earlier;
        found.fault = fault;
        break;
      }
    }
    return found;
  }
  return std::nullopt;
}

}  // namespace loveless::checks::detail
