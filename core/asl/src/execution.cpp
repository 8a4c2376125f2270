#include "loveless/asl/execution.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <stdexcept>
#include <unordered_map>

#include "loveless/asl/choice_rules.hpp"
#include "loveless/asl/error_matching.hpp"
#include "loveless/asl/errors.hpp"
#include "loveless/asl/intrinsics.hpp"
#include "loveless/asl/json_path.hpp"
#include "loveless/asl/payload_template.hpp"

#include "compiled_machine.hpp"
#include "execution_util.hpp"
#include "json_text.hpp"

namespace loveless::asl {

using detail::Catcher;
using detail::CompiledDefinition;
using detail::Machine;
using detail::PathField;
using detail::Retrier;
using detail::State;
using detail::StateType;
using nlohmann::json;

std::string_view to_string(ExecutionStatus status) {
  switch (status) {
    case ExecutionStatus::kRunning:
      return "RUNNING";
    case ExecutionStatus::kSucceeded:
      return "SUCCEEDED";
    case ExecutionStatus::kFailed:
      return "FAILED";
    case ExecutionStatus::kTimedOut:
      return "TIMED_OUT";
    case ExecutionStatus::kAborted:
      return "ABORTED";
  }
  return "RUNNING";
}

namespace {

/// Step Functions' payload limit for inputs, outputs and task results, in
/// bytes of serialized JSON.
constexpr std::size_t kMaxPayloadBytes = 262144;
/// A Task state's TimeoutSeconds when the definition gives none.
constexpr std::int64_t kDefaultTaskTimeoutSeconds = 99999999;

struct Failure {
  std::string error;
  std::string cause;
  /// The failure is a missed heartbeat: a rule naming States.HeartbeatTimeout matches too.
  bool heartbeat = false;
};

/// What a run does next when the interpreter drives it.
enum class Step : std::uint8_t {
  kEnter,     ///< record <Type>StateEntered for `state`, then kAttempt
  kAttempt,   ///< evaluate the state (again, after a Retry delay)
  kComplete,  ///< `result` holds the state's result: post-process and exit
  kFail,      ///< `failure` holds the state's error: Retry, Catch or propagate
  kBlocked,   ///< waiting for a task, a timer or child runs
  kDone,      ///< the run ended (`succeeded` says how); report to the parent
};

enum class TimerKind : std::uint8_t { kWait, kRetry, kTaskTimeout, kHeartbeat, kExecutionTimeout };

/// One thread of control: the top level, a Parallel branch or a Map iteration.
/// A run walks its machine's states in a loop, so a long chain of states costs
/// no stack depth; nesting (Parallel in Map in ...) is bounded by the definition.
struct Run {
  const Machine* machine = nullptr;
  Run* parent = nullptr;
  /// Branch index (Parallel) or item index (Map).
  std::size_t child_index = 0;
  bool is_iteration = false;
  bool active = true;
  bool queued = false;
  /// Between <Type>StateEntered and the state's exit or failure.
  bool in_state = false;
  bool succeeded = false;

  std::size_t state = 0;
  Step step = Step::kEnter;
  /// The raw input of the current state.
  json input;
  /// The state's result (kComplete), or the run's output once it succeeded.
  json result;
  Failure failure;
  /// The id of this run's last event: the previousEventId of its next one.
  std::int64_t last_event = 0;
  std::int64_t entered_event = 0;
  std::string entered_time;
  std::vector<std::int64_t> retry_counters;
  std::int64_t retry_count = 0;

  // Task state
  std::uint64_t task_id = 0;
  bool task_started = false;
  std::string task_token;
  std::int64_t timeout_seconds = kDefaultTaskTimeoutSeconds;
  std::optional<std::int64_t> heartbeat_seconds;
  std::uint64_t timeout_timer = 0;
  std::uint64_t heartbeat_timer = 0;
  // Wait state or Retry delay
  std::uint64_t timer = 0;

