// TestState's evaluator: states whose QueryLanguage is JSONata. AWS's
// inspectionData for them holds `input`, a Task's `afterArguments` and
// `result`, and `variables` (recorded in LocalStack's test_state snapshots).

#include <optional>
#include <utility>

#include "loveless/asl/errors.hpp"

#include "execution_util.hpp"
#include "state_tester.hpp"

namespace loveless::asl::detail {

void StateTester::evaluate_jsonata(const State& s) {
  switch (s.type) {
    case StateType::kPass:
      return jsonata_finish(s, nullptr, Execution::Impl::next_of(s));
    case StateType::kTask:
      return jsonata_task(s);
    case StateType::kChoice:
      return jsonata_choice(s);
    case StateType::kWait:
      return jsonata_wait(s);
    case StateType::kSucceed:
      return jsonata_finish(s, nullptr, std::nullopt);
    case StateType::kFail:
      return evaluate_fail(s);
    case StateType::kParallel:
      return evaluate_parallel(s);
    case StateType::kMap:
      return evaluate_map(s);
  }
}

void StateTester::jsonata_finish(const State& s, const json* result,
                                 std::optional<std::size_t> next) {
  const json bindings = impl_.jsonata_bindings(run_, result, nullptr);
  const json& fallback = result != nullptr ? *result : run_.input;
  if (s.assign != nullptr) impl_.prepare_assign(run_, *s.assign, &bindings, fallback);
  succeed(s, impl_.jsonata_output(run_, s.output, bindings, fallback), next);
}

void StateTester::jsonata_choice(const State& s) {
  const json bindings = impl_.jsonata_bindings(run_, nullptr, nullptr);
  const auto choice = impl_.choose_jsonata(run_, s, bindings);
  if (choice.assign != nullptr) impl_.prepare_assign(run_, *choice.assign, &bindings, run_.input);
  succeed(s, impl_.jsonata_output(run_, choice.output, bindings, run_.input), choice.target);
}

void StateTester::jsonata_wait(const State& s) {
  // Seconds and Timestamp are evaluated and checked as in an execution; AWS's
  // TestState does not wait.
  if (s.seconds_expression != nullptr || s.timestamp_expression != nullptr) {
    impl_.jsonata_wait_due(run_, s, host_.now());
  }
  jsonata_finish(s, nullptr, Execution::Impl::next_of(s));
}

void StateTester::jsonata_task(const State& s) {
  run_.task_token = make_task_token(request_.info.execution_arn, 1, host_.random());
  prepare_context(s);
  const TaskRequest task = impl_.task_request(run_, s, 1, false);
  inspect("afterArguments", task.input);
  const TestTaskOutcome outcome = task_outcome(task);
  if (!outcome.succeeded) return fail(s, Failure::of(outcome.error, outcome.cause));
  inspect("result", outcome.result);
  jsonata_finish(s, &outcome.result, Execution::Impl::next_of(s));
}

}  // namespace loveless::asl::detail
