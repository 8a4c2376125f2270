#pragma once

// The interpreter's internal declarations: runs, timers, failures and Execution::Impl.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/asl/clock.hpp"
#include "loveless/asl/errors.hpp"
#include "loveless/asl/execution.hpp"
#include "loveless/asl/history.hpp"
#include "loveless/asl/json_path.hpp"

#include "compiled_machine.hpp"
#include "json_text.hpp"

namespace loveless::asl {

using nlohmann::json;

namespace detail {

/// A Task state's TimeoutSeconds when the definition gives none.
constexpr std::int64_t kDefaultTaskTimeoutSeconds = 99999999;

/// AWS's hard quota of events in one execution's history: event 25,000 is
/// ExecutionSucceeded or else ExecutionFailed
/// (https://docs.aws.amazon.com/step-functions/latest/dg/bp-history-limit.html).
constexpr std::size_t kMaxHistoryEvents = 25'000;

/// The local engine's own bound on the payload text one execution's history
/// holds (inputs, outputs, parameters, results): AWS has none, but 25,000
/// events of 256 KB each would take 6 GB of the runner's memory.
constexpr std::size_t kMaxHistoryPayloadBytes = std::size_t{1} << 30U;

/// The local engine's own bound on the events all child executions of one
/// execution's distributed Maps record together: AWS has none (each child
/// has its own 25,000), but a Map Run over 100,000 items holds about 470 MB
/// of child histories in the runner's memory, and nested Map Runs multiply.
constexpr std::size_t kMaxChildExecutionEvents = 250'000;

/// Thrown by `record` instead of writing event 25,000 when it would not end
/// the execution, or an event past `kMaxHistoryPayloadBytes` or
/// `kMaxChildExecutionEvents`; `guarded` fails the execution with the cause below.
struct HistoryLimitReached {
  bool payload_bytes = false;
  bool child_events = false;
  /// The host refused the event's payload (ExecutionHost::reserve_history_bytes): its cause.
  std::string host_cause;
};

/// AWS's cause, as measured against AWS (a runaway Choice loop; floci-io/floci
/// issue #2734). docs/engine.md says what it usually means and what to do.
inline constexpr const char* kHistoryLimitCause =
    "The execution reached the maximum number of history events (25000).";

inline constexpr const char* kChildEventsCause =
    "The execution's distributed Map child executions recorded more than 250000 events, the "
    "local engine's limit (AWS has none, docs/engine.md): a Map Run over very many items. Test "
    "with fewer items, or group them with an ItemBatcher.";

inline constexpr const char* kHistoryBytesCause =
    "The execution's history holds more than 1 GiB of payloads, the local engine's limit "
    "(AWS has none, docs/engine.md): a loop carrying a large payload through many states. "
    "Keep large data outside the state (S3, a database) and pass references.";

/// The payload text an event's details hold: their top-level strings.
inline std::size_t payload_bytes(const nlohmann::json& details) {
  std::size_t bytes = 0;
  if (!details.is_object()) return bytes;
  for (const auto& [key, value] : details.items()) {
    if (value.is_string()) bytes += value.get_ref<const std::string&>().size();
  }
  return bytes;
}

/// The event types that end an execution, which alone may be event 25,000.
inline bool ends_execution(const std::string& type) {
  return type == "ExecutionSucceeded" || type == "ExecutionFailed" || type == "ExecutionAborted" ||
         type == "ExecutionTimedOut";
}

/// The largest state output or task result AWS accepts, in bytes of JSON text.
inline constexpr std::size_t kMaxPayloadBytes = 262144;

/// A state's error. What a catcher puts at its ResultPath follows AWS's
/// recordings: `{"Error": <error or null>, "Cause": <cause or null>}`, where a
/// timeout's cause is the empty string (recorded: `"Cause": ""`) and a task
/// failure sent without error or cause gives nulls.
struct Failure {
  std::string error;
  std::optional<std::string> cause;
  /// The failure is a missed heartbeat: a rule naming States.HeartbeatTimeout matches too.
  bool heartbeat = false;

