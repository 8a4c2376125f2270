// TestState: one state evaluated once, with the interpreter's own input and
// output processing (Execution::Impl's helpers), reporting each step's value.

#include "loveless/asl/test_state.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>

#include "loveless/asl/choice_rules.hpp"
#include "loveless/asl/error_matching.hpp"
#include "loveless/asl/errors.hpp"
#include "loveless/asl/json_path.hpp"

#include "compiled_machine.hpp"
#include "execution_impl.hpp"
#include "execution_util.hpp"

namespace loveless::asl {

namespace {

void add_transition(const json& value, std::set<std::string>& targets) {
  if (value.is_string()) targets.insert(value.get<std::string>());
}

/// The state names `state` transitions to.
std::set<std::string> transition_targets(const json& state) {
  std::set<std::string> targets;
  if (!state.is_object()) return targets;
  if (const auto it = state.find("Next"); it != state.end()) add_transition(*it, targets);
  if (const auto it = state.find("Default"); it != state.end()) add_transition(*it, targets);
  for (const char* list : {"Choices", "Catch"}) {
    const auto it = state.find(list);
    if (it == state.end() || !it->is_array()) continue;
    for (const auto& item : *it) {
      if (item.is_object() && item.contains("Next")) add_transition(item["Next"], targets);
    }
  }
  return targets;
}

/// Where a state lives in the compiled definition.
struct Located {
  const detail::Machine* machine = nullptr;
  std::size_t index = 0;
};

std::optional<Located> locate(const detail::Machine& machine, std::string_view name) {
  for (std::size_t i = 0; i < machine.states.size(); ++i) {
    const auto& state = machine.states[i];
    if (state.name == name) return Located{&machine, i};
    for (const auto& branch : state.branches) {
      if (auto found = locate(*branch, name)) return found;
    }
    if (state.processor) {
      if (auto found = locate(*state.processor, name)) return found;
    }
  }
  return std::nullopt;
}

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

}  // namespace

std::shared_ptr<const Definition> lone_state_definition(const json& state) {
  if (!state.is_object()) throw InvalidDefinition("/", "a state must be a JSON object");
  const std::string name(kLoneStateName);
  json states = json::object();
  states[name] = state;
  for (const auto& target : transition_targets(state)) {
    if (target != name) states[target] = json{{"Type", "Succeed"}};
  }
  return Definition::from_json(json{{"StartAt", name}, {"States", std::move(states)}});
}

std::optional<TestedState> find_tested_state(const std::shared_ptr<const Definition>& definition,
                                             std::string_view state_name) {
  const auto compiled = detail::compile_definition(definition);
  const auto found = locate(compiled->root, state_name);
  if (!found) return std::nullopt;
  const auto& state = found->machine->states[found->index];
  return TestedState{std::string(detail::type_name(state.type)), state.resource,
                     state.resource_kind, state.jsonata};
}

namespace detail {

/// Runs one state through an Execution's Impl, step by step.
class StateTester {
 public:
  StateTester(const TestStateRequest& request, const TestTaskRunner& run_task, RandomSource& random,
              TimePoint now)
      : request_(request),
        run_task_(run_task),
        host_(random, now),
        execution_(request.definition, request.info, request.input, host_),
        impl_(*execution_.impl_) {}

  TestStateResult run() {
    if (!impl_.compiled) throw std::invalid_argument(impl_.compile_error);
    const auto found = locate(impl_.compiled->root, request_.state_name);
    if (!found) throw std::invalid_argument("State not found in definition");
    run_.machine = found->machine;
    run_.state = found->index;
    run_.input = request_.input;
    run_.entered_time = format_context_time(host_.now());
    const State& s = Execution::Impl::state_of(run_);
    if (s.type == StateType::kParallel || s.type == StateType::kMap) {
      throw std::invalid_argument("TestState does not run Parallel or Map states");
    }
    inspect("input", run_.input);
    try {
      impl_.set_state_context(run_, s);
      evaluate(s);
    } catch (const StatesError& e) {
      fail(s, Failure::of(e.error(), e.cause()));
    } catch (const JsonPathNoMatch& e) {
      fail(s, Failure::of(std::string(error_names::kRuntime), e.what()));
    }
    return std::move(result_);
  }

 private:
  void inspect(const char* key, const json& value) { result_.inspection_data[key] = value; }

  json effective_input(const State& s) {
    json scratch;
    const json& effective = impl_.effective_input(run_, s, scratch);
    json value = &effective == &scratch ? std::move(scratch) : effective;
    inspect("afterInputPath", value);
    return value;
  }

  void succeed(const State& s, json state_output, std::optional<std::size_t> next) {
    result_.status = "SUCCEEDED";
    result_.output = impl_.apply_output_path(run_, s, std::move(state_output));
    if (next) result_.next_state = run_.machine->states[*next].name;
  }

  /// ResultSelector, ResultPath, OutputPath, as `complete` does.
  void finish_with_result(const State& s, json result) {
    json selected = s.result_selector != nullptr
                        ? impl_.evaluate_template(*s.result_selector, result)
                        : std::move(result);
    inspect("afterResultSelector", selected);
    json combined = impl_.apply_result_path(run_, s.result_path, std::move(selected));
    inspect("afterResultPath", combined);
    succeed(s, std::move(combined), Execution::Impl::next_of(s));
  }

