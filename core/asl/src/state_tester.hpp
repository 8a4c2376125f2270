#pragma once

// TestState's evaluator: one state run once through an Execution's Impl,
// step by step, keeping each step's value under the name AWS's
// inspectionData gives it (API_InspectionData).

#include <optional>
#include <string_view>

#include "loveless/asl/test_state.hpp"

#include "execution_impl.hpp"

namespace loveless::asl::detail {

/// Where a state lives in a compiled definition.
struct LocatedState {
  const Machine* machine = nullptr;
  std::size_t index = 0;
};

/// Finds `name` at the top level or inside a Parallel branch or a Map's
/// processor, at any depth.
std::optional<LocatedState> locate_state(const Machine& machine, std::string_view name);

/// The interpreter's host for one TestState call: the call's clock and
/// randomness; nothing is scheduled (Task work goes through the runner).
class TestStateHost final : public ExecutionHost {
 public:
  TestStateHost(RandomSource& random, TimePoint now) : random_(random), now_(now) {}
  TimePoint now() override { return now_; }
  RandomSource& random() override { return random_; }
  void schedule_task(const TaskRequest& /*request*/) override {}
  void cancel_task(std::uint64_t /*task_id*/) override {}
  void start_timer(std::uint64_t /*timer_id*/, TimePoint /*due*/) override {}
  void cancel_timer(std::uint64_t /*timer_id*/) override {}

 private:
  RandomSource& random_;
  TimePoint now_;
};

/// Runs `request.state_name` once. Steps that an execution would wait for
/// (a Wait's time, a Retry's delay) are reported instead of waited for; the
/// iterations of a Map and the branches of a Parallel are replaced by the
/// request's mock.
class StateTester {
 public:
  StateTester(const TestStateRequest& request, const TestTaskRunner& run_task, RandomSource& random,
              TimePoint now);

  TestStateResult run();

 private:
  using json = nlohmann::json;

  // ---- state_tester.cpp: shared steps and the JSONPath states -------------
  void inspect(const char* key, json value) { result_.inspection_data[key] = std::move(value); }
  /// `$$` as TestState makes it: the request's context as given, else the
  /// execution's with AWS's State.Name ("StateName") and a null RoleArn
  /// when no role was given.
  void prepare_context(const State& s);
  void evaluate(const State& s);
  json effective_input(const State& s);
  /// Ends the state: applies the Assign prepared, OutputPath (JSONPath).
  void succeed(const State& s, json state_output, std::optional<std::size_t> next);
  /// ResultSelector, Assign, ResultPath and OutputPath, as `complete` does.
  void finish_with_result(const State& s, json result);
  void evaluate_pass(const State& s);
  void evaluate_choice(const State& s);
  void evaluate_wait(const State& s);
  void evaluate_fail(const State& s);
  void evaluate_task(const State& s);
  /// The mock, else the runner's outcome of `task`.
  TestTaskOutcome task_outcome(const TaskRequest& task);
  /// Retry and Catch, as `handle_failure` applies them, reported instead of performed.
  void fail(const State& s, const Failure& failure);
  void catch_failure(const State& s, const Catcher& catcher, const Failure& failure);

  // ---- state_tester_jsonata.cpp -------------------------------------------
  void jsonata_choice(const State& s);
  void jsonata_wait(const State& s);
  /// Assign and Output with `$states.result` bound (when `result` is set).
  void jsonata_finish(const State& s, const json* result, std::optional<std::size_t> next);

  // ---- state_tester_branches.cpp: Map and Parallel on a mock ----------------
  void evaluate_parallel(const State& s);
  void evaluate_map(const State& s);
  void jsonpath_map(const State& s);
  void jsonata_map(const State& s);
  /// maxConcurrency and the tolerated failure thresholds, inspected; then
  /// the mock's error, the threshold that mapIterationFailureCount crosses,
  /// or the mocked result.
  json map_outcome(const State& s, std::int64_t max_concurrency, const json* effective,
                   const json* bindings);
  /// The mock's result, or its error as the state's failure (thrown).
  json mocked_result();

  const TestStateRequest& request_;
  const TestTaskRunner& run_task_;
  TestStateHost host_;
  Execution execution_;
  Execution::Impl& impl_;
  Run run_;
  TestStateResult result_;
};

}  // namespace loveless::asl::detail
