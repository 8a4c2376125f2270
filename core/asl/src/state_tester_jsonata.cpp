// TestState's evaluator: the steps of states whose QueryLanguage is JSONata
// (a Task's are in state_tester.cpp). AWS's inspectionData for them holds
// `input`, a Task's `afterArguments` and `result`, and `variables` (recorded
// in LocalStack's test_state snapshots).

#include <optional>

#include "state_tester.hpp"

namespace loveless::asl::detail {

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

}  // namespace loveless::asl::detail