  /// What a catcher puts at its ResultPath.
  [[nodiscard]] json caught_output() const {
    return {{"Error", error.empty() ? json() : json(error)},
            {"Cause", cause ? json(*cause) : json()}};
  }

  /// A failure whose empty cause means "none given".
  static Failure of(std::string error, std::string cause) {
    Failure failure;
    failure.error = std::move(error);
    if (!cause.empty()) failure.cause = std::move(cause);
    return failure;
  }
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

/// A distributed Map's Map Run while it runs: its ARN, where its events
/// link, how many child executions failed and how many may.
/// A distributed Map's ToleratedFailureCount and ToleratedFailurePercentage
/// as given, or the States.Runtime cause AWS gives for a bad one (raised
/// after MapStateStarted, as recorded).
struct FailureTolerance {
  std::optional<std::int64_t> count;
  std::optional<double> percentage;
  std::string error_cause;

  /// AWS: a Map Run fails once its failed children exceed either threshold
  /// given; with neither (both default to 0), at the first failure.
  [[nodiscard]] bool exceeded(std::size_t failed, std::size_t total) const {
    if (!count && !percentage) return failed > 0;
    const bool over_count = count && std::cmp_greater(failed, *count);
    const bool over_percentage = percentage && static_cast<double>(failed) * 100.0 >
                                                   *percentage * static_cast<double>(total);
    return over_count || over_percentage;
  }
};

struct MapRunProgress {
  std::string arn;
  /// The Label, or the UUID that stands for it: child executions' ARNs carry it.
  std::string label;
  /// Its entry in `Execution::Impl::map_runs`.
  std::size_t summary = 0;
  std::int64_t started_event = 0;
  std::size_t failed = 0;
  FailureTolerance tolerance;
};

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
  /// The Step Functions variables this run sees: its own and, for a Parallel
  /// branch or Map iteration, a copy of the outer ones taken when it started
  /// (AWS: inner states read outer variables; what they assign stays inside).
  json variables = json::object();
  /// What the state's (or the taking catcher's) Assign evaluated to, applied
  /// when the state exits: every Assign and Output sees the values from before.
  std::optional<json> pending_assign;
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

  // Distributed Map (execution_map_run.cpp)
  /// Where this run's events go: null for the execution's own history, else
  /// the history of the child workflow execution it runs in (a distributed
  /// Map's iteration and every run nested in it).
  std::vector<HistoryEvent>* events = nullptr;
  /// A distributed Map's iteration: a child workflow execution of its own.
  bool is_child_execution = false;
  /// Once it started: its entry in `Execution::Impl::child_executions`
  /// (`events` points at that entry's history).
  ChildExecution* child_execution = nullptr;
  /// The child execution this run belongs to (its own, or an enclosing
  /// run's), whose Execution and StateMachine `$$` shows; null for the
  /// execution's own runs.
  const ChildExecution* child_owner = nullptr;
  /// On the run in a distributed Map state: its Map Run.
  std::unique_ptr<MapRunProgress> map_run;

