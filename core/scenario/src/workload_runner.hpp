#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/history/history.hpp"
#include "loveless/scenario/scenario_stack.hpp"

namespace loveless::scenario::detail {

/// How one phase's executions are started.
struct PhasePlan {
  history::Phase phase = history::Phase::kControl;
  std::string workflow;
  std::string state_machine_arn;
  const std::vector<nlohmann::json>* inputs = nullptr;
  /// Execution i runs input `i % input_cycle` (0: all the inputs).
  std::size_t input_cycle = 0;
  /// Each round of the cycle starts one input later: execution i runs input
  /// `(i + i / cycle) % cycle`. The warm phase of a scenario judged by
  /// no_local_state_reliance: with as many workers as inputs, refilling the
  /// slot an execution frees gave every worker the same input forever, so
  /// no worker ever saw a second input (a cache keyed by a field two inputs
  /// share went unexercised).
  bool rotate_rounds = false;
  int count = 1;
  int concurrency = 1;
  double rate = 0;
  /// Keep starting until this much time has passed (instead of `count`).
  std::optional<std::chrono::milliseconds> duration;
  std::chrono::steady_clock::time_point deadline;
};

/// One execution the runner started (or failed to start).
struct StartedExecution {
  history::Phase phase = history::Phase::kControl;
  std::size_t input_index = 0;
  std::string workflow;
  std::string name;
  std::string arn;
  nlohmann::json input;
  /// Empty when StartExecution succeeded; else its error.
  std::string start_error;
};

/// Starts a phase's executions at the plan's concurrency (and rate), and
/// waits for them to close: told by `closed` (live notices) when the stack
/// has them, else by polling DescribeExecution.
///
/// Thread-safety: `closed` from any thread; `run` from one.
class WorkloadRunner {
 public:
  WorkloadRunner(ScenarioStack& stack, const std::atomic<bool>* interrupted, std::ostream* console);
  /// With live notices `closed` tells when executions end; without, `run` polls.
  void use_live_notices(bool live) { live_notices_ = live; }

  /// Runs one phase; returns every execution it started, in start order.
  /// `progress` is called about once a second with (done, started).
  std::vector<StartedExecution> run(const PhasePlan& plan,
                                    const std::function<std::string()>& fault_summary);
  /// The engine reports that `execution_arn` closed.
  void closed(const std::string& execution_arn);
  /// True when the last `run` ended by the deadline or an interrupt with
  /// executions still open.
  [[nodiscard]] bool cut_short() const { return cut_short_; }

 private:
  [[nodiscard]] bool stop_requested(std::chrono::steady_clock::time_point deadline) const;
  void poll_open(aws::JsonClient& client);
  /// Starts execution `index` of `plan` (its start_error set when the call
  /// fails) and counts it open, or done when its closing came first.
  StartedExecution start_execution(const PhasePlan& plan, std::size_t index,
                                   aws::JsonClient& client);
  void print_progress(const PhasePlan& plan, std::size_t started,
                      std::chrono::steady_clock::time_point begin,
                      const std::function<std::string()>& fault_summary);

  ScenarioStack& stack_;
  bool live_notices_ = false;
  const std::atomic<bool>* interrupted_;
  std::ostream* console_;
  bool cut_short_ = false;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::set<std::string> open_;
  /// Closed before StartExecution returned its ARN (the notice can win the race).
  std::set<std::string> closed_early_;
  std::size_t done_ = 0;
};

/// A valid execution name: `<phase>-<index>-<hint>`, 80 characters at most.
std::string execution_name(history::Phase phase, std::size_t index, const nlohmann::json& input);
/// The phase an execution ARN's name (`execution_name`) tells; kControl for
/// a name that starts with neither `chaos-` nor `cold-`.
history::Phase phase_of_execution(std::string_view execution_arn);

}  // namespace loveless::scenario::detail
