#pragma once

// A deterministic ExecutionHost for interpreter tests: a virtual clock that
// jumps to the next due timer, a seeded random source, and a record of every
// task the execution scheduled or cancelled.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/asl/definition.hpp"
#include "loveless/asl/execution.hpp"

namespace loveless::asl::testing {

/// 2024-01-01T00:00:00Z: a fixed, readable start for the virtual clock.
inline constexpr std::int64_t kEpochStartSeconds = 1704067200;

inline TimePoint at_seconds(double seconds) {
  return TimePoint{Duration{static_cast<std::int64_t>(seconds * 1e6)}};
}

class VirtualHost final : public ExecutionHost {
 public:
  explicit VirtualHost(std::uint64_t seed = 42) : random_(seed) {}

  void attach(Execution& execution) { execution_ = &execution; }

  TimePoint now() override { return now_; }
  RandomSource& random() override { return random_; }
  void schedule_task(const TaskRequest& request) override {
    if (throw_on_schedule) throw std::runtime_error("queue unavailable");
    scheduled.push_back(request);
  }
  std::string resource_problem(const TaskRequest& request) override {
    (void)request;
    return resource_problem_text;
  }
  void cancel_task(std::uint64_t task_id) override { cancelled_tasks.push_back(task_id); }
  void start_timer(std::uint64_t timer_id, TimePoint due) override {
    timers_.emplace(std::make_pair(due, timer_id));
    started_timers.emplace_back(timer_id, due);
  }
  void cancel_timer(std::uint64_t timer_id) override {
    for (auto it = timers_.begin(); it != timers_.end(); ++it) {
      if (it->second == timer_id) {
        timers_.erase(it);
        return;
      }
    }
  }

  /// Seconds elapsed on the virtual clock since the start.
  [[nodiscard]] double elapsed() const {
    return static_cast<double>((now_ - at_seconds(kEpochStartSeconds)).count()) / 1e6;
  }
  void advance(double seconds) { now_ += Duration{static_cast<std::int64_t>(seconds * 1e6)}; }
  [[nodiscard]] bool has_timers() const { return !timers_.empty(); }
  [[nodiscard]] std::optional<TimePoint> next_due() const {
    if (timers_.empty()) return std::nullopt;
    return timers_.begin()->first;
  }

  /// Moves the clock to the earliest pending timer and fires it. False when
  /// no timer is pending.
  bool fire_next_timer() {
    if (timers_.empty()) return false;
    const auto [due, id] = *timers_.begin();
    timers_.erase(timers_.begin());
    if (due > now_) now_ = due;
    execution_->timer_fired(id);
    return true;
  }

  /// Fires timers due within `seconds` from now, then moves the clock there.
  void run_for(double seconds) {
    const TimePoint until = now_ + Duration{static_cast<std::int64_t>(seconds * 1e6)};
    while (!timers_.empty() && timers_.begin()->first <= until) fire_next_timer();
    now_ = until;
  }

  /// The most recently scheduled task.
  const TaskRequest& last_task() const { return scheduled.back(); }

  bool throw_on_schedule = false;
  /// What resource_problem() answers for every task ("" : none).
  std::string resource_problem_text;
  std::vector<TaskRequest> scheduled;
  std::vector<std::uint64_t> cancelled_tasks;
  std::vector<std::pair<std::uint64_t, TimePoint>> started_timers;

 private:
  TimePoint now_ = at_seconds(kEpochStartSeconds);
  SeededRandom random_;
  std::set<std::pair<TimePoint, std::uint64_t>> timers_;
  Execution* execution_ = nullptr;
};

inline ExecutionInfo test_info() {
  return ExecutionInfo{
      "arn:aws:states:us-east-1:123456789012:execution:Machine:run-1",
      "run-1",
      "arn:aws:states:us-east-1:123456789012:stateMachine:Machine",
      "Machine",
      "arn:aws:iam::123456789012:role/StepFunctionsRole",
  };
}

/// A host and an execution of `definition_text` on `input`, ready to start.
struct Harness {
  explicit Harness(const std::string& definition_text,
                   nlohmann::json input = nlohmann::json::object(), std::uint64_t seed = 42)
      : host(seed),
        execution(Definition::parse(definition_text), test_info(), std::move(input), host) {
    host.attach(execution);
  }

  /// Starts the execution and fires timers until none is left or it ends.
  void run_to_end() {
    execution.start();
    while (execution.status() == ExecutionStatus::kRunning && host.fire_next_timer()) {
    }
  }

  /// The event types of the history, in order.
  [[nodiscard]] std::vector<std::string> types() const {
    std::vector<std::string> out;
    for (const auto& event : execution.history()) out.push_back(event.type);
    return out;
  }

  /// The first event of `type`, or nullptr.
  [[nodiscard]] const HistoryEvent* find(const std::string& type, int occurrence = 0) const {
    for (const auto& event : execution.history()) {
      if (event.type == type && occurrence-- == 0) return &event;
    }
    return nullptr;
  }

  [[nodiscard]] int count(const std::string& type) const {
    int n = 0;
    for (const auto& event : execution.history()) n += event.type == type ? 1 : 0;
    return n;
  }

  VirtualHost host;
  Execution execution;
};

}  // namespace loveless::asl::testing
