// Pass, Choice, Wait and Fail states, and the input/output processing all states share.

#include <optional>
#include <string>
#include <utility>

#include "loveless/asl/choice_rules.hpp"
#include "loveless/asl/errors.hpp"
#include "loveless/asl/intrinsics.hpp"
#include "loveless/asl/json_path.hpp"
#include "loveless/asl/payload_template.hpp"

#include "execution_impl.hpp"
#include "execution_util.hpp"
#include "json_text.hpp"

namespace loveless::asl {

json Execution::Impl::evaluate_path(const Run& run, const JsonPath& path, const json& data) const {
  try {
    return path.evaluate(data, context, &run.variables);
  } catch (const JsonPathNoMatch& e) {
    throw StatesError(std::string(error_names::kRuntime),
                      state_error_prefix(run) + "Invalid path '" + path.text() + "' : " + e.what());
  }
}

const json& Execution::Impl::effective_input(const Run& run, const State& s, json& scratch) const {
  switch (s.input_path.mode) {
    case PathField::Mode::kDefault:
      return run.input;
    case PathField::Mode::kNull:
      scratch = json::object();
      return scratch;
    case PathField::Mode::kPath:
      if (s.input_path.is_identity()) return run.input;
      scratch = evaluate_path(run, *s.input_path.path, run.input);
      return scratch;
  }
  return run.input;
}

json Execution::Impl::evaluate_template(const json& payload_template, const json& data) {
  return evaluate_payload_template(payload_template, data, context, host.random());
}

json Execution::Impl::evaluate_template(const Run& run, const json& payload_template,
                                        const json& data) {
  try {
    return evaluate_payload_template(payload_template, data, context, host.random(),
                                     &run.variables);
  } catch (const StatesError& e) {
    // AWS prefixes a state's States.Runtime causes with where it happened.
    if (e.error() != error_names::kRuntime) throw;
    throw StatesError(e.error(), state_error_prefix(run) + e.cause());
  }
}

json Execution::Impl::apply_result_path(const Run& run, const PathField& result_path,
                                        json result) const {
  switch (result_path.mode) {
    case PathField::Mode::kDefault:
      return result;
    case PathField::Mode::kNull:
      return run.input;
    case PathField::Mode::kPath: {
      if (result_path.is_identity()) return result;
      json target = run.input;
      try {
        result_path.path->assign(target, std::move(result));
      } catch (const JsonPathNoMatch&) {
        throw StatesError(std::string(error_names::kResultPathMatchFailure),
                          "Unable to apply ReferencePath " + result_path.path->text() +
                              " to input " + to_json_text(run.input));
      }
      return target;
    }
  }
  return result;
}

json Execution::Impl::apply_output_path(const Run& run, const State& s, json value) const {
  switch (s.output_path.mode) {
    case PathField::Mode::kDefault:
      return value;
    case PathField::Mode::kNull:
      return json::object();
    case PathField::Mode::kPath:
      if (s.output_path.is_identity()) return value;
      return evaluate_path(run, *s.output_path.path, value);
  }
  return value;
}

void Execution::Impl::attempt_pass(Run& run, const State& s) {
  if (s.jsonata) {
    const json bindings = jsonata_bindings(run, nullptr, nullptr);
    if (s.assign != nullptr) prepare_assign(run, *s.assign, &bindings, run.input);
    exit_state(run, jsonata_output(run, s.output, bindings, run.input), next_of(s));
    return;
  }
  json scratch;
  const json& effective = effective_input(run, s, scratch);
  json result;
  if (s.result != nullptr) {
    result = *s.result;
  } else if (s.parameters != nullptr) {
    result = evaluate_template(run, *s.parameters, effective);
  } else if (&effective == &scratch) {
    result = std::move(scratch);
  } else {
    result = effective;
  }
  // Recorded on AWS: a JSONPath Assign's `$` is the Pass state's result.
  if (s.assign != nullptr) prepare_assign(run, *s.assign, nullptr, result);
  json out = apply_result_path(run, s.result_path, std::move(result));
  exit_state(run, apply_output_path(run, s, std::move(out)), next_of(s));
}

std::size_t Execution::Impl::choice_or_default(const Run& run, const State& s,
                                               std::optional<std::size_t> chosen) const {
  if (chosen) return *chosen;
  if (s.default_next) return *s.default_next;
  throw StatesError(
      std::string(error_names::kNoChoiceMatched),
      state_error_prefix(run) + "No Choice Rules matched and no Default was specified");
}

Execution::Impl::JsonataChoice Execution::Impl::choose_jsonata(Run& run, const State& s,
                                                               const json& bindings) {
  JsonataChoice choice{0, s.assign, s.output};
  std::optional<std::size_t> next;
  for (std::size_t i = 0; i < s.choices.size(); ++i) {
    const json& rule = *s.choices[i];
    const std::string field = "Choices/" + std::to_string(i) + "/Condition";
    const json& condition = rule.at("Condition");
    const json value =
        expect_jsonata_type(run, condition, evaluate_jsonata(run, condition, bindings, field),
                            field, json::value_t::boolean, "boolean");
    if (value.get<bool>()) {
      next = s.choice_next[i];
      // A rule's own Assign and Output replace the state's.
      if (const auto it = rule.find("Assign"); it != rule.end()) choice.assign = &*it;
      if (const auto it = rule.find("Output"); it != rule.end()) choice.output = &*it;
      break;
    }
  }
  choice.target = choice_or_default(run, s, next);
  return choice;
}

void Execution::Impl::attempt_jsonata_choice(Run& run, const State& s) {
  const json bindings = jsonata_bindings(run, nullptr, nullptr);
  const JsonataChoice choice = choose_jsonata(run, s, bindings);
  if (choice.assign != nullptr) prepare_assign(run, *choice.assign, &bindings, run.input);
  exit_state(run, jsonata_output(run, choice.output, bindings, run.input), choice.target);
}

void Execution::Impl::attempt_choice(Run& run, const State& s) {
  if (s.jsonata) return attempt_jsonata_choice(run, s);
  json scratch;
  const json& effective = effective_input(run, s, scratch);
  std::optional<std::size_t> next;
  const json* assign = s.assign;
  for (std::size_t i = 0; i < s.choices.size(); ++i) {
    if (evaluate_choice_rule(*s.choices[i], effective, context, &run.variables)) {
      next = s.choice_next[i];
      if (const auto it = s.choices[i]->find("Assign"); it != s.choices[i]->end()) assign = &*it;
      break;
    }
  }
  const std::size_t target = choice_or_default(run, s, next);
  if (assign != nullptr) prepare_assign(run, *assign, nullptr, effective);
  exit_state(run, apply_output_path(run, s, effective), target);
}

json Execution::Impl::wait_path_value(const Run& run, const JsonPath& path, const json& data,
                                      const char* field) const {
  try {
    return path.evaluate(data, context, &run.variables);
  } catch (const JsonPathNoMatch&) {
    throw StatesError(std::string(error_names::kRuntime),
                      state_error_prefix(run) + "The " + field +
                          " parameter does not reference an input value: " + path.text());
  }
}

TimePoint Execution::Impl::jsonata_wait_due(Run& run, const State& s, TimePoint now) {
  const json bindings = jsonata_bindings(run, nullptr, nullptr);
  if (s.seconds_expression != nullptr) {
    const auto seconds =
        jsonata_whole_number(run, *s.seconds_expression, bindings, "Seconds", true);
    return now + seconds_to_duration(static_cast<double>(seconds));
  }
  if (s.timestamp_expression != nullptr) {
    const json value = evaluate_jsonata(run, *s.timestamp_expression, bindings, "Timestamp");
    const auto parsed =
        value.is_string() ? detail::parse_timestamp(value.get<std::string>()) : std::nullopt;
    if (!parsed) {
      // AWS's cause, as recorded (the value unquoted).
      throw query_failure(run, "Timestamp",
                          "The Timestamp field cannot be parsed as an ISO-8601 extended offset "
                          "date-time format string: " +
                              raw_text(value),
                          true);
    }
    return *parsed;
  }
  return now;
}

void Execution::Impl::attempt_wait(Run& run, const State& s) {
  json scratch;
  const json& effective = s.jsonata ? run.input : effective_input(run, s, scratch);
  const TimePoint now = host.now();
  TimePoint due = now;
  if (s.jsonata && (s.seconds_expression != nullptr || s.timestamp_expression != nullptr)) {
    due = jsonata_wait_due(run, s, now);
  } else if (s.seconds) {
    due = now + seconds_to_duration(static_cast<double>(*s.seconds));
  } else if (s.timestamp) {
    const auto parsed = detail::parse_timestamp(*s.timestamp);
    if (!parsed) {
      throw StatesError(std::string(error_names::kRuntime),
                        state_error_prefix(run) + "Invalid timestamp '" + *s.timestamp + "'");
    }
    due = *parsed;
  } else if (s.seconds_path) {
    // The causes are AWS's, as recorded: "<field> parameter <problem>: <path> == <value>".
    const json value = wait_path_value(run, *s.seconds_path, effective, "SecondsPath");
    const std::string quoted = s.seconds_path->text() + " == " + raw_text(value);
    const auto seconds = as_whole_seconds(value, true);
    if (!seconds) {
      const bool negative_integer =
          value.is_number_integer() && !value.is_number_unsigned() && value.get<std::int64_t>() < 0;
      throw StatesError(std::string(error_names::kRuntime),
                        state_error_prefix(run) + "The SecondsPath parameter " +
                            (negative_integer ? "references a negative value: "
                                              : "cannot be parsed as a long value: ") +
                            quoted);
    }
    due = now + seconds_to_duration(static_cast<double>(*seconds));
  } else if (s.timestamp_path) {
    const json value = wait_path_value(run, *s.timestamp_path, effective, "TimestampPath");
    const auto parsed =
        value.is_string() ? detail::parse_timestamp(value.get<std::string>()) : std::nullopt;
    if (!parsed) {
      throw StatesError(std::string(error_names::kRuntime),
                        state_error_prefix(run) +
                            "The TimestampPath parameter does not reference a valid ISO-8601 "
                            "extended offset date-time format string: " +
                            s.timestamp_path->text() + " == " + raw_text(value));
    }
    due = *parsed;
  }
  // Recorded on AWS: a wait of 24,856 days (over 2^31 - 1 seconds) fails, 24,855 does not.
  constexpr std::int64_t kLongestWaitSeconds = 2147483647;
  if (due - now > std::chrono::seconds(kLongestWaitSeconds)) {
    throw StatesError(std::string(error_names::kRuntime),
                      state_error_prefix(run) + "Wait state delay is too long.");
  }
  if (due <= now) {
    run.result = effective;
    run.step = Step::kComplete;
    return;
  }
  if (&effective == &scratch) {
    run.result = std::move(scratch);
  } else {
    run.result = effective;
  }
  run.timer = start_timer(&run, TimerKind::kWait, due);
  run.step = Step::kBlocked;
}

std::string Execution::Impl::evaluate_dynamic(const Run& run, const detail::DynamicValue& value,
                                              const char* field) {
  json result;
  if (value.path) {
    try {
      result = value.path->evaluate(run.input, context, &run.variables);
    } catch (const JsonPathNoMatch&) {
      throw StatesError(std::string(error_names::kRuntime),
                        state_error_prefix(run) + "The JSONPath '" + value.path->text() +
                            "' specified for the field '" + field +
                            "' could not be found in the input '" + to_json_text(run.input) + "'");
    }
  } else {
    result = evaluate_intrinsic(value.intrinsic, run.input, context, host.random(), &run.variables);
  }
  if (!result.is_string()) {
    throw StatesError(std::string(error_names::kRuntime),
                      state_error_prefix(run) + "The " + field +
                          " value must be a string, but was: " + to_json_text(result));
  }
  return result.get<std::string>();
}

Failure Execution::Impl::fail_state_failure(Run& run, const State& s) {
  Failure failure;
  if (s.error) failure.error = *s.error;
  if (s.cause) failure.cause = *s.cause;
  if (s.error_expression != nullptr || s.cause_expression != nullptr) {
    const json bindings = jsonata_bindings(run, nullptr, nullptr);
    if (s.error_expression != nullptr) {
      failure.error =
          expect_jsonata_type(run, *s.error_expression,
                              evaluate_jsonata(run, *s.error_expression, bindings, "Error"),
                              "Error", json::value_t::string, "string")
              .get<std::string>();
    }
    if (s.cause_expression != nullptr) {
      failure.cause =
          expect_jsonata_type(run, *s.cause_expression,
                              evaluate_jsonata(run, *s.cause_expression, bindings, "Cause"),
                              "Cause", json::value_t::string, "string")
              .get<std::string>();
    }
  }
  if (s.error_path) failure.error = evaluate_dynamic(run, *s.error_path, "ErrorPath");
  if (s.cause_path) failure.cause = evaluate_dynamic(run, *s.cause_path, "CausePath");
  return failure;
}

void Execution::Impl::attempt_fail(Run& run, const State& s) {
  run.failure = fail_state_failure(run, s);
  run.in_state = false;
  run.succeeded = false;
  run.step = Step::kDone;
}

}  // namespace loveless::asl
