// TestState's evaluator: Map and Parallel states, which AWS's TestState runs
// on a mock only: their input processing, MaxConcurrency and tolerated
// failure thresholds are evaluated, and the mock stands for what their
// iterations or branches returned (recorded in LocalStack's test_state
// snapshots).

#include <string>
#include <utility>
#include <vector>

#include "loveless/asl/errors.hpp"

#include "state_tester.hpp"

namespace loveless::asl::detail {

namespace {

// AWS's error and cause when mapIterationFailureCount crosses a Map's
// tolerated failure threshold, as recorded.
constexpr const char* kExceededError = "States.ExceedToleratedFailureThreshold";
constexpr const char* kExceededCause = "The specified tolerated failure threshold was exceeded";

}  // namespace

json StateTester::mocked_result() {
  const TestTaskOutcome& mock = *request_.mock;
  if (!mock.succeeded) throw StatesError(mock.error, mock.cause);
  return mock.result;
}

void StateTester::evaluate_parallel(const State& s) {
  if (s.jsonata) {
    // Arguments are evaluated for their errors; AWS shows no afterArguments.
    const json bindings = impl_.jsonata_bindings(run_, nullptr, nullptr);
    if (s.arguments != nullptr) {
      impl_.evaluate_jsonata_template(run_, *s.arguments, bindings, "Arguments");
    }
    const json result = mocked_result();
    return jsonata_finish(s, &result, Execution::Impl::next_of(s));
  }
  // AWS shows no afterInputPath for a Parallel state.
  json scratch;
  const json& effective = impl_.effective_input(run_, s, scratch);
  if (s.parameters != nullptr) impl_.evaluate_template(run_, *s.parameters, effective);
  finish_with_result(s, mocked_result());
}

void StateTester::evaluate_map(const State& s) {
  if (s.jsonata) return jsonata_map(s);
  jsonpath_map(s);
}

void StateTester::jsonpath_map(const State& s) {
  const json effective = effective_input(s);
  json items;
  if (s.item_reader == nullptr) {
    items = impl_.map_items(run_, s, effective);
    inspect("afterItemsPath", items);
  } else if (request_.map_item_reader_data) {
    items = *request_.map_item_reader_data;
  }
  if (s.parameters != nullptr && items.is_array()) {
    const auto inputs = impl_.select_items(run_, s, std::move(items), effective);
    inspect("afterItemSelector", json(inputs));
  }
  const std::int64_t max_concurrency = impl_.jsonpath_max_concurrency(run_, s, effective);
  finish_with_result(s, map_outcome(s, max_concurrency, &effective, nullptr));
}

void StateTester::jsonata_map(const State& s) {
  std::int64_t max_concurrency = s.max_concurrency;
  if (s.item_reader == nullptr) {
    impl_.jsonata_map_inputs(run_, s, max_concurrency);
  } else if (request_.map_item_reader_data) {
    impl_.jsonata_map_inputs(run_, s, max_concurrency, &*request_.map_item_reader_data);
  } else if (s.max_concurrency_expression != nullptr) {
    const json bindings = impl_.jsonata_bindings(run_, nullptr, nullptr);
    max_concurrency = impl_.jsonata_whole_number(run_, *s.max_concurrency_expression, bindings,
                                                 "MaxConcurrency", true);
  }
  const json bindings = impl_.jsonata_bindings(run_, nullptr, nullptr);
  const json result = map_outcome(s, max_concurrency, nullptr, &bindings);
  jsonata_finish(s, &result, Execution::Impl::next_of(s));
}

json StateTester::map_outcome(const State& s, std::int64_t max_concurrency, const json* effective,
                              const json* bindings) {
  inspect("maxConcurrency", max_concurrency);
  const FailureTolerance tolerance = impl_.failure_tolerance(run_, s, effective, bindings);
  if (!tolerance.error_cause.empty()) {
    throw StatesError(std::string(error_names::kRuntime), tolerance.error_cause);
  }
  if (tolerance.count) inspect("toleratedFailureCount", *tolerance.count);
  if (tolerance.percentage) inspect("toleratedFailurePercentage", *tolerance.percentage);
  json result = mocked_result();
  // Recorded on AWS: failed iterations fail a Map that declares a threshold
  // and crosses it; one that declares none succeeds on its mocked result.
  const bool declared = tolerance.count.has_value() || tolerance.percentage.has_value();
  const auto failed = static_cast<std::size_t>(request_.map_iteration_failure_count);
  const std::size_t total = result.is_array() ? result.size() : failed;
  if (declared && tolerance.exceeded(failed, total)) {
    throw StatesError(kExceededError, kExceededCause);
  }
  return result;
}

}  // namespace loveless::asl::detail