  // Parallel and Map states
  std::vector<std::unique_ptr<Run>> children;
  std::vector<json> child_results;
  std::size_t next_child = 0;
  std::size_t running_children = 0;
  std::size_t done_children = 0;
  std::size_t max_running = 0;
  std::int64_t started_event = 0;
};

struct TimerEntry {
  Run* run = nullptr;
  TimerKind kind = TimerKind::kWait;
};

/// The history event names of a Task state, which depend on its resource.
struct TaskEventNames {
  const char* scheduled;
  const char* scheduled_key;
  const char* started;
  const char* started_key;  // empty: LambdaFunctionStarted has no details
  const char* succeeded;
  const char* succeeded_key;
  const char* failed;
  const char* failed_key;
  const char* timed_out;
  const char* timed_out_key;
  const char* schedule_failed;
  const char* schedule_failed_key;
};

const TaskEventNames& task_event_names(ResourceKind kind) {
  static const TaskEventNames kActivity = {
      "ActivityScheduled",      "activityScheduledEventDetails",
      "ActivityStarted",        "activityStartedEventDetails",
      "ActivitySucceeded",      "activitySucceededEventDetails",
      "ActivityFailed",         "activityFailedEventDetails",
      "ActivityTimedOut",       "activityTimedOutEventDetails",
      "ActivityScheduleFailed", "activityScheduleFailedEventDetails"};
  static const TaskEventNames kLambda = {
      "LambdaFunctionScheduled",      "lambdaFunctionScheduledEventDetails",
      "LambdaFunctionStarted",        "",
      "LambdaFunctionSucceeded",      "lambdaFunctionSucceededEventDetails",
      "LambdaFunctionFailed",         "lambdaFunctionFailedEventDetails",
      "LambdaFunctionTimedOut",       "lambdaFunctionTimedOutEventDetails",
      "LambdaFunctionScheduleFailed", "lambdaFunctionScheduleFailedEventDetails"};
  // AWS has no TaskScheduleFailed event: a service integration that cannot be
  // started records TaskStartFailed.
  static const TaskEventNames kTask = {"TaskScheduled",   "taskScheduledEventDetails",
                                       "TaskStarted",     "taskStartedEventDetails",
                                       "TaskSucceeded",   "taskSucceededEventDetails",
                                       "TaskFailed",      "taskFailedEventDetails",
                                       "TaskTimedOut",    "taskTimedOutEventDetails",
                                       "TaskStartFailed", "taskStartFailedEventDetails"};
  switch (kind) {
    case ResourceKind::kActivity:
      return kActivity;
    case ResourceKind::kLambdaArn:
      return kLambda;
    case ResourceKind::kLambdaInvoke:
    case ResourceKind::kOther:
      return kTask;
  }
  return kTask;
}

json error_details(const std::string& error, const std::string& cause) {
  json details = json::object();
  if (!error.empty()) details["error"] = error;
  if (!cause.empty()) details["cause"] = cause;
  return details;
}

bool has_aborted_event(StateType type) {
  return type == StateType::kTask || type == StateType::kParallel || type == StateType::kMap ||
         type == StateType::kWait;
}

/// A positive (or, for Wait, non-negative) whole number read through a `*Path` field.
std::optional<std::int64_t> as_whole_seconds(const json& value, bool allow_zero) {
  if (value.is_number_unsigned() || value.is_number_integer()) {
    const auto n = value.get<std::int64_t>();
    if (n > 0 || (allow_zero && n == 0)) return n;
    return std::nullopt;
  }
  if (value.is_number_float()) {
    const double d = value.get<double>();
    if (std::floor(d) == d && (d > 0 || (allow_zero && d == 0)) && d < 9.2e18) {
      return static_cast<std::int64_t>(d);
    }
  }
  return std::nullopt;
}

Duration seconds_to_duration(double seconds) {
  // Clamp so that absurd BackoffRate powers cannot overflow the clock.
  const double micros = std::min(seconds, 1e12) * 1e6;
  return Duration{static_cast<std::int64_t>(std::llround(micros))};
}

}  // namespace

struct Execution::Impl {
  Impl(std::shared_ptr<const Definition> definition, ExecutionInfo execution_info,
       json execution_input, ExecutionHost& execution_host)
      : info(std::move(execution_info)), input(std::move(execution_input)), host(execution_host) {
    start_date = host.now();
    region = detail::region_of_arn(info.execution_arn);
    try {
      if (!definition) throw std::invalid_argument("no definition");
      compiled = detail::compile_definition(definition);
    } catch (const std::exception& e) {
      compile_error = e.what();
    }
    context = json{
        {"Execution",
         {{"Id", info.execution_arn},
          {"Input", input},
          {"Name", info.execution_name},
          {"RoleArn", info.role_arn},
          {"StartTime", detail::format_iso8601_ms(start_date)},
          {"RedriveCount", 0}}},
        {"State", {{"EnteredTime", ""}, {"Name", ""}, {"RetryCount", 0}}},
        {"StateMachine", {{"Id", info.state_machine_arn}, {"Name", info.state_machine_name}}},
    };
  }

  // ---- identity and results -------------------------------------------------
  ExecutionInfo info;
  json input;
  ExecutionHost& host;
  std::shared_ptr<const CompiledDefinition> compiled;
  std::string compile_error;
  std::string region;
  bool started = false;
  ExecutionStatus status = ExecutionStatus::kRunning;
  std::optional<json> output;
  std::string error;
  std::string cause;
  TimePoint start_date{};
  std::optional<TimePoint> stop_date;
  std::vector<HistoryEvent> history;
  std::uint64_t transitions = 0;

  // ---- interpreter state ----------------------------------------------------
  /// The context object `$$`. One per execution: the State (and Task, Map)
  /// members are rewritten before each evaluation, which is safe because
  /// evaluation is synchronous, and saves copying Execution.Input per state.
  json context;
  std::unique_ptr<Run> root;
  std::deque<Run*> ready;
  std::unordered_map<std::uint64_t, Run*> tasks;
  std::unordered_map<std::uint64_t, TimerEntry> timers;
  std::uint64_t next_task_id = 1;
  std::uint64_t next_timer_id = 1;
  std::uint64_t execution_timer = 0;

  // ---- history --------------------------------------------------------------
  std::int64_t record(std::int64_t previous, std::string type, const char* details_key,
                      json details = json::object()) {
    HistoryEvent event;
    event.id = static_cast<std::int64_t>(history.size()) + 1;
    event.previous_event_id = previous;
    event.timestamp = host.now();
    event.type = std::move(type);
    event.details_key = details_key;
    event.details = std::move(details);
    history.push_back(std::move(event));
    return history.back().id;
  }

  std::int64_t record_in(Run& run, std::string type, const char* details_key,
                         json details = json::object()) {
    run.last_event = record(run.last_event, std::move(type), details_key, std::move(details));
    return run.last_event;
  }

  [[nodiscard]] std::int64_t last_event_id() const {
    return static_cast<std::int64_t>(history.size());
  }

  // ---- scheduling -----------------------------------------------------------
  void enqueue(Run& run) {
    if (run.queued || !run.active) return;
    run.queued = true;
    ready.push_back(&run);
  }

  void pump() {
    while (status == ExecutionStatus::kRunning && !ready.empty()) {
      Run* run = ready.front();
      ready.pop_front();
      run->queued = false;
      if (run->active) drive(*run);
    }
  }

  std::uint64_t start_timer(Run* run, TimerKind kind, TimePoint due) {
    const std::uint64_t id = next_timer_id++;
    timers[id] = TimerEntry{run, kind};
    host.start_timer(id, due);
    return id;
  }

  void cancel_timer(std::uint64_t& id) {
    if (id == 0) return;
    timers.erase(id);
    host.cancel_timer(id);
    id = 0;
  }