  // RedriveExecution (execution_redrive.cpp)
  /// The children of this run's last failed Parallel/Map attempt and their
  /// results (by index), kept so that a redrive reruns only the unsuccessful
  /// ones; `kept_entered_event` ties them to that state entry.
  std::vector<std::unique_ptr<Run>> kept_children;
  std::vector<json> kept_results;
  std::int64_t kept_entered_event = 0;
  /// The next attempt of this Parallel/Map resumes `kept_children` instead
  /// of starting every branch or iteration.
  bool resume_children = false;
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

const TaskEventNames& task_event_names(ResourceKind kind);

/// `{"error": ..., "cause": ...}`, leaving out the empty ones.
/// The `error` and `cause` members of a failure event; empty ones are left out,
/// as AWS records them.
json error_details(const std::string& error, const std::string& cause);
json error_details(const Failure& failure);

/// A positive (or, for Wait, non-negative) whole number read through a `*Path` field.
/// A value as AWS quotes it in a cause: a string's own text, anything else as JSON.
inline std::string raw_text(const json& value) {
  return value.is_string() ? value.get<std::string>() : to_json_text(value);
}

inline std::optional<std::int64_t> as_whole_seconds(const json& value, bool allow_zero) {
  if (value.is_number_unsigned() &&
      value.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
    return std::nullopt;  // no long value, never wrapped to a negative one
  }
  if (value.is_number_integer()) {
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

/// How many of a Map's `count` children run at once under MaxConcurrency
/// `max_concurrency` (0 or less: no limit).
inline std::size_t running_limit(std::int64_t max_concurrency, std::size_t count) {
  return max_concurrency <= 0 ? count : static_cast<std::size_t>(max_concurrency);
}

inline Duration seconds_to_duration(double seconds) {
  // Clamp so that absurd BackoffRate powers cannot overflow the clock.
  const double micros = std::min(seconds, 1e12) * 1e6;
  return Duration{static_cast<std::int64_t>(std::llround(micros))};
}

}  // namespace detail

// The interpreter code names these unqualified, as it did when they were
// file-local to one execution.cpp.
using detail::as_whole_seconds;
using detail::Catcher;
using detail::CompiledDefinition;
using detail::error_details;
using detail::Failure;
using detail::FailureTolerance;
using detail::kDefaultTaskTimeoutSeconds;
using detail::kMaxPayloadBytes;
using detail::Machine;
using detail::MapRunProgress;
using detail::PathField;
using detail::raw_text;
using detail::Retrier;
using detail::Run;
using detail::running_limit;
using detail::seconds_to_duration;
using detail::State;
using detail::StateType;
using detail::Step;
using detail::task_event_names;
using detail::TaskEventNames;
using detail::TimerEntry;
using detail::TimerKind;

struct Execution::Impl {
  Impl(std::shared_ptr<const Definition> definition, ExecutionInfo execution_info,
       json execution_input, ExecutionHost& execution_host);

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
  /// The Map Runs of distributed Maps (DescribeMapRun, ListMapRuns).
  std::vector<MapRunSummary> map_runs;
  /// Their child executions; a deque, so that runs may point at entries.
  std::deque<ChildExecution> child_executions;
  /// Events in all their histories (`detail::kMaxChildExecutionEvents`).
  std::size_t child_events = 0;
  /// Whose Execution and StateMachine `context` holds now (null: this
  /// execution's, kept meanwhile in the two members below).
  const ChildExecution* context_owner = nullptr;
  json own_execution_context;
  json own_state_machine_context;
  /// Puts `owner`'s Execution and StateMachine into `context` (null: this
  /// execution's own), so that `$$` in a child execution is the child's.
  void use_context_of(const ChildExecution* owner);
  /// Payload text in `history` (`detail::payload_bytes` of each event).
  std::size_t history_payload_bytes = 0;
  std::uint64_t transitions = 0;
  /// RedriveExecution: how often, and when last.
  std::int64_t redrive_count = 0;
  std::optional<TimePoint> redrive_date;

  // ---- interpreter state ----------------------------------------------------
  /// The context object `$$`. One per execution: the State (and Task, Map)
  /// members are rewritten before each evaluation, which is safe because
  /// evaluation is synchronous, and saves copying Execution.Input per state.
  json context;
  std::unique_ptr<Run> root;
  std::deque<Run*> ready;
  /// `Execution::set_time_slice`; zero: unbounded.
  std::chrono::nanoseconds time_slice{0};
  /// When the current call's slice ends (with a non-zero `time_slice`).
  std::chrono::steady_clock::time_point slice_end{};
  std::unordered_map<std::uint64_t, Run*> tasks;
  std::unordered_map<std::uint64_t, TimerEntry> timers;
  std::uint64_t next_task_id = 1;
  std::uint64_t next_timer_id = 1;
  std::uint64_t execution_timer = 0;

  // ---- history --------------------------------------------------------------
  /// Counts an event's payload against the execution's cap and the host's
  /// budget; throws HistoryLimitReached when either refuses it.
  void reserve_payload(const json& details) {
    const auto bytes = detail::payload_bytes(details);
    const auto payload = history_payload_bytes + bytes;
    if (payload > detail::kMaxHistoryPayloadBytes)
      throw detail::HistoryLimitReached{true, false, {}};
    if (bytes > 0) {
      if (auto refused = host.reserve_history_bytes(bytes)) {
        throw detail::HistoryLimitReached{false, false, std::move(*refused)};
      }
    }
    history_payload_bytes = payload;
  }

  std::int64_t record(std::int64_t previous, std::string type, const char* details_key,
                      json details = json::object()) {
    if (!detail::ends_execution(type)) {
      if (history.size() + 1 >= detail::kMaxHistoryEvents) throw detail::HistoryLimitReached{};
      reserve_payload(details);
    }
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

  /// Records into `events` (a child workflow execution's history), or into
  /// the execution's own history when it is null.
  std::int64_t record_to(std::vector<HistoryEvent>* events, std::int64_t previous, std::string type,
                         const char* details_key, json details = json::object()) {
    if (events == nullptr) {
      return record(previous, std::move(type), details_key, std::move(details));
    }
    // Ending a child execution is always recorded, as ending the execution is.
    if (!detail::ends_execution(type)) {
      if (events->size() + 1 >= detail::kMaxHistoryEvents) throw detail::HistoryLimitReached{};
      if (child_events + 1 > detail::kMaxChildExecutionEvents) {
        throw detail::HistoryLimitReached{false, true, {}};
      }
      reserve_payload(details);
    }
    ++child_events;
    HistoryEvent event;
    event.id = static_cast<std::int64_t>(events->size()) + 1;
    event.previous_event_id = previous;
    event.timestamp = host.now();
    event.type = std::move(type);
    event.details_key = details_key;
    event.details = std::move(details);
    events->push_back(std::move(event));
    return events->back().id;
  }

  std::int64_t record_in(Run& run, std::string type, const char* details_key,
                         json details = json::object()) {
    run.last_event =
        record_to(run.events, run.last_event, std::move(type), details_key, std::move(details));
    return run.last_event;
  }

  /// The history `run` records into.
  std::vector<HistoryEvent>& events_of(const Run& run) {
    return run.events != nullptr ? *run.events : history;
  }

  [[nodiscard]] std::int64_t last_event_id() const {
    return static_cast<std::int64_t>(history.size());
  }

  // ---- scheduling -----------------------------------------------------------
  void enqueue(Run& run);
  /// Drives the ready runs until none is ready or the time slice is over.
  void pump();
  /// The time slice is bounded and used up.
  [[nodiscard]] bool slice_over() const {
    return time_slice.count() > 0 && std::chrono::steady_clock::now() >= slice_end;
  }
  std::uint64_t start_timer(Run* run, TimerKind kind, TimePoint due);
  void cancel_timer(std::uint64_t& id);
  /// The run no longer waits for its task. `tell_host`: the task is still
  /// open on the host's side (timeout, abort), so its token must go stale.
  void close_task(Run& run, bool tell_host);

  // ---- the interpreter loop ---------------------------------------------------
  static const State& state_of(const Run& run) { return run.machine->states[run.state]; }

  void drive(Run& run);
  std::string state_error_prefix(const Run& run) const;
  void set_state_context(const Run& run, const State& s);
  void enter(Run& run);
  /// Recorded on AWS (test_max_concurrency_path_negative): a Map whose
  /// MaxConcurrencyPath selects a negative number stalls its execution before
  /// MapStateEntered. Whether `run` entering `s` is such a Map.
  [[nodiscard]] bool stalls_on_negative_concurrency(const Run& run, const State& s) const;

  // ---- input and output processing -----------------------------------------
  json evaluate_path(const Run& run, const JsonPath& path, const json& data) const;
  /// InputPath applied to the state's raw input. Returns the raw input itself
  /// (no copy) in the common case, else a value kept in `scratch`.
  const json& effective_input(const Run& run, const State& s, json& scratch) const;
  json evaluate_template(const json& payload_template, const json& data);
  /// The same inside `run`'s state: a States.Runtime cause gets AWS's
  /// "An error occurred while executing the state ..." prefix.
  json evaluate_template(const Run& run, const json& payload_template, const json& data);
  json apply_result_path(const Run& run, const PathField& result_path, json result) const;
  json apply_output_path(const Run& run, const State& s, json value) const;
  /// Records <Type>StateExited and moves to `next` (nullopt: the run ends).
  void exit_state(Run& run, json state_output, std::optional<std::size_t> next);

  [[nodiscard]] static std::optional<std::size_t> next_of(const State& s) {
    if (s.end) return std::nullopt;
    return s.next;
  }

  // ---- JSONata and variables (execution_jsonata.cpp, execution_variables.cpp) --
  /// `$states` (input, context and, where given, result and errorOutput) and
  /// the variables, as JSONata bindings.
  json jsonata_bindings(const Run& run, const json* result, const json* error_output) const;
  /// A field's value: a `{% ... %}` string evaluated, anything else as is.
  /// `field` names it in errors (`Output`, `Arguments/FunctionName`).
  json evaluate_jsonata(Run& run, const json& value, const json& bindings,
                        const std::string& field);
  /// The same over objects and arrays, evaluating every expression in them.
  json evaluate_jsonata_template(Run& run, const json& node, const json& bindings,
                                 const std::string& field);
  /// Throws States.QueryEvaluationError unless `value` (the result of
  /// `field_value`) has the JSON type `expected` (number_integer: any number).
  json expect_jsonata_type(Run& run, const json& field_value, json value, const std::string& field,
                           json::value_t expected, const char* expected_name);
  /// Records the EvaluationFailed event AWS writes for a JSONata failure and
  /// returns the States.QueryEvaluationError to throw. `link_entered`: the
  /// event links to the StateEntered (Wait's fields, as recorded) instead of
  /// to the event before it (Arguments, Output, Assign, Items).
  StatesError query_failure(Run& run, const std::string& location, const std::string& why,
                            bool link_entered = false);
  StatesError query_error(Run& run, const std::string& expression, const std::string& field,
                          const std::string& problem);
  /// Evaluates an Assign block into `run.pending_assign`. JSONata: with
  /// `bindings`; JSONPath: a payload template over `data` (the state's result,
  /// or its input for a state without one, or a catcher's error output).
  void prepare_assign(Run& run, const json& assign, const json* bindings, const json& data);
  /// Moves `run.pending_assign` into the run's variables; returns what AWS
  /// records as `assignedVariables` (name -> value as JSON text), or null.
  json apply_assign(Run& run);
  /// A JSONata state's output: its Output evaluated, else `fallback`.
  json jsonata_output(Run& run, const json* output_field, const json& bindings, json fallback);
  /// A JSONata whole number field (TimeoutSeconds, HeartbeatSeconds, Wait
  /// Seconds, MaxConcurrency) given as an expression.
  std::int64_t jsonata_whole_number(Run& run, const json& field_value, const json& bindings,
                                    const char* field, bool allow_zero);

  // ---- states -------------------------------------------------------------------
  void attempt(Run& run);
  void attempt_pass(Run& run, const State& s);
  void attempt_choice(Run& run, const State& s);
  void attempt_jsonata_choice(Run& run, const State& s);
  /// A JSONata Choice's decision: the target, and the Assign and Output that
  /// apply (a matched rule's own replace the state's).
  struct JsonataChoice {
    std::size_t target = 0;
    const json* assign = nullptr;
    const json* output = nullptr;
  };
  JsonataChoice choose_jsonata(Run& run, const State& s, const json& bindings);
  /// The matched rule's Next, else Default; States.NoChoiceMatched without either.
  std::size_t choice_or_default(const Run& run, const State& s,
                                std::optional<std::size_t> chosen) const;
  /// A JSONata Wait's Seconds or Timestamp expression, as the time to wait until.
  TimePoint jsonata_wait_due(Run& run, const State& s, TimePoint now);
  void attempt_wait(Run& run, const State& s);
  std::string evaluate_dynamic(const Run& run, const detail::DynamicValue& value,
                               const char* field);
  void attempt_fail(Run& run, const State& s);
  /// A Fail state's error and cause: literals, JSONata expressions or paths.
  Failure fail_state_failure(Run& run, const State& s);
  std::optional<std::int64_t> resolve_seconds(const Run& run,
                                              const std::optional<std::int64_t>& literal,
                                              const std::optional<JsonPath>& path,
                                              const json& effective, const char* field) const;
  void attempt_task(Run& run, const State& s);
  /// A Task's work as the host is asked to do it: the input after Parameters
  /// (JSONPath) or Arguments (JSONata), and its timeouts. With `own_context`,
  /// `run.task_token` and the context's State and Task are set first
  /// (`$$.Task.Token`); without, the caller has set them.
  TaskRequest task_request(Run& run, const State& s, std::uint64_t task_id,
                           bool own_context = true);
  /// A Wait's SecondsPath / TimestampPath value; a miss is AWS's
  /// "The <field> parameter does not reference an input value: <path>".
  json wait_path_value(const Run& run, const JsonPath& path, const json& data,
                       const char* field) const;
  /// Who AWS names in an oversized task result's cause (recorded): the
  /// integration's resource type (`lambda` for lambda:invoke), else the
  /// resource's ARN.
  static std::string oversized_result_owner(const State& s);
  /// Adds `resourceType` and `resource` to a Task* event's details.
  void add_service_resource(const State& s, json& details) const;
  void attempt_parallel(Run& run, const State& s);
  void attempt_map(Run& run, const State& s);
  /// A JSONata Map's iteration inputs: Items (default: the state input; the
  /// items an ItemReader read, when `read_items` is given), each through
  /// ItemSelector; sets `max_concurrency` from its expression.
  std::vector<json> jsonata_map_inputs(Run& run, const State& s, std::int64_t& max_concurrency,
                                       const json* read_items = nullptr);
  /// A JSONPath Map's items: what ItemsPath selects from the effective input.
  /// Not an array: States.Runtime with AWS's "Reference path ... must point to array.".
  json map_items(const Run& run, const State& s, const json& effective) const;
  /// A JSONPath Map's MaxConcurrency, or the value MaxConcurrencyPath selects.
  std::int64_t jsonpath_max_concurrency(const Run& run, const State& s,
                                        const json& effective) const;
  /// A JSONPath Map's iteration inputs: each item through ItemSelector
  /// (with `$$.Map.Item`), or the items themselves.
  std::vector<json> select_items(Run& run, const State& s, json items, const json& effective);
  /// Records MapStateStarted and starts the iterations over `inputs`.
  void start_iterations(Run& run, const State& s, std::vector<json> inputs,
                        std::int64_t max_concurrency,
                        std::optional<FailureTolerance> tolerance = std::nullopt,
                        std::optional<std::size_t> length = std::nullopt);
  /// Starts iterations up to MaxConcurrency; their MapIterationStarted events
  /// link to `link` (MapStateStarted, or the last event of the iteration whose
  /// end made room, as AWS records).
  void launch_iterations(Run& map_run, std::int64_t link);

  // ---- distributed Map (execution_map_run.cpp) --------------------------------
  /// ToleratedFailureCount/Percentage from the literal, path or expression.
  FailureTolerance failure_tolerance(Run& run, const State& s, const json* effective,
                                     const json* bindings);
  /// ItemBatcher: groups the iteration inputs into `{"BatchInput", "Items"}` batches.
  std::vector<json> batch_items(Run& run, const State& s, std::vector<json> inputs,
                                const json* effective, const json* bindings);
  /// After MapStateStarted: MapRunStarted, then the child executions.
  void start_map_run(Run& run, const State& s, FailureTolerance tolerance,
                     std::int64_t max_concurrency, std::size_t items);
  /// Starts a child workflow execution of `map_run`: its own ExecutionStarted.
  void start_child_execution(Run& map_run, Run& child);
  /// Ends the run's Map Run summary with `status` (the running and pending
  /// children of an aborted or failed one count as aborted).
  void close_map_run(Run& run, const char* final_status);
  /// A child execution ended: the Map Run goes on, succeeds, or fails once its
  /// failures exceed the tolerated threshold.
  void map_run_child_finished(Run& parent, Run& child);
  /// Fails the Map Run of `parent` for exceeding its tolerated failures:
  /// aborts its children but `finished` (the child whose end decided it, or
  /// none), records MapRunFailed (and MapStateFailed unless a retrier takes
  /// it) and queues `parent` to fail.
  void fail_map_run(Run& parent, const Run* finished);
  /// The run (anywhere in the tree under `run`) whose running Map Run is `arn`.
  Run* find_map_run(Run& run, const std::string& arn);
  bool on_update_map_run(const std::string& arn, const MapRunUpdate& update);
  void complete(Run& run);

  // ---- errors: Retry, Catch, propagation ------------------------------------
  void handle_failure(Run& run);
  /// Whether a retrier will rerun the state after `run.failure`: the first
  /// retrier whose ErrorEquals matches, with attempts left.
  [[nodiscard]] std::optional<std::size_t> retrier_for(const Run& run) const;
  void finish_run(Run& run);
  void child_finished(Run& parent, Run& child);
  /// Stops a run and everything below it. With `link`, writes the
  /// MapIterationAborted / <Type>StateAborted events AWS records when a
  /// sibling fails, each linked to `link` (the failing event); without it
  /// (StopExecution, timeouts) nothing is recorded, as on AWS.
  void abort_run(Run& run, std::optional<std::int64_t> link);
  void end_execution(ExecutionStatus final_status, std::string final_error,
                     std::string final_cause);

  // ---- redrive (execution_redrive.cpp) -----------------------------------------
  /// Records ExecutionRedriven and resumes the unsuccessful runs. False
  /// (nothing recorded) unless the execution has ended unsuccessfully.
  bool on_redrive();
  /// A Parallel/Map failed: keeps its children for a later redrive.
  void keep_for_redrive(Run& parent);
  /// Readies an unsuccessful run to enter its current state again.
  void prepare_redrive(Run& run);
  /// The attempt of a redriven Parallel/Map: reruns only its unsuccessful children.
  void resume_children(Run& run, const State& s);
  /// Drops the children kept by `keep_for_redrive` (a new attempt replaces them).
  static void drop_kept(Run& run);

  // ---- events from the host ---------------------------------------------------
  Run* open_task(std::uint64_t task_id);
  TaskReport on_task_started(std::uint64_t task_id, const std::string& worker_name);
  TaskReport on_task_heartbeat(std::uint64_t task_id);
  TaskReport on_task_submitted(std::uint64_t task_id, const json& response);
  TaskReport on_task_succeeded(std::uint64_t task_id, json task_output);
  TaskReport on_task_error(std::uint64_t task_id, const std::string& task_error,
                           const std::string& task_cause, bool schedule_failed);
  void on_timer(std::uint64_t timer_id);
  void on_start();
  void on_stop(const std::string& stop_error, const std::string& stop_cause);
  /// Anything unexpected (a bug, a host that throws, memory) fails the
  /// execution with States.Runtime instead of escaping to the engine.
  void fail_internally(const std::string& what) noexcept;
  /// The history is full (`detail::kMaxHistoryEvents`, or the local payload
  /// bound): records ExecutionFailed (States.Runtime) as the last event, as
  /// AWS does, and ends the execution.
  void fail_for_history_limit(const detail::HistoryLimitReached& reached) noexcept;
  template <typename F>
  auto guarded(F&& body, decltype(body()) on_error) noexcept -> decltype(body());
};

}  // namespace loveless::asl