  void evaluate(const State& s) {
    switch (s.type) {
      case StateType::kPass:
        return evaluate_pass(s);
      case StateType::kTask:
        return evaluate_task(s);
      case StateType::kChoice:
        return evaluate_choice(s);
      case StateType::kWait:
        return evaluate_wait(s);
      case StateType::kSucceed:
        return succeed(s, effective_input(s), std::nullopt);
      case StateType::kFail:
        return evaluate_fail(s);
      case StateType::kParallel:
      case StateType::kMap:
        break;
    }
  }

  void evaluate_pass(const State& s) {
    if (s.result != nullptr) {
      // AWS's recordings: a Pass with Result shows the result, not the input's paths.
      inspect("result", *s.result);
      return finish_with_result(s, *s.result);
    }
    json effective = effective_input(s);
    json parameters =
        s.parameters != nullptr ? impl_.evaluate_template(*s.parameters, effective) : effective;
    inspect("afterParameters", parameters);
    finish_with_result(s, std::move(parameters));
  }

  void evaluate_choice(const State& s) {
    json effective = effective_input(s);
    std::optional<std::size_t> next;
    for (std::size_t i = 0; i < s.choices.size(); ++i) {
      if (evaluate_choice_rule(*s.choices[i], effective, impl_.context)) {
        next = s.choice_next[i];
        break;
      }
    }
    if (!next) next = s.default_next;
    if (!next) {
      throw StatesError(std::string(error_names::kNoChoiceMatched),
                        "No Choice Rules matched and no Default was specified");
    }
    succeed(s, std::move(effective), next);
  }

  /// Checks the wait's fields as `attempt_wait` does, but does not wait (AWS
  /// TestState returns at once).
  void evaluate_wait(const State& s) {
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
    succeed(s, std::move(effective), Execution::Impl::next_of(s));
  }

  void evaluate_fail(const State& s) {
    effective_input(s);
    result_.status = "FAILED";
    if (s.error) result_.error = *s.error;
    if (s.cause) result_.cause = *s.cause;
    if (s.error_path) result_.error = impl_.evaluate_dynamic(run_, *s.error_path, "ErrorPath");
    if (s.cause_path) result_.cause = impl_.evaluate_dynamic(run_, *s.cause_path, "CausePath");
  }

  void evaluate_task(const State& s) {
    run_.task_token = make_task_token(request_.info.execution_arn, 1, host_.random());
    impl_.set_state_context(run_, s);
    json effective = effective_input(s);
    TaskRequest task;
    task.task_id = 1;
    task.task_token = run_.task_token;
    task.kind = s.resource_kind;
    task.resource = s.resource;
    task.state_name = s.name;
    task.input =
        s.parameters != nullptr ? impl_.evaluate_template(*s.parameters, effective) : effective;
    inspect("afterParameters", task.input);
    task.timeout_seconds = impl_.resolve_seconds(run_, s.timeout_seconds, s.timeout_seconds_path,
                                                 effective, "TimeoutSecondsPath");
    task.heartbeat_seconds = impl_.resolve_seconds(
        run_, s.heartbeat_seconds, s.heartbeat_seconds_path, effective, "HeartbeatSecondsPath");
    const TestTaskOutcome outcome = request_.mock ? *request_.mock : run_task_(task);
    if (!outcome.succeeded) return fail(s, Failure::of(outcome.error, outcome.cause));
    inspect("result", outcome.result);
    finish_with_result(s, outcome.result);
  }

  /// Retry and Catch, as `handle_failure` applies them, reported instead of
  /// performed.
  void fail(const State& s, const Failure& failure) {
    result_.error = failure.error;
    result_.cause = failure.cause.value_or("");
    result_.output.reset();
    result_.next_state.reset();
    result_.status = "FAILED";
    if (s.type == StateType::kFail) return;
    json details = json::object();
    for (std::size_t i = 0; i < s.retriers.size(); ++i) {
      const Retrier& retrier = s.retriers[i];
      if (!error_equals_matches(*retrier.error_equals, failure.error, failure.heartbeat)) continue;
      details["retryIndex"] = i;
      if (request_.retrier_retry_count < retrier.max_attempts) {
        const double delay = retrier.delay_seconds(request_.retrier_retry_count);
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
      json error_output = failure.caught_output();
      result_.output = impl_.apply_result_path(run_, catcher.result_path, std::move(error_output));
      result_.next_state = run_.machine->states[catcher.next].name;
      result_.status = "CAUGHT_ERROR";
      break;
    }
    if (!details.empty()) result_.inspection_data["errorDetails"] = std::move(details);
  }

  const TestStateRequest& request_;
  const TestTaskRunner& run_task_;
  TestStateHost host_;
  Execution execution_;
  Execution::Impl& impl_;
  Run run_;
  TestStateResult result_;
};

}  // namespace detail

TestStateResult test_state(const TestStateRequest& request, const TestTaskRunner& run_task,
                           RandomSource& random, TimePoint now) {
  detail::StateTester tester(request, run_task, random, now);
  return tester.run();
}

}  // namespace loveless::asl