  /// The run no longer waits for its task. `tell_host`: the task is still
  /// open on the host's side (timeout, abort), so its token must go stale.
  void close_task(Run& run, bool tell_host) {
    if (run.task_id == 0) return;
    tasks.erase(run.task_id);
    cancel_timer(run.timeout_timer);
    cancel_timer(run.heartbeat_timer);
    if (tell_host) host.cancel_task(run.task_id);
    run.task_id = 0;
    run.task_started = false;
  }

  // ---- the interpreter loop ---------------------------------------------------
  static const State& state_of(const Run& run) { return run.machine->states[run.state]; }

  void drive(Run& run) {
    while (status == ExecutionStatus::kRunning) {
      try {
        switch (run.step) {
          case Step::kEnter:
            enter(run);
            break;
          case Step::kAttempt:
            attempt(run);
            break;
          case Step::kComplete:
            complete(run);
            break;
          case Step::kFail:
            handle_failure(run);
            break;
          case Step::kBlocked:
            return;
          case Step::kDone:
            finish_run(run);
            return;
        }
      } catch (const StatesError& e) {
        run.failure = Failure{e.error(), e.cause(), false};
        run.step = run.step == Step::kFail ? Step::kDone : Step::kFail;
        if (run.step == Step::kDone) run.in_state = false;
      } catch (const JsonPathNoMatch& e) {
        run.failure =
            Failure{std::string(error_names::kRuntime), state_error_prefix(run) + e.what()};
        run.step = run.step == Step::kFail ? Step::kDone : Step::kFail;
        if (run.step == Step::kDone) run.in_state = false;
      }
    }
  }

  std::string state_error_prefix(const Run& run) const {
    return "An error occurred while executing the state '" + state_of(run).name +
           "' (entered at the event id #" + std::to_string(run.entered_event) + "). ";
  }

  void set_state_context(const Run& run, const State& s) {
    json& st = context["State"];
    st["EnteredTime"] = run.entered_time;
    st["Name"] = s.name;
    st["RetryCount"] = run.retry_count;
    if (s.type == StateType::kTask && !run.task_token.empty()) {
      context["Task"] = json{{"Token", run.task_token}};
    } else {
      context.erase("Task");
    }
  }

  void enter(Run& run) {
    const State& s = state_of(run);
    ++transitions;
    run.in_state = true;
    run.entered_time = detail::format_iso8601_ms(host.now());
    run.retry_counters.assign(s.retriers.size(), 0);
    run.retry_count = 0;
    run.task_token.clear();
    json details = {
        {"name", s.name}, {"input", to_json_text(run.input)}, {"inputDetails", payload_details()}};
    run.entered_event = record_in(run, std::string(detail::type_name(s.type)) + "StateEntered",
                                  "stateEnteredEventDetails", std::move(details));
    run.step = Step::kAttempt;
  }

  // ---- input and output processing -----------------------------------------
  json evaluate_path(const Run& run, const JsonPath& path, const json& data) const {
    try {
      return path.evaluate(data, context);
    } catch (const JsonPathNoMatch& e) {
      throw StatesError(
          std::string(error_names::kRuntime),
          state_error_prefix(run) + "Invalid path '" + path.text() + "' : " + e.what());
    }
  }

