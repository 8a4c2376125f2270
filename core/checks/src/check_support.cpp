#include "check_support.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace loveless::checks::detail {

TimePoint origin_of(const history::History& history) {
  std::optional<TimePoint> origin;
  const auto consider = [&origin](TimePoint at) {
    if (!origin || at < *origin) origin = at;
  };
  for (const auto& window : history.phases) consider(window.start);
  if (!origin) {
    for (const auto& execution : history.executions) consider(execution.start);
  }
  if (!origin) {
    for (const auto& fault : history.faults) consider(fault.applied);
  }
  return origin.value_or(TimePoint{});
}

TimePoint round_ms(TimePoint at) {
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count();
  const auto millis = (micros >= 0 ? micros + 500 : micros - 500) / 1000;
  return TimePoint(
      std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(millis)));
}

bool struck_while_running(const history::FaultRecord& fault, const history::TaskRecord& task) {
  if (!fault.applied_ok || fault.worker.empty() || fault.worker != task.worker || !task.started) {
    return false;
  }
  // A fault that this task's own end triggered (disposable(), or a fault on
  // task ended) came after it, even when it lands within the millisecond
  // the history recorded for that end.
  if (task.ended && fault.execution_arn == task.execution_arn &&
      fault.state_name == task.state_name && round_ms(fault.triggered) >= *task.ended) {
    return false;
  }
  const auto at = round_ms(fault.applied);
  return *task.started <= at && (!task.ended || at <= *task.ended);
}

std::chrono::milliseconds milliseconds_between(TimePoint from, TimePoint to) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(to - from);
}

double relative_seconds(TimePoint at, TimePoint origin) {
  return static_cast<double>(milliseconds_between(origin, at).count()) / 1000.0;
}

std::string relative_time(TimePoint at, TimePoint origin) {
  const auto millis = milliseconds_between(origin, at).count();
  const auto tenths = static_cast<long long>(std::llround(static_cast<double>(millis) / 100.0));
  const char* sign = tenths < 0 ? "-" : "+";
  const auto magnitude = tenths < 0 ? -tenths : tenths;
  return std::string(sign) + std::to_string(magnitude / 10) + "." + std::to_string(magnitude % 10) +
         " s";
}

std::string format_duration(std::chrono::milliseconds duration) {
  const auto millis = duration.count();
  if (millis > -1000 && millis < 1000) return std::to_string(millis) + " ms";
  if (millis % 1000 == 0) return std::to_string(millis / 1000) + " s";
  const auto tenths = static_cast<long long>(std::llround(static_cast<double>(millis) / 100.0));
  const char* sign = tenths < 0 ? "-" : "";
  const auto magnitude = tenths < 0 ? -tenths : tenths;
  return std::string(sign) + std::to_string(magnitude / 10) + "." + std::to_string(magnitude % 10) +
         " s";
}

std::string execution_label(const history::ExecutionRecord& execution) {
  return std::string(history::to_string(execution.phase)) + " execution " +
         (execution.name.empty() ? execution.arn : execution.name);
}

nlohmann::json execution_data(const history::ExecutionRecord& execution) {
  return nlohmann::json{{"execution", execution.arn},
                        {"name", execution.name},
                        {"phase", history::to_string(execution.phase)},
                        {"input_index", execution.input_index},
                        {"status", execution.status}};
}

std::string task_label(const history::History& history, const history::TaskRecord& task) {
  const std::string state = task.state_name.empty() ? "a task" : task.state_name;
  if (const auto* execution = history.execution(task.execution_arn); execution != nullptr) {
    return state + " of " + execution_label(*execution);
  }
  return state + " of execution " + task.execution_arn;
}

nlohmann::json task_data(const history::TaskRecord& task, TimePoint origin) {
  nlohmann::json data = {{"execution", task.execution_arn},
                         {"state", task.state_name},
                         {"worker", task.worker},
                         {"pool", task.pool},
                         {"scheduled_event_id", task.scheduled_event_id},
                         {"outcome", history::to_string(task.outcome)}};
  if (task.started) data["started_s"] = relative_seconds(*task.started, origin);
  if (task.ended) data["ended_s"] = relative_seconds(*task.ended, origin);
  if (!task.error.empty()) data["error"] = task.error;
  return data;
}

std::string truncate(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return std::string(text);
  return std::string(text.substr(0, limit)) + "...";
}

std::string join_paths(const std::set<std::string>& paths) {
  std::string text;
  for (const auto& path : paths) text += (text.empty() ? "" : ", ") + path;
  return text;
}

std::string json_snippet(const nlohmann::json& value, std::size_t limit) {
  return truncate(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), limit);
}

void cap_evidence(std::vector<Evidence>& items, std::size_t limit, std::string_view what) {
  if (items.size() <= limit) return;
  const auto rest = items.size() - limit;
  items.resize(limit);
  items.push_back(
      {"... and " + std::to_string(rest) + " more " + std::string(what) + " (not listed)",
       nlohmann::json{{"omitted", rest}}});
}

}  // namespace loveless::checks::detail
