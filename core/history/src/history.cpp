#include "loveless/history/history.hpp"

#include <algorithm>
#include <cmath>

namespace loveless::history {

std::string_view to_string(Phase phase) {
  switch (phase) {
    case Phase::kControl:
      return "control";
    case Phase::kChaos:
      return "chaos";
    case Phase::kCold:
      return "cold";
  }
  return "control";
}

std::optional<Phase> phase_named(std::string_view name) {
  for (const auto phase : {Phase::kControl, Phase::kChaos, Phase::kCold}) {
    if (to_string(phase) == name) return phase;
  }
  return std::nullopt;
}

std::string_view to_string(TaskOutcome outcome) {
  switch (outcome) {
    case TaskOutcome::kOpen:
      return "open";
    case TaskOutcome::kSucceeded:
      return "succeeded";
    case TaskOutcome::kFailed:
      return "failed";
    case TaskOutcome::kTimedOut:
      return "timed-out";
  }
  return "open";
}

std::string_view to_string(FaultKind kind) {
  switch (kind) {
    case FaultKind::kKill:
      return "kill";
    case FaultKind::kRestart:
      return "restart";
    case FaultKind::kPause:
      return "pause";
    case FaultKind::kLatency:
      return "latency";
    case FaultKind::kWipeScratch:
      return "wipe-scratch";
    case FaultKind::kStop:
      return "stop";
  }
  return "kill";
}

std::string_view to_string(ScratchOperation operation) {
  switch (operation) {
    case ScratchOperation::kCreated:
      return "created";
    case ScratchOperation::kOpened:
      return "opened";
    case ScratchOperation::kModified:
      return "modified";
    case ScratchOperation::kDeleted:
      return "deleted";
    case ScratchOperation::kRead:
      return "read";
  }
  return "opened";
}

std::optional<std::chrono::milliseconds> ExecutionRecord::duration() const {
  if (!stop) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(*stop - start);
}

std::vector<const ExecutionRecord*> History::executions_in(Phase phase) const {
  std::vector<const ExecutionRecord*> found;
  for (const auto& execution : executions) {
    if (execution.phase == phase) found.push_back(&execution);
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto* a, const auto* b) { return a->input_index < b->input_index; });
  return found;
}

const ExecutionRecord* History::execution(Phase phase, std::size_t index) const {
  for (const auto& execution : executions) {
    if (execution.phase == phase && execution.input_index == index) return &execution;
  }
  return nullptr;
}

std::vector<const ExecutionRecord*> History::executions_of(Phase phase, std::size_t index) const {
  std::vector<const ExecutionRecord*> found;
  for (const auto& execution : executions) {
    if (execution.phase == phase && execution.input_index == index) found.push_back(&execution);
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto* a, const auto* b) { return a->start < b->start; });
  return found;
}

const ExecutionRecord* History::execution(std::string_view arn) const {
  for (const auto& execution : executions) {
    if (execution.arn == arn) return &execution;
  }
  for (const auto& execution : child_executions) {
    if (execution.arn == arn) return &execution;
  }
  return nullptr;
}

std::vector<const TaskRecord*> History::tasks_of(std::string_view execution_arn) const {
  std::vector<const TaskRecord*> found;
  for (const auto& task : tasks) {
    if (task.execution_arn == execution_arn) found.push_back(&task);
  }
  std::stable_sort(found.begin(), found.end(), [](const auto* a, const auto* b) {
    return a->scheduled_event_id < b->scheduled_event_id;
  });
  return found;
}

const PhaseWindow* History::window(Phase phase) const {
  for (const auto& window : phases) {
    if (window.phase == phase) return &window;
  }
  return nullptr;
}

double to_epoch_seconds(TimePoint at) {
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
  return static_cast<double>(millis) / 1000.0;
}

TimePoint from_epoch_seconds(double seconds) {
  const auto millis = static_cast<std::int64_t>(std::llround(seconds * 1000.0));
  return TimePoint(
      std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(millis)));
}

}  // namespace loveless::history