  /// InputPath applied to the state's raw input. Returns the raw input itself
  /// (no copy) in the common case, else a value kept in `scratch`.
  const json& effective_input(const Run& run, const State& s, json& scratch) const {
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

  json evaluate_template(const json& payload_template, const json& data) {
    return evaluate_payload_template(payload_template, data, context, host.random());
  }

  json apply_result_path(const Run& run, const PathField& result_path, json result) const {
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

  json apply_output_path(const Run& run, const State& s, json value) const {
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

  /// Records <Type>StateExited and moves to `next` (nullopt: the run ends).
  void exit_state(Run& run, json state_output, std::optional<std::size_t> next) {
    const State& s = state_of(run);
    std::string text = to_json_text(state_output);
    if (text.size() > kMaxPayloadBytes) {
      throw StatesError(std::string(error_names::kDataLimitExceeded),
                        "The state/task '" + s.name +
                            "' returned a result with a size exceeding the maximum number of "
                            "bytes service limit.");
    }
    record_in(
        run, std::string(detail::type_name(s.type)) + "StateExited", "stateExitedEventDetails",
        json{{"name", s.name}, {"output", std::move(text)}, {"outputDetails", payload_details()}});
    run.in_state = false;
    if (next) {
      run.state = *next;
      run.input = std::move(state_output);
      run.step = Step::kEnter;
    } else {
      run.result = std::move(state_output);
      run.succeeded = true;
      run.step = Step::kDone;
    }
  }

  [[nodiscard]] static std::optional<std::size_t> next_of(const State& s) {
    if (s.end) return std::nullopt;
    return s.next;
  }

  // ---- states -------------------------------------------------------------------
  void attempt(Run& run) {
    const State& s = state_of(run);
    set_state_context(run, s);
    switch (s.type) {
      case StateType::kPass:
        attempt_pass(run, s);
        break;
      case StateType::kTask:
        attempt_task(run, s);
        break;
      case StateType::kChoice:
        attempt_choice(run, s);
        break;
      case StateType::kWait:
        attempt_wait(run, s);
        break;
      case StateType::kSucceed: {
        json scratch;
        const json& effective = effective_input(run, s, scratch);
        exit_state(run, apply_output_path(run, s, effective), std::nullopt);
        break;
      }
      case StateType::kFail:
        attempt_fail(run, s);
        break;
      case StateType::kParallel:
        attempt_parallel(run, s);
        break;
      case StateType::kMap:
        attempt_map(run, s);
        break;
    }
  }

  void attempt_pass(Run& run, const State& s) {
    json scratch;
    const json& effective = effective_input(run, s, scratch);
    json result;
    if (s.result != nullptr) {
      result = *s.result;
    } else if (s.parameters != nullptr) {
      result = evaluate_template(*s.parameters, effective);
    } else if (&effective == &scratch) {
      result = std::move(scratch);
    } else {
      result = effective;
    }
    json out = apply_result_path(run, s.result_path, std::move(result));
    exit_state(run, apply_output_path(run, s, std::move(out)), next_of(s));
  }

  void attempt_choice(Run& run, const State& s) {
    json scratch;
    const json& effective = effective_input(run, s, scratch);
    std::optional<std::size_t> next;
    for (std::size_t i = 0; i < s.choices.size(); ++i) {
      if (evaluate_choice_rule(*s.choices[i], effective, context)) {
        next = s.choice_next[i];
        break;
      }
    }
    if (!next) next = s.default_next;
    if (!next) {
      throw StatesError(
          std::string(error_names::kNoChoiceMatched),
          state_error_prefix(run) + "No Choice Rules matched and no Default was specified");
    }
    exit_state(run, apply_output_path(run, s, effective), next);
  }

  void attempt_wait(Run& run, const State& s) {
    json scratch;
    const json& effective = effective_input(run, s, scratch);
    const TimePoint now = host.now();
    TimePoint due = now;
    if (s.seconds) {
      due = now + seconds_to_duration(static_cast<double>(*s.seconds));
    } else if (s.timestamp) {
      const auto parsed = detail::parse_timestamp(*s.timestamp);
      if (!parsed) {
        throw StatesError(std::string(error_names::kRuntime),
                          state_error_prefix(run) + "Invalid timestamp '" + *s.timestamp + "'");
      }
      due = *parsed;
    } else if (s.seconds_path) {
      const json value = evaluate_path(run, *s.seconds_path, effective);
      const auto seconds = as_whole_seconds(value, true);
      if (!seconds) {
        throw StatesError(
            std::string(error_names::kRuntime),
            state_error_prefix(run) + "The SecondsPath parameter '" + s.seconds_path->text() +
                "' does not reference a valid non-negative integer value: " + to_json_text(value));
      }
      due = now + seconds_to_duration(static_cast<double>(*seconds));
    } else if (s.timestamp_path) {
      const json value = evaluate_path(run, *s.timestamp_path, effective);
      const auto parsed =
          value.is_string() ? detail::parse_timestamp(value.get<std::string>()) : std::nullopt;
      if (!parsed) {
        throw StatesError(std::string(error_names::kRuntime),
                          state_error_prefix(run) + "The TimestampPath parameter '" +
                              s.timestamp_path->text() +
                              "' does not reference a valid ISO-8601 extended offset date-time "
                              "format string: " +
                              to_json_text(value));
      }
      due = *parsed;
    }
    if (due <= now) {
      exit_state(run, apply_output_path(run, s, effective), next_of(s));
      return;
    }
    run.result = &effective == &scratch ? std::move(scratch) : effective;
    run.timer = start_timer(&run, TimerKind::kWait, due);
    run.step = Step::kBlocked;
  }

  std::string evaluate_dynamic(const Run& run, const detail::DynamicValue& value,
                               const char* field) {
    json result = value.path
                      ? evaluate_path(run, *value.path, run.input)
                      : evaluate_intrinsic(value.intrinsic, run.input, context, host.random());
    if (!result.is_string()) {
      throw StatesError(std::string(error_names::kRuntime),
                        state_error_prefix(run) + "The " + field +
                            " value must be a string, but was: " + to_json_text(result));
    }
    return result.get<std::string>();
  }

  void attempt_fail(Run& run, const State& s) {
    Failure failure;
    if (s.error) failure.error = *s.error;
    if (s.cause) failure.cause = *s.cause;
    if (s.error_path) failure.error = evaluate_dynamic(run, *s.error_path, "ErrorPath");
    if (s.cause_path) failure.cause = evaluate_dynamic(run, *s.cause_path, "CausePath");
    run.failure = std::move(failure);
    run.in_state = false;
    run.succeeded = false;
    run.step = Step::kDone;
  }

  std::optional<std::int64_t> resolve_seconds(const Run& run,
                                              const std::optional<std::int64_t>& literal,
                                              const std::optional<JsonPath>& path,
                                              const json& effective, const char* field) const {
    if (literal) return literal;
    if (!path) return std::nullopt;
    const json value = evaluate_path(run, *path, effective);
    const auto seconds = as_whole_seconds(value, false);
    if (!seconds) {
      throw StatesError(
          std::string(error_names::kRuntime),
          state_error_prefix(run) + "The " + field + " parameter '" + path->text() +
              "' does not reference a valid positive integer value: " + to_json_text(value));
    }
    return seconds;
  }

  void attempt_task(Run& run, const State& s) {
    const std::uint64_t task_id = next_task_id++;
    // The token exists before Parameters are evaluated: `$$.Task.Token` is how
    // a .waitForTaskToken integration hands it to the worker.
    run.task_token = detail::make_task_token(info.execution_arn, task_id, host.random());
    set_state_context(run, s);

    json scratch;
    const json& effective = effective_input(run, s, scratch);
    TaskRequest request;
    request.task_id = task_id;
    request.task_token = run.task_token;
    request.kind = s.resource_kind;
    request.resource = s.resource;
    request.state_name = s.name;
    if (s.parameters != nullptr) {
      request.input = evaluate_template(*s.parameters, effective);
    } else {
      request.input = effective;
    }
    request.timeout_seconds = resolve_seconds(run, s.timeout_seconds, s.timeout_seconds_path,
                                              effective, "TimeoutSecondsPath");
    request.heartbeat_seconds = resolve_seconds(run, s.heartbeat_seconds, s.heartbeat_seconds_path,
                                                effective, "HeartbeatSecondsPath");
    run.timeout_seconds = request.timeout_seconds.value_or(kDefaultTaskTimeoutSeconds);
    run.heartbeat_seconds = request.heartbeat_seconds;

    const TaskEventNames& names = task_event_names(s.resource_kind);
    json details;
    std::string input_text = to_json_text(request.input);
    if (s.resource_kind == ResourceKind::kActivity || s.resource_kind == ResourceKind::kLambdaArn) {
      details = {{"resource", s.resource},
                 {"input", std::move(input_text)},
                 {"inputDetails", payload_details()}};
      if (request.timeout_seconds) details["timeoutInSeconds"] = *request.timeout_seconds;
      if (request.heartbeat_seconds && s.resource_kind == ResourceKind::kActivity) {
        details["heartbeatInSeconds"] = *request.heartbeat_seconds;
      }
    } else {
      const auto service = detail::split_service_resource(s.resource);
      details = {{"resourceType", service.resource_type},
                 {"resource", service.resource},
                 {"region", region},
                 {"parameters", std::move(input_text)}};
      if (request.timeout_seconds) details["timeoutInSeconds"] = *request.timeout_seconds;
      if (request.heartbeat_seconds) details["heartbeatInSeconds"] = *request.heartbeat_seconds;
    }
    record_in(run, names.scheduled, names.scheduled_key, std::move(details));
    run.task_id = task_id;
    run.task_started = false;
    tasks[task_id] = &run;
    run.step = Step::kBlocked;
    host.schedule_task(request);
  }

  /// Adds `resourceType` and `resource` to a Task* event's details.
  void add_service_resource(const State& s, json& details) const {
    if (s.resource_kind == ResourceKind::kActivity || s.resource_kind == ResourceKind::kLambdaArn) {
      return;
    }
    const auto service = detail::split_service_resource(s.resource);
    details["resourceType"] = service.resource_type;
    details["resource"] = service.resource;
  }

  void attempt_parallel(Run& run, const State& s) {
    json scratch;
    const json& effective = effective_input(run, s, scratch);
    json branch_input =
        s.parameters != nullptr ? evaluate_template(*s.parameters, effective) : effective;
    run.children.clear();
    run.started_event = record_in(run, "ParallelStateStarted", "");
    const std::size_t count = s.branches.size();
    run.child_results.assign(count, json());
    run.done_children = 0;
    run.running_children = count;
    run.step = Step::kBlocked;
    for (std::size_t i = 0; i < count; ++i) {
      auto child = std::make_unique<Run>();
      child->machine = s.branches[i].get();
      child->parent = &run;
      child->child_index = i;
      child->state = child->machine->start;
      child->input = i + 1 == count ? std::move(branch_input) : branch_input;
      child->last_event = run.started_event;
      run.children.push_back(std::move(child));
    }
    for (auto& child : run.children) enqueue(*child);
    if (count == 0) {
      record_in(run, "ParallelStateSucceeded", "");
      run.result = json::array();
      run.step = Step::kComplete;
    }
  }

  void attempt_map(Run& run, const State& s) {
    json scratch;
    const json& effective = effective_input(run, s, scratch);
    json items_scratch;
    const json* items = &effective;
    if (s.items_path.mode == PathField::Mode::kPath && !s.items_path.is_identity()) {
      items_scratch = evaluate_path(run, *s.items_path.path, effective);
      items = &items_scratch;
    }
    if (!items->is_array()) {
      throw StatesError(std::string(error_names::kRuntime),
                        state_error_prefix(run) +
                            "Items of the Map state must be an array, but ItemsPath selected: " +
                            to_json_text(*items));
    }
    std::int64_t max_concurrency = s.max_concurrency;
    if (s.max_concurrency_path) {
      const json value = evaluate_path(run, *s.max_concurrency_path, effective);
      const auto parsed = as_whole_seconds(value, true);
      if (!parsed) {
        throw StatesError(
            std::string(error_names::kRuntime),
            state_error_prefix(run) + "The MaxConcurrencyPath parameter '" +
                s.max_concurrency_path->text() +
                "' does not reference a valid non-negative integer value: " + to_json_text(value));
      }
      max_concurrency = *parsed;
    }

    const std::size_t count = items->size();
    std::vector<json> inputs;
    inputs.reserve(count);
    if (s.parameters != nullptr) {
      for (std::size_t i = 0; i < count; ++i) {
        context["Map"] = json{{"Item", {{"Index", i}, {"Value", (*items)[i]}}}};
        try {
          inputs.push_back(evaluate_template(*s.parameters, effective));
        } catch (...) {
          context.erase("Map");
          throw;
        }
      }
      context.erase("Map");
    } else if (items == &items_scratch) {
      for (auto& item : items_scratch) inputs.push_back(std::move(item));
    } else {
      for (const auto& item : *items) inputs.push_back(item);
    }

    run.children.clear();
    run.started_event =
        record_in(run, "MapStateStarted", "mapStateStartedEventDetails", json{{"length", count}});
    run.child_results.assign(count, json());
    run.next_child = 0;
    run.done_children = 0;
    run.running_children = 0;
    run.max_running = max_concurrency <= 0 ? count : static_cast<std::size_t>(max_concurrency);
    for (std::size_t i = 0; i < count; ++i) {
      auto child = std::make_unique<Run>();
      child->machine = s.processor.get();
      child->parent = &run;
      child->child_index = i;
      child->is_iteration = true;
      child->active = false;  // until its MapIterationStarted
      child->state = child->machine->start;
      child->input = std::move(inputs[i]);
      run.children.push_back(std::move(child));
    }
    run.step = Step::kBlocked;
    if (count == 0) {
      record_in(run, "MapStateSucceeded", "");
      run.result = json::array();
      run.step = Step::kComplete;
      return;
    }
    launch_iterations(run);
  }

  void launch_iterations(Run& map_run) {
    const State& s = state_of(map_run);
    while (map_run.next_child < map_run.children.size() &&
           map_run.running_children < map_run.max_running) {
      Run& child = *map_run.children[map_run.next_child++];
      child.active = true;
      child.last_event =
          record(map_run.started_event, "MapIterationStarted", "mapIterationStartedEventDetails",
                 json{{"name", s.name}, {"index", child.child_index}});
      ++map_run.running_children;
      enqueue(child);
    }
  }

  void complete(Run& run) {
    const State& s = state_of(run);
    set_state_context(run, s);
    run.children.clear();
    json result = std::move(run.result);
    run.result = json();
    if (s.type == StateType::kWait) {
      exit_state(run, apply_output_path(run, s, std::move(result)), next_of(s));
      return;
    }
    if (s.result_selector != nullptr) result = evaluate_template(*s.result_selector, result);
    json out = apply_result_path(run, s.result_path, std::move(result));
    exit_state(run, apply_output_path(run, s, std::move(out)), next_of(s));
  }

  // ---- errors: Retry, Catch, propagation ------------------------------------
  void handle_failure(Run& run) {
    const State& s = state_of(run);
    run.children.clear();
    if (!run.in_state) {
      run.step = Step::kDone;
      return;
    }
    set_state_context(run, s);
    const Failure& failure = run.failure;
    for (std::size_t i = 0; i < s.retriers.size(); ++i) {
      const Retrier& retrier = s.retriers[i];
      if (!error_equals_matches(*retrier.error_equals, failure.error, failure.heartbeat)) continue;
      // The first matching retrier decides, even when its attempts are spent.
      if (run.retry_counters[i] >= retrier.max_attempts) break;
      double delay = static_cast<double>(retrier.interval_seconds) *
                     std::pow(retrier.backoff_rate, static_cast<double>(run.retry_counters[i]));
      if (retrier.max_delay_seconds) {
        delay = std::min(delay, static_cast<double>(*retrier.max_delay_seconds));
      }
      if (retrier.full_jitter) delay *= host.random().next_unit();
      ++run.retry_counters[i];
      ++run.retry_count;
      run.timer = start_timer(&run, TimerKind::kRetry, host.now() + seconds_to_duration(delay));
      run.step = Step::kBlocked;
      return;
    }
    for (const Catcher& catcher : s.catchers) {
      if (!error_equals_matches(*catcher.error_equals, failure.error, failure.heartbeat)) continue;
      json error_output = {{"Error", failure.error}};
      if (!failure.cause.empty()) error_output["Cause"] = failure.cause;
      // An error while applying the catcher (ResultPath, size) fails the state
      // without a second round of Retry/Catch: drive() turns a throw in kFail
      // into the end of the run.
      exit_state(run, apply_result_path(run, catcher.result_path, std::move(error_output)),
                 catcher.next);
      return;
    }
    run.in_state = false;
    run.succeeded = false;
    run.step = Step::kDone;
  }

  void finish_run(Run& run) {
    run.active = false;
    if (run.parent == nullptr) {
      if (run.succeeded) {
        std::string text = to_json_text(run.result);
        record(run.last_event, "ExecutionSucceeded", "executionSucceededEventDetails",
               json{{"output", std::move(text)}, {"outputDetails", payload_details()}});
        output = std::move(run.result);
        end_execution(ExecutionStatus::kSucceeded, "", "");
      } else {
        record(run.last_event, "ExecutionFailed", "executionFailedEventDetails",
               error_details(run.failure.error, run.failure.cause));
        end_execution(ExecutionStatus::kFailed, run.failure.error, run.failure.cause);
      }
      return;
    }
    child_finished(*run.parent, run);
  }

  void child_finished(Run& parent, Run& child) {
    const State& s = state_of(parent);
    const bool is_map = s.type == StateType::kMap;
    --parent.running_children;
    if (child.succeeded) {
      parent.child_results[child.child_index] = std::move(child.result);
      std::int64_t last = child.last_event;
      if (child.is_iteration) {
        last =
            record(child.last_event, "MapIterationSucceeded", "mapIterationSucceededEventDetails",
                   json{{"name", s.name}, {"index", child.child_index}});
      }
      ++parent.done_children;
      if (is_map) launch_iterations(parent);
      if (parent.done_children == parent.children.size()) {
        parent.last_event =
            record(last, is_map ? "MapStateSucceeded" : "ParallelStateSucceeded", "");
        json results = json::array();
        for (auto& r : parent.child_results) results.push_back(std::move(r));
        parent.child_results.clear();
        parent.result = std::move(results);
        parent.step = Step::kComplete;
        enqueue(parent);
      }
      return;
    }
    std::int64_t failed_event = child.last_event;
    if (child.is_iteration) {
      failed_event =
          record(child.last_event, "MapIterationFailed", "mapIterationFailedEventDetails",
                 json{{"name", s.name}, {"index", child.child_index}});
    }
    for (auto& sibling : parent.children) {
      if (sibling.get() != &child) abort_run(*sibling, true);
    }
    parent.last_event = record(failed_event, is_map ? "MapStateFailed" : "ParallelStateFailed", "");
    parent.child_results.clear();
    parent.failure = child.failure;
    parent.step = Step::kFail;
    enqueue(parent);
  }

  /// Stops a run and everything below it. `record_events`: write the
  /// <Type>StateAborted / MapIterationAborted events AWS records when a
  /// sibling fails or the execution is stopped.
  void abort_run(Run& run, bool record_events) {
    if (!run.active) return;
    run.active = false;
    if (run.queued) {
      std::erase(ready, &run);
      run.queued = false;
    }
    close_task(run, true);
    cancel_timer(run.timer);
    for (auto& child : run.children) abort_run(*child, record_events);
    if (!record_events) return;
    if (run.in_state && run.step != Step::kEnter) {
      const State& s = state_of(run);
      if (has_aborted_event(s.type)) {
        record_in(run, std::string(detail::type_name(s.type)) + "StateAborted", "");
      }
    }
    if (run.is_iteration) {
      record_in(run, "MapIterationAborted", "mapIterationAbortedEventDetails",
                json{{"name", state_of(*run.parent).name}, {"index", run.child_index}});
    }
  }

  void end_execution(ExecutionStatus final_status, std::string final_error,
                     std::string final_cause) {
    status = final_status;
    error = std::move(final_error);
    cause = std::move(final_cause);
    stop_date = host.now();
    ready.clear();
    cancel_timer(execution_timer);
    // Whatever is still open (nothing, unless an internal error cut a run
    // short) must not outlive the execution.
    for (const auto& [task_id, run] : tasks) host.cancel_task(task_id);
    tasks.clear();
    for (const auto& [timer_id, entry] : timers) host.cancel_timer(timer_id);
    timers.clear();
  }

  // ---- events from the host ---------------------------------------------------
  Run* open_task(std::uint64_t task_id) {
    if (status != ExecutionStatus::kRunning) return nullptr;
    const auto it = tasks.find(task_id);
    return it == tasks.end() ? nullptr : it->second;
  }

  TaskReport on_task_started(std::uint64_t task_id, const std::string& worker_name) {
    Run* run = open_task(task_id);
    if (run == nullptr || run->task_started) return TaskReport::kStale;
    const State& s = state_of(*run);
    const TaskEventNames& names = task_event_names(s.resource_kind);
    json details = json::object();
    if (s.resource_kind == ResourceKind::kActivity) {
      details["workerName"] = worker_name;
    } else {
      add_service_resource(s, details);
    }
    record_in(*run, names.started, names.started_key, std::move(details));
    run->task_started = true;
    const TimePoint now = host.now();
    run->timeout_timer =
        start_timer(run, TimerKind::kTaskTimeout,
                    now + seconds_to_duration(static_cast<double>(run->timeout_seconds)));
    if (run->heartbeat_seconds) {
      run->heartbeat_timer =
          start_timer(run, TimerKind::kHeartbeat,
                      now + seconds_to_duration(static_cast<double>(*run->heartbeat_seconds)));
    }
    return TaskReport::kAccepted;
  }

  TaskReport on_task_heartbeat(std::uint64_t task_id) {
    Run* run = open_task(task_id);
    if (run == nullptr) return TaskReport::kStale;
    if (run->task_started && run->heartbeat_seconds) {
      cancel_timer(run->heartbeat_timer);
      run->heartbeat_timer = start_timer(
          run, TimerKind::kHeartbeat,
          host.now() + seconds_to_duration(static_cast<double>(*run->heartbeat_seconds)));
    }
    return TaskReport::kAccepted;
  }

  TaskReport on_task_succeeded(std::uint64_t task_id, json task_output) {
    Run* run = open_task(task_id);
    if (run == nullptr) return TaskReport::kStale;
    const State& s = state_of(*run);
    close_task(*run, false);
    if (s.wraps_lambda_response) {
      // The Lambda Invoke API response, reduced to the members a workflow
      // reads (SdkHttpMetadata and SdkResponseMetadata are left out).
      task_output = json{
          {"ExecutedVersion", "$LATEST"}, {"Payload", std::move(task_output)}, {"StatusCode", 200}};
    }
    const TaskEventNames& names = task_event_names(s.resource_kind);
    json details = json::object();
    add_service_resource(s, details);
    details["output"] = to_json_text(task_output);
    details["outputDetails"] = payload_details();
    record_in(*run, names.succeeded, names.succeeded_key, std::move(details));
    run->result = std::move(task_output);
    run->step = Step::kComplete;
    enqueue(*run);
    pump();
    return TaskReport::kAccepted;
  }

  TaskReport on_task_error(std::uint64_t task_id, const std::string& task_error,
                           const std::string& task_cause, bool schedule_failed) {
    Run* run = open_task(task_id);
    if (run == nullptr) return TaskReport::kStale;
    const State& s = state_of(*run);
    close_task(*run, false);
    const TaskEventNames& names = task_event_names(s.resource_kind);
    json details = json::object();
    add_service_resource(s, details);
    if (!task_error.empty()) details["error"] = task_error;
    if (!task_cause.empty()) details["cause"] = task_cause;
    record_in(*run, schedule_failed ? names.schedule_failed : names.failed,
              schedule_failed ? names.schedule_failed_key : names.failed_key, std::move(details));
    run->failure = Failure{task_error, task_cause, false};
    run->step = Step::kFail;
    enqueue(*run);
    pump();
    return TaskReport::kAccepted;
  }

  void on_timer(std::uint64_t timer_id) {
    if (status != ExecutionStatus::kRunning) return;
    const auto it = timers.find(timer_id);
    if (it == timers.end()) return;
    const TimerEntry entry = it->second;
    timers.erase(it);
    Run* run = entry.run;
    switch (entry.kind) {
      case TimerKind::kExecutionTimeout: {
        execution_timer = 0;
        if (root) abort_run(*root, false);
        const std::string timeout_cause = "The execution timed out after " +
                                          std::to_string(compiled->definition->timeout_seconds()) +
                                          " seconds (TimeoutSeconds)";
        record(last_event_id(), "ExecutionTimedOut", "executionTimedOutEventDetails",
               error_details(std::string(error_names::kTimeout), timeout_cause));
        end_execution(ExecutionStatus::kTimedOut, std::string(error_names::kTimeout),
                      timeout_cause);
        return;
      }
      case TimerKind::kWait:
        run->timer = 0;
        run->step = Step::kComplete;
        break;
      case TimerKind::kRetry:
        run->timer = 0;
        run->step = Step::kAttempt;
        break;
      case TimerKind::kTaskTimeout:
      case TimerKind::kHeartbeat: {
        const bool heartbeat = entry.kind == TimerKind::kHeartbeat;
        if (heartbeat) {
          run->heartbeat_timer = 0;
        } else {
          run->timeout_timer = 0;
        }
        const State& s = state_of(*run);
        close_task(*run, true);
        const std::string timeout_cause =
            heartbeat ? "The task sent no heartbeat for " +
                            std::to_string(*run->heartbeat_seconds) + " seconds (HeartbeatSeconds)"
                      : "The task did not finish within " + std::to_string(run->timeout_seconds) +
                            " seconds (TimeoutSeconds)";
        const TaskEventNames& names = task_event_names(s.resource_kind);
        json details = json::object();
        add_service_resource(s, details);
        details["error"] = error_names::kTimeout;
        details["cause"] = timeout_cause;
        record_in(*run, names.timed_out, names.timed_out_key, std::move(details));
        run->failure = Failure{std::string(error_names::kTimeout), timeout_cause, heartbeat};
        run->step = Step::kFail;
        break;
      }
    }
    enqueue(*run);
    pump();
  }

  void on_start() {
    if (started) return;
    started = true;
    record(0, "ExecutionStarted", "executionStartedEventDetails",
           json{{"input", to_json_text(input)},
                {"inputDetails", payload_details()},
                {"roleArn", info.role_arn}});
    if (!compiled) {
      fail_internally("The definition could not be compiled: " + compile_error);
      return;
    }
    if (const std::int64_t timeout = compiled->definition->timeout_seconds(); timeout > 0) {
      execution_timer = start_timer(nullptr, TimerKind::kExecutionTimeout,
                                    start_date + seconds_to_duration(static_cast<double>(timeout)));
    }
    root = std::make_unique<Run>();
    root->machine = &compiled->root;
    root->state = compiled->root.start;
    root->input = input;
    enqueue(*root);
    pump();
  }

  void on_stop(const std::string& stop_error, const std::string& stop_cause) {
    if (status != ExecutionStatus::kRunning) return;
    if (root) abort_run(*root, true);
    record(last_event_id(), "ExecutionAborted", "executionAbortedEventDetails",
           error_details(stop_error, stop_cause));
    end_execution(ExecutionStatus::kAborted, stop_error, stop_cause);
  }

  /// Anything unexpected (a bug, a host that throws, memory) fails the
  /// execution with States.Runtime instead of escaping to the engine.
  void fail_internally(const std::string& what) noexcept {
    try {
      if (status != ExecutionStatus::kRunning) return;
      if (root) abort_run(*root, false);
      record(last_event_id(), "ExecutionFailed", "executionFailedEventDetails",
             error_details(std::string(error_names::kRuntime), "Internal error: " + what));
      end_execution(ExecutionStatus::kFailed, std::string(error_names::kRuntime),
                    "Internal error: " + what);
    } catch (...) {
      status = ExecutionStatus::kFailed;
      error = error_names::kRuntime;
    }
  }

  template <typename F>
  auto guarded(F&& body, decltype(body()) on_error) noexcept -> decltype(body()) {
    try {
      return body();
    } catch (const std::exception& e) {
      fail_internally(e.what());
    } catch (...) {
      fail_internally("unknown exception");
    }
    return on_error;
  }
};

Execution::Execution(std::shared_ptr<const Definition> definition, ExecutionInfo info,
                     nlohmann::json input, ExecutionHost& host)
    : impl_(
          std::make_unique<Impl>(std::move(definition), std::move(info), std::move(input), host)) {}

Execution::~Execution() = default;

void Execution::start() {
  impl_->guarded(
      [&] {
        impl_->on_start();
        return 0;
      },
      0);
}

TaskReport Execution::task_started(std::uint64_t task_id, const std::string& worker_name) {
  return impl_->guarded([&] { return impl_->on_task_started(task_id, worker_name); },
                        TaskReport::kAccepted);
}

TaskReport Execution::task_heartbeat(std::uint64_t task_id) {
  return impl_->guarded([&] { return impl_->on_task_heartbeat(task_id); }, TaskReport::kAccepted);
}

TaskReport Execution::task_succeeded(std::uint64_t task_id, nlohmann::json output) {
  return impl_->guarded([&] { return impl_->on_task_succeeded(task_id, std::move(output)); },
                        TaskReport::kAccepted);
}

TaskReport Execution::task_failed(std::uint64_t task_id, const std::string& error,
                                  const std::string& cause) {
  return impl_->guarded([&] { return impl_->on_task_error(task_id, error, cause, false); },
                        TaskReport::kAccepted);
}

TaskReport Execution::task_schedule_failed(std::uint64_t task_id, const std::string& error,
                                           const std::string& cause) {
  return impl_->guarded([&] { return impl_->on_task_error(task_id, error, cause, true); },
                        TaskReport::kAccepted);
}

void Execution::timer_fired(std::uint64_t timer_id) {
  impl_->guarded(
      [&] {
        impl_->on_timer(timer_id);
        return 0;
      },
      0);
}

void Execution::stop(const std::string& error, const std::string& cause) {
  impl_->guarded(
      [&] {
        impl_->on_stop(error, cause);
        return 0;
      },
      0);
}

ExecutionStatus Execution::status() const noexcept { return impl_->status; }
const ExecutionInfo& Execution::info() const noexcept { return impl_->info; }
const nlohmann::json& Execution::input() const noexcept { return impl_->input; }
const std::optional<nlohmann::json>& Execution::output() const noexcept { return impl_->output; }
const std::string& Execution::error() const noexcept { return impl_->error; }
const std::string& Execution::cause() const noexcept { return impl_->cause; }
TimePoint Execution::start_date() const noexcept { return impl_->start_date; }
const std::optional<TimePoint>& Execution::stop_date() const noexcept { return impl_->stop_date; }
const std::vector<HistoryEvent>& Execution::history() const noexcept { return impl_->history; }
std::uint64_t Execution::state_transitions() const noexcept { return impl_->transitions; }

}  // namespace loveless::asl
