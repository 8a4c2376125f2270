// Execution's public methods and the run loop: enqueue/pump/drive, state entry and exit, timers.

#include "loveless/asl/execution.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "loveless/asl/errors.hpp"
#include "loveless/asl/json_document.hpp"
#include "loveless/asl/json_path.hpp"

#include "compiled_machine.hpp"
#include "execution_impl.hpp"
#include "execution_util.hpp"
#include "json_text.hpp"

namespace loveless::asl {

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

Execution::Impl::Impl(std::shared_ptr<const Definition> definition, ExecutionInfo execution_info,
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
        {"StartTime", detail::format_context_time(start_date)},
        {"RedriveCount", 0}}},
      {"State", {{"EnteredTime", ""}, {"Name", ""}, {"RetryCount", 0}}},
      {"StateMachine", {{"Id", info.state_machine_arn}, {"Name", info.state_machine_name}}},
  };
}

void Execution::Impl::enqueue(Run& run) {
  if (run.queued || !run.active) return;
  run.queued = true;
  ready.push_back(&run);
}

void Execution::Impl::pump() {
  if (time_slice.count() > 0) slice_end = std::chrono::steady_clock::now() + time_slice;
  bool first = true;
  while (status == ExecutionStatus::kRunning && !ready.empty()) {
    // The rest waits for `resume`: the ready runs stay in their order.
    if (!first && slice_over()) return;
    first = false;
    Run* run = ready.front();
    ready.pop_front();
    run->queued = false;
    if (run->active) drive(*run);
  }
}

std::uint64_t Execution::Impl::start_timer(Run* run, TimerKind kind, TimePoint due) {
  const std::uint64_t id = next_timer_id++;
  timers[id] = TimerEntry{run, kind};
  host.start_timer(id, due);
  return id;
}

void Execution::Impl::cancel_timer(std::uint64_t& id) {
  if (id == 0) return;
  timers.erase(id);
  host.cancel_timer(id);
  id = 0;
}

void Execution::Impl::drive(Run& run) {
  bool stepped = false;
  while (status == ExecutionStatus::kRunning) {
    if (stepped && slice_over() && run.step != Step::kBlocked && run.step != Step::kDone) {
      // Yield between two steps. At the front, so that `resume` goes on
      // with this run and the events come in the order one call would give.
      run.queued = true;
      ready.push_front(&run);
      return;
    }
    stepped = true;
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
      run.failure = Failure::of(e.error(), e.cause());
      run.step = run.step == Step::kFail ? Step::kDone : Step::kFail;
      if (run.step == Step::kDone) run.in_state = false;
    } catch (const JsonPathNoMatch& e) {
      run.failure =
          Failure::of(std::string(error_names::kRuntime), state_error_prefix(run) + e.what());
      run.step = run.step == Step::kFail ? Step::kDone : Step::kFail;
      if (run.step == Step::kDone) run.in_state = false;
    }
  }
}

std::string Execution::Impl::state_error_prefix(const Run& run) const {
  // A state that no history records (TestState's) has no event to name; AWS's
  // TestState answers its causes without the prefix (recorded).
  if (run.entered_event == 0) return "";
  return "An error occurred while executing the state '" + state_of(run).name +
         "' (entered at the event id #" + std::to_string(run.entered_event) + "). ";
}

void Execution::Impl::use_context_of(const ChildExecution* owner) {
  if (owner == context_owner) return;
  if (context_owner == nullptr) {
    own_execution_context = std::move(context["Execution"]);
    own_state_machine_context = std::move(context["StateMachine"]);
  }
  if (owner == nullptr) {
    context["Execution"] = std::move(own_execution_context);
    context["StateMachine"] = std::move(own_state_machine_context);
  } else {
    const std::string& machine = owner->state_machine_arn;
    context["Execution"] = json{{"Id", owner->arn},
                                {"Input", owner->input},
                                {"Name", owner->name},
                                {"RoleArn", info.role_arn},
                                {"StartTime", detail::format_context_time(owner->start_date)},
                                {"RedriveCount", 0}};
    context["StateMachine"] =
        json{{"Id", machine}, {"Name", machine.substr(machine.rfind(':') + 1)}};
  }
  context_owner = owner;
}

void Execution::Impl::set_state_context(const Run& run, const State& s) {
  use_context_of(run.child_owner);
  json& st = context["State"];
  st["EnteredTime"] = run.entered_time;
  st["Name"] = s.name;
  // Recorded on AWS: only states that can retry (Task, Parallel, Map) carry
  // RetryCount; a Pass state's State is {Name, EnteredTime}.
  if (s.type == StateType::kTask || s.type == StateType::kParallel || s.type == StateType::kMap) {
    st["RetryCount"] = run.retry_count;
  } else {
    st.erase("RetryCount");
  }
  if (s.type == StateType::kTask && !run.task_token.empty()) {
    context["Task"] = json{{"Token", run.task_token}};
  } else {
    context.erase("Task");
  }
}

