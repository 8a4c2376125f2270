// TestState's evaluator: the steps every state shares (context, failure,
// Retry and Catch reported) and the JSONPath states.

#include "state_tester.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "loveless/asl/choice_rules.hpp"
#include "loveless/asl/error_matching.hpp"
#include "loveless/asl/errors.hpp"
#include "loveless/asl/json_path.hpp"

#include "execution_util.hpp"

namespace loveless::asl::detail {

namespace {

/// The largest backoff TestState reports, so that llround stays defined.
constexpr double kMaxBackoffSeconds = 1e15;

}  // namespace

StateTester::StateTester(const TestStateRequest& request, const TestTaskRunner& run_task,
                         RandomSource& random, TimePoint now)
    : request_(request),
      run_task_(run_task),
      host_(random, now),
      execution_(request.definition, request.info, request.input, host_),
      impl_(*execution_.impl_) {}

TestStateResult StateTester::run() {
  if (!impl_.compiled) throw std::invalid_argument(impl_.compile_error);
  const auto found = locate_state(impl_.compiled->root, request_.state_name);
  if (!found) throw std::invalid_argument("State not found in definition");
  run_.machine = found->machine;
  run_.state = found->index;
  run_.input = request_.input;
  run_.variables = request_.variables;
  run_.entered_time = format_context_time(host_.now());
  const State& s = Execution::Impl::state_of(run_);
  if ((s.type == StateType::kParallel || s.type == StateType::kMap) && !request_.mock) {
    throw std::invalid_argument("TestState runs a Parallel or Map state on a mock only");
  }
  inspect("input", run_.input);
  // Before the context is made: `$$.Task.Token` of a callback Task.
  if (s.type == StateType::kTask) {
    run_.task_token = make_task_token(request_.info.execution_arn, 1, host_.random());
  }
  try {
    prepare_context(s);
    evaluate(s);
  } catch (const StatesError& e) {
    fail(s, Failure::of(e.error(), e.cause()));
  } catch (const JsonPathNoMatch& e) {
    fail(s, Failure::of(std::string(error_names::kRuntime), e.what()));
  }
  if (!run_.variables.empty()) inspect("variables", run_.variables);
  return std::move(result_);
}

void StateTester::prepare_context(const State& s) {
  if (request_.context) {
    impl_.context = *request_.context;
    return;
  }
  impl_.set_state_context(run_, s);
  // Recorded on AWS: the State is named "StateName" whatever the state's
  // name, Execution has no RedriveCount and its RoleArn is null when no role
  // was given, and only a callback Task has a Task (its token).
  impl_.context["State"]["Name"] = std::string(kLoneStateName);
  impl_.context["Execution"].erase("RedriveCount");
  if (request_.info.role_arn.empty()) impl_.context["Execution"]["RoleArn"] = nullptr;
  if (!s.resource.ends_with(".waitForTaskToken")) impl_.context.erase("Task");
}

void StateTester::evaluate(const State& s) {
  const auto next = Execution::Impl::next_of(s);
  switch (s.type) {
    case StateType::kPass:
      return s.jsonata ? jsonata_finish(s, nullptr, next) : evaluate_pass(s);
    case StateType::kTask:
      return evaluate_task(s);
    case StateType::kChoice:
      return s.jsonata ? jsonata_choice(s) : evaluate_choice(s);
    case StateType::kWait:
      return s.jsonata ? jsonata_wait(s) : evaluate_wait(s);
    case StateType::kSucceed:
      return s.jsonata ? jsonata_finish(s, nullptr, std::nullopt)
                       : succeed(s, effective_input(s), std::nullopt);
    case StateType::kFail:
      return evaluate_fail(s);
    case StateType::kParallel:
      return evaluate_parallel(s);
    case StateType::kMap:
      return evaluate_map(s);
  }
}

json StateTester::effective_input(const State& s) {
  json scratch;
  const json& effective = impl_.effective_input(run_, s, scratch);
  json value = &effective == &scratch ? std::move(scratch) : effective;
  inspect("afterInputPath", value);
  return value;
}

void StateTester::succeed(const State& s, json state_output, std::optional<std::size_t> next) {
  json output = s.jsonata ? std::move(state_output)
                          : impl_.apply_output_path(run_, s, std::move(state_output));
  impl_.apply_assign(run_);
  result_.status = "SUCCEEDED";
  result_.output = std::move(output);
  if (next) result_.next_state = run_.machine->states[*next].name;
}

void StateTester::finish_with_result(const State& s, json result) {
  json selected = s.result_selector != nullptr
                      ? impl_.evaluate_template(run_, *s.result_selector, result)
                      : std::move(result);
  inspect("afterResultSelector", selected);
  // Recorded on AWS: a JSONPath Assign's `$` is the result after ResultSelector.
  if (s.assign != nullptr) impl_.prepare_assign(run_, *s.assign, nullptr, selected);
  json combined = impl_.apply_result_path(run_, s.result_path, std::move(selected));
  inspect("afterResultPath", combined);
  succeed(s, std::move(combined), Execution::Impl::next_of(s));
}

void StateTester::evaluate_pass(const State& s) {
  if (s.result != nullptr) {
    // AWS's recordings: a Pass with Result shows the result, not the input's paths.
    inspect("result", *s.result);
    return finish_with_result(s, *s.result);
  }
  json effective = effective_input(s);
  json parameters =
      s.parameters != nullptr ? impl_.evaluate_template(run_, *s.parameters, effective) : effective;
  inspect("afterParameters", parameters);
  finish_with_result(s, std::move(parameters));
}

void StateTester::evaluate_choice(const State& s) {
  json effective = effective_input(s);
  std::optional<std::size_t> next;
  const json* assign = s.assign;
  for (std::size_t i = 0; i < s.choices.size(); ++i) {
    if (evaluate_choice_rule(*s.choices[i], effective, impl_.context, &run_.variables)) {
      next = s.choice_next[i];
      if (const auto it = s.choices[i]->find("Assign"); it != s.choices[i]->end()) assign = &*it;
      break;
    }
  }
  const std::size_t target = impl_.choice_or_default(run_, s, next);
  if (assign != nullptr) impl_.prepare_assign(run_, *assign, nullptr, effective);
  succeed(s, std::move(effective), target);
}

void StateTester::evaluate_wait(const State& s) {
  // The wait's fields are checked as `attempt_wait` does, but AWS's TestState
  // returns at once.
  json effective = effective_input(s);
  if (s.seconds_path) {
    const json value = impl_.evaluate_path(run_, *s.seconds_path, effective);
    if (!as_whole_seconds(value, true)) {
      throw StatesError(
          std::string(error_names::kRuntime),
          "The SecondsPath parameter '" + s.seconds_path->text() +
              "' does not reference a valid non-negative integer value: " + value.dump());
    }
  } else if (s.timestamp_path) {
    const json value = impl_.evaluate_path(run_, *s.timestamp_path, effective);
    if (!value.is_string() || !parse_timestamp(value.get<std::string>())) {
      throw StatesError(std::string(error_names::kRuntime),
                        "The TimestampPath parameter '" + s.timestamp_path->text() +
                            "' does not reference a valid ISO-8601 extended offset date-time "
                            "format string: " +
                            value.dump());
    }
  }
  if (s.assign != nullptr) impl_.prepare_assign(run_, *s.assign, nullptr, effective);
  succeed(s, std::move(effective), Execution::Impl::next_of(s));
}

void StateTester::evaluate_fail(const State& s) {
  if (!s.jsonata) effective_input(s);
  const Failure failure = impl_.fail_state_failure(run_, s);
  result_.status = "FAILED";
  result_.error = failure.error;
  result_.cause = failure.cause.value_or("");
}

TestTaskOutcome StateTester::task_outcome(const TaskRequest& task) {
  return request_.mock ? *request_.mock : run_task_(task);
}

void StateTester::evaluate_task(const State& s) {
  if (!s.jsonata) effective_input(s);
  // run() made the token and the context already.
  const TaskRequest task = impl_.task_request(run_, s, 1, false);
  inspect(s.jsonata ? "afterArguments" : "afterParameters", task.input);
  const TestTaskOutcome outcome = task_outcome(task);
  if (!outcome.succeeded) return fail(s, Failure::of(outcome.error, outcome.cause));
  inspect("result", outcome.result);
  if (s.jsonata) return jsonata_finish(s, &outcome.result, Execution::Impl::next_of(s));
  finish_with_result(s, outcome.result);
}

void StateTester::fail(const State& s, const Failure& failure) {
  result_.error = failure.error;
  result_.cause = failure.cause.value_or("");
  result_.output.reset();
  result_.next_state.reset();
  result_.status = "FAILED";
  run_.pending_assign.reset();
  if (s.type == StateType::kFail) return;
  json details = json::object();
  for (std::size_t i = 0; i < s.retriers.size(); ++i) {
    const Retrier& retrier = s.retriers[i];
    if (!error_equals_matches(*retrier.error_equals, failure.error, failure.heartbeat)) continue;
    details["retryIndex"] = i;
    if (request_.retrier_retry_count < retrier.max_attempts) {
      // Bounded before rounding: BackoffRate 2 over a large retrierRetryCount
      // without MaxDelaySeconds overflows a double's range of whole numbers.
      const double delay =
          std::min(retrier.delay_seconds(request_.retrier_retry_count), kMaxBackoffSeconds);
      details["retryBackoffIntervalSeconds"] = static_cast<std::int64_t>(std::llround(delay));
      result_.status = "RETRIABLE";
      result_.inspection_data["errorDetails"] = std::move(details);
      return;
    }
    break;
  }
  for (std::size_t i = 0; i < s.catchers.size(); ++i) {
    const Catcher& catcher = s.catchers[i];
    if (!error_equals_matches(*catcher.error_equals, failure.error, failure.heartbeat)) continue;
    details["catchIndex"] = i;
    try {
      catch_failure(s, catcher, failure);
    } catch (const StatesError& e) {
      // As in an execution: an error applying the catcher fails the state
      // without another round of Retry and Catch.
      result_.status = "FAILED";
      result_.error = e.error();
      result_.cause = e.cause();
      result_.output.reset();
      result_.next_state.reset();
    }
    break;
  }
  if (!details.empty()) result_.inspection_data["errorDetails"] = std::move(details);
}

void StateTester::catch_failure(const State& s, const Catcher& catcher, const Failure& failure) {
  json error_output = failure.caught_output();
  json output;
  if (s.jsonata) {
    const json bindings = impl_.jsonata_bindings(run_, nullptr, &error_output);
    if (catcher.assign != nullptr) {
      impl_.prepare_assign(run_, *catcher.assign, &bindings, error_output);
    }
    output = impl_.jsonata_output(run_, catcher.output, bindings, error_output);
  } else {
    if (catcher.assign != nullptr)
      impl_.prepare_assign(run_, *catcher.assign, nullptr, error_output);
    output = impl_.apply_result_path(run_, catcher.result_path, std::move(error_output));
  }
  impl_.apply_assign(run_);
  result_.output = std::move(output);
  result_.next_state = run_.machine->states[catcher.next].name;
  result_.status = "CAUGHT_ERROR";
}

}  // namespace loveless::asl::detail
