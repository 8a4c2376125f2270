#include <string>

#include "loveless/injectors/fault_types.hpp"
#include "loveless/injectors/injector.hpp"

#include "duration_text.hpp"

namespace loveless::injectors {
namespace {

std::string scope(const std::string& pool) { return pool.empty() ? "" : " of " + pool; }

std::string target_text(const TargetSpec& target) {
  switch (target.kind) {
    case TargetKind::kTaskWorker:
      return "the task's worker";
    case TargetKind::kPool:
      return "every worker of " + target.pool;
    case TargetKind::kAllWorkers:
      return "every worker" + scope(target.pool);
    case TargetKind::kRandomWorkers:
      return target.count == 1
                 ? "a random worker" + scope(target.pool)
                 : std::to_string(target.count) + " random workers" + scope(target.pool);
    case TargetKind::kPercentWorkers: {
      auto percent = std::to_string(target.percent);
      percent.erase(percent.find_last_not_of('0') + 1);
      if (!percent.empty() && percent.back() == '.') percent.pop_back();
      return percent + "% of the workers" + scope(target.pool);
    }
  }
  return "?";
}

std::string trigger_text(const TriggerSpec& trigger) {
  const std::string where = trigger.match.empty() ? "" : " in " + trigger.match;
  std::string text;
  switch (trigger.kind) {
    case TriggerKind::kAt:
      text = "at +" + millis(trigger.at);
      break;
    case TriggerKind::kEvery:
      text = "every " + millis(trigger.interval);
      if (trigger.jitter.count() != 0) text += " (jitter " + millis(trigger.jitter) + ")";
      break;
    case TriggerKind::kTaskStarted:
      text = "when a task starts" + where;
      break;
    case TriggerKind::kTaskEnded:
      text = "when a task ends" + where;
      break;
    case TriggerKind::kStateEntered:
      text = "when an execution enters " + trigger.match;
      break;
  }
  if (trigger.delay.count() != 0) text += ", after " + millis(trigger.delay);
  if (trigger.probability < 1.0) {
    text += ", with probability " + std::to_string(trigger.probability).substr(0, 4);
  }
  if (trigger.max_firings != std::numeric_limits<int>::max()) {
    text += ", at most " + std::to_string(trigger.max_firings) + " times";
  }
  return text;
}

}  // namespace

std::string describe(const InjectorSpec& spec) {
  return fault_definition(spec.fault).describe(spec) + " " + target_text(spec.target) + " " +
         trigger_text(spec.trigger);
}

}  // namespace loveless::injectors