void Execution::Impl::enter(Run& run) {
  const State& s = state_of(run);
  if (stalls_on_negative_concurrency(run, s)) {
    // As AWS records it: nothing more happens (not even MapStateEntered)
    // until StopExecution or the execution's TimeoutSeconds ends it.
    run.step = Step::kBlocked;
    return;
  }
  ++transitions;
  run.in_state = true;
  run.entered_time = detail::format_context_time(host.now());
  run.retry_counters.assign(s.retriers.size(), 0);
  run.retry_count = 0;
  run.task_token.clear();
  run.pending_assign.reset();
  json details = {
      {"name", s.name}, {"input", to_json_text(run.input)}, {"inputDetails", payload_details()}};
  run.entered_event = record_in(run, std::string(detail::type_name(s.type)) + "StateEntered",
                                "stateEnteredEventDetails", std::move(details));
  run.step = Step::kAttempt;
}

void Execution::Impl::exit_state(Run& run, json state_output, std::optional<std::size_t> next) {
  const State& s = state_of(run);
  // Children kept for a redrive (execution_redrive.cpp) are stale once the state is left.
  drop_kept(run);
  // Before the text is written: writing and copying recurse per level, and a
  // loop that wraps its input once per pass would nest without end.
  if (json_depth(state_output) > kMaxJsonDepth) {
    throw StatesError(std::string(error_names::kDataLimitExceeded),
                      "The state/task '" + s.name +
                          "' returned a result nesting arrays and objects deeper than " +
                          std::to_string(kMaxJsonDepth) + " levels.");
  }
  std::string text = to_json_text(state_output);
  if (text.size() > kMaxPayloadBytes) {
    throw StatesError(std::string(error_names::kDataLimitExceeded),
                      "The state/task '" + s.name +
                          "' returned a result with a size exceeding the maximum number of "
                          "bytes service limit.");
  }
  json details{{"name", s.name}, {"output", std::move(text)}, {"outputDetails", payload_details()}};
  if (json assigned = apply_assign(run); !assigned.is_null()) {
    details["assignedVariables"] = std::move(assigned);
    details["assignedVariablesDetails"] = json{{"truncated", false}};
  }
  record_in(run, std::string(detail::type_name(s.type)) + "StateExited", "stateExitedEventDetails",
            std::move(details));
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

void Execution::Impl::attempt(Run& run) {
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
      if (s.jsonata) {
        const json bindings = jsonata_bindings(run, nullptr, nullptr);
        exit_state(run, jsonata_output(run, s.output, bindings, run.input), std::nullopt);
        break;
      }
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

void Execution::Impl::complete(Run& run) {
  const State& s = state_of(run);
  set_state_context(run, s);
  run.children.clear();
  json result = std::move(run.result);
  run.result = json();
  if (s.jsonata) {
    // Task, Parallel and Map: `$states.result`; a Wait has none.
    const bool has_result = s.type != StateType::kWait;
    const json bindings = jsonata_bindings(run, has_result ? &result : nullptr, nullptr);
    if (s.assign != nullptr) prepare_assign(run, *s.assign, &bindings, result);
    json fallback = has_result ? std::move(result) : run.input;
    exit_state(run, jsonata_output(run, s.output, bindings, std::move(fallback)), next_of(s));
    return;
  }
  if (s.type == StateType::kWait) {
    if (s.assign != nullptr) prepare_assign(run, *s.assign, nullptr, result);
    exit_state(run, apply_output_path(run, s, std::move(result)), next_of(s));
    return;
  }
  if (s.result_selector != nullptr) result = evaluate_template(run, *s.result_selector, result);
  // Recorded on AWS: a JSONPath Assign's `$` is the result after ResultSelector.
  if (s.assign != nullptr) prepare_assign(run, *s.assign, nullptr, result);
  json out = apply_result_path(run, s.result_path, std::move(result));
  exit_state(run, apply_output_path(run, s, std::move(out)), next_of(s));
}

void Execution::Impl::end_execution(ExecutionStatus final_status, std::string final_error,
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

void Execution::Impl::on_timer(std::uint64_t timer_id) {
  if (status != ExecutionStatus::kRunning) return;
  const auto it = timers.find(timer_id);
  if (it == timers.end()) return;
  const TimerEntry entry = it->second;
  timers.erase(it);
  Run* run = entry.run;
  switch (entry.kind) {
    case TimerKind::kExecutionTimeout: {
      execution_timer = 0;
      if (root) abort_run(*root, std::nullopt);
      // Recorded on AWS: one ExecutionTimedOut event, linked to no event,
      // carrying States.Timeout and no cause; DescribeExecution then shows
      // neither error nor cause.
      record(0, "ExecutionTimedOut", "executionTimedOutEventDetails",
             error_details(std::string(error_names::kTimeout), ""));
      end_execution(ExecutionStatus::kTimedOut, "", "");
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
      // Recorded on AWS: States.Timeout and no cause on the event; a catcher
      // sees `"Cause": ""`.
      const TaskEventNames& names = task_event_names(s.resource_kind);
      json details = json::object();
      add_service_resource(s, details);
      details["error"] = error_names::kTimeout;
      record_in(*run, names.timed_out, names.timed_out_key, std::move(details));
      run->failure = Failure{std::string(error_names::kTimeout), std::string(), heartbeat};
      run->step = Step::kFail;
      break;
    }
  }
  enqueue(*run);
  pump();
}

void Execution::Impl::on_start() {
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
  // With a time slice the host answers the call that started the execution
  // (StartExecution) before any state runs, as AWS does: the first state
  // may take seconds (one JSONata expression runs to its 10 s bound) and
  // waits for `resume` like the rest.
  if (time_slice.count() == 0) pump();
}

void Execution::Impl::on_stop(const std::string& stop_error, const std::string& stop_cause) {
  if (status != ExecutionStatus::kRunning) return;
  // Recorded on AWS: StopExecution adds one ExecutionAborted event, linked to
  // no event; the states in flight record nothing.
  if (root) abort_run(*root, std::nullopt);
  record(0, "ExecutionAborted", "executionAbortedEventDetails",
         error_details(stop_error, stop_cause));
  end_execution(ExecutionStatus::kAborted, stop_error, stop_cause);
}

void Execution::Impl::fail_internally(const std::string& what) noexcept {
  try {
    if (status != ExecutionStatus::kRunning) return;
    if (root) abort_run(*root, std::nullopt);
    record(last_event_id(), "ExecutionFailed", "executionFailedEventDetails",
           error_details(std::string(error_names::kRuntime), "Internal error: " + what));
    end_execution(ExecutionStatus::kFailed, std::string(error_names::kRuntime),
                  "Internal error: " + what);
  } catch (...) {
    status = ExecutionStatus::kFailed;
    error = error_names::kRuntime;
  }
}

void Execution::Impl::fail_for_history_limit(const detail::HistoryLimitReached& reached) noexcept {
  try {
    if (status != ExecutionStatus::kRunning) return;
    if (root) abort_run(*root, std::nullopt);
    const std::string why = !reached.host_cause.empty() ? reached.host_cause
                            : reached.child_events      ? detail::kChildEventsCause
                            : reached.payload_bytes     ? detail::kHistoryBytesCause
                                                        : detail::kHistoryLimitCause;
    record(last_event_id(), "ExecutionFailed", "executionFailedEventDetails",
           error_details(std::string(error_names::kRuntime), why));
    end_execution(ExecutionStatus::kFailed, std::string(error_names::kRuntime), why);
  } catch (const std::exception& e) {
    fail_internally(e.what());
  }
}

template <typename F>
auto Execution::Impl::guarded(F&& body, decltype(body()) on_error) noexcept -> decltype(body()) {
  try {
    return body();
  } catch (const detail::HistoryLimitReached& reached) {
    fail_for_history_limit(reached);
  } catch (const std::exception& e) {
    fail_internally(e.what());
  } catch (...) {
    fail_internally("unknown exception");
  }
  return on_error;
}

Execution::Execution(std::shared_ptr<const Definition> definition, ExecutionInfo info,
                     nlohmann::json input, ExecutionHost& host)
    : impl_(
          std::make_unique<Impl>(std::move(definition), std::move(info), std::move(input), host)) {}

Execution::~Execution() = default;

void Execution::set_time_slice(std::chrono::nanoseconds slice) noexcept {
  impl_->time_slice = slice;
}

bool Execution::has_pending_work() const noexcept {
  return impl_->status == ExecutionStatus::kRunning && !impl_->ready.empty();
}

void Execution::resume() {
  impl_->guarded(
      [&] {
        impl_->pump();
        return 0;
      },
      0);
}

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

TaskReport Execution::task_submitted(std::uint64_t task_id, const nlohmann::json& output) {
  return impl_->guarded([&] { return impl_->on_task_submitted(task_id, output); },
                        TaskReport::kAccepted);
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

bool Execution::update_map_run(const std::string& map_run_arn, const MapRunUpdate& update) {
  return impl_->guarded([&] { return impl_->on_update_map_run(map_run_arn, update); }, false);
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
const std::vector<MapRunSummary>& Execution::map_runs() const noexcept { return impl_->map_runs; }
const std::deque<ChildExecution>& Execution::child_executions() const noexcept {
  return impl_->child_executions;
}
std::uint64_t Execution::state_transitions() const noexcept { return impl_->transitions; }

}  // namespace loveless::asl
