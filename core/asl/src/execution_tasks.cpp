// Task states: scheduling a task on the host, then its start, heartbeats, result or error.

#include <optional>
#include <string>
#include <utility>

#include "loveless/asl/errors.hpp"

#include "execution_impl.hpp"
#include "execution_util.hpp"
#include "json_text.hpp"

namespace loveless::asl {

namespace detail {

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

}  // namespace detail

std::optional<std::int64_t> Execution::Impl::resolve_seconds(
    const Run& run, const std::optional<std::int64_t>& literal, const std::optional<JsonPath>& path,
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

TaskRequest Execution::Impl::task_request(Run& run, const State& s, std::uint64_t task_id,
                                          bool own_context) {
  if (own_context) {
    // The token exists before Parameters are evaluated: `$$.Task.Token` is
    // how a .waitForTaskToken integration hands it to the worker.
    run.task_token = detail::make_task_token(info.execution_arn, task_id, host.random());
    set_state_context(run, s);
  }

  TaskRequest request;
  request.task_id = task_id;
  request.task_token = run.task_token;
  request.kind = s.resource_kind;
  request.resource = s.resource;
  request.state_name = s.name;
  if (s.jsonata) {
    const json bindings = jsonata_bindings(run, nullptr, nullptr);
    request.input = s.arguments != nullptr
                        ? evaluate_jsonata_template(run, *s.arguments, bindings, "Arguments")
                        : run.input;
    request.timeout_seconds = s.timeout_seconds;
    request.heartbeat_seconds = s.heartbeat_seconds;
    if (s.timeout_expression != nullptr) {
      request.timeout_seconds =
          jsonata_whole_number(run, *s.timeout_expression, bindings, "TimeoutSeconds", false);
    }
    if (s.heartbeat_expression != nullptr) {
      request.heartbeat_seconds =
          jsonata_whole_number(run, *s.heartbeat_expression, bindings, "HeartbeatSeconds", false);
    }
    return request;
  }
  json scratch;
  const json& effective = effective_input(run, s, scratch);
  if (s.parameters != nullptr) {
    request.input = evaluate_template(run, *s.parameters, effective);
  } else {
    request.input = effective;
  }
  request.timeout_seconds = resolve_seconds(run, s.timeout_seconds, s.timeout_seconds_path,
                                            effective, "TimeoutSecondsPath");
  request.heartbeat_seconds = resolve_seconds(run, s.heartbeat_seconds, s.heartbeat_seconds_path,
                                              effective, "HeartbeatSecondsPath");
  return request;
}

void Execution::Impl::attempt_task(Run& run, const State& s) {
  const std::uint64_t task_id = next_task_id++;
  const TaskRequest request = task_request(run, s, task_id);
  run.timeout_seconds = request.timeout_seconds.value_or(kDefaultTaskTimeoutSeconds);
  run.heartbeat_seconds = request.heartbeat_seconds;

  if (auto problem = host.resource_problem(request); !problem.empty()) {
    throw StatesError(std::string(error_names::kRuntime), state_error_prefix(run) + problem);
  }
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

std::string Execution::Impl::oversized_result_owner(const State& s) {
  switch (s.resource_kind) {
    case ResourceKind::kActivity:
    case ResourceKind::kLambdaArn:
      return s.resource;  // recorded: the function's ARN
    case ResourceKind::kLambdaInvoke:
    case ResourceKind::kOther:
      break;
  }
  return detail::split_service_resource(s.resource).resource_type;
}

void Execution::Impl::add_service_resource(const State& s, json& details) const {
  if (s.resource_kind == ResourceKind::kActivity || s.resource_kind == ResourceKind::kLambdaArn) {
    return;
  }
  const auto service = detail::split_service_resource(s.resource);
  details["resourceType"] = service.resource_type;
  details["resource"] = service.resource;
}

void Execution::Impl::close_task(Run& run, bool tell_host) {
  if (run.task_id == 0) return;
  tasks.erase(run.task_id);
  cancel_timer(run.timeout_timer);
  cancel_timer(run.heartbeat_timer);
  if (tell_host) host.cancel_task(run.task_id);
  run.task_id = 0;
  run.task_started = false;
}

Run* Execution::Impl::open_task(std::uint64_t task_id) {
  if (status != ExecutionStatus::kRunning) return nullptr;
  const auto it = tasks.find(task_id);
  return it == tasks.end() ? nullptr : it->second;
}

TaskReport Execution::Impl::on_task_started(std::uint64_t task_id, const std::string& worker_name) {
  Run* run = open_task(task_id);
  if (run == nullptr || run->task_started) return TaskReport::kStale;
  const State& s = state_of(*run);
  const TaskEventNames& names = task_event_names(s.resource_kind);
  json details = json::object();
  if (s.resource_kind == ResourceKind::kActivity) {
    // Recorded on AWS: a poller that sent no workerName gets none in the history.
    if (!worker_name.empty()) details["workerName"] = worker_name;
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

TaskReport Execution::Impl::on_task_heartbeat(std::uint64_t task_id) {
  Run* run = open_task(task_id);
  if (run == nullptr) return TaskReport::kStale;
  if (run->task_started && run->heartbeat_seconds) {
    cancel_timer(run->heartbeat_timer);
    run->heartbeat_timer =
        start_timer(run, TimerKind::kHeartbeat,
                    host.now() + seconds_to_duration(static_cast<double>(*run->heartbeat_seconds)));
  }
  return TaskReport::kAccepted;
}

TaskReport Execution::Impl::on_task_submitted(std::uint64_t task_id, const json& response) {
  Run* run = open_task(task_id);
  if (run == nullptr || !run->task_started) return TaskReport::kStale;
  // Recorded on AWS for every .waitForTaskToken integration: TaskSubmitted
  // with the API's response, then TaskSucceeded/Failed/TimedOut when the
  // token is answered or a timer expires.
  json details = json::object();
  add_service_resource(state_of(*run), details);
  details["output"] = to_json_text(response);
  details["outputDetails"] = payload_details();
  record_in(*run, "TaskSubmitted", "taskSubmittedEventDetails", std::move(details));
  return TaskReport::kAccepted;
}

TaskReport Execution::Impl::on_task_succeeded(std::uint64_t task_id, json task_output) {
  Run* run = open_task(task_id);
  if (run == nullptr) return TaskReport::kStale;
  const State& s = state_of(*run);
  close_task(*run, false);
  const TaskEventNames& names = task_event_names(s.resource_kind);
  json details = json::object();
  add_service_resource(s, details);
  std::string text = to_json_text(task_output);
  if (text.size() > kMaxPayloadBytes) {
    // Recorded on AWS: the task's own event fails (TaskFailed, not
    // TaskSucceeded), naming the resource type, and States.ALL catches it.
    std::string limit_cause = "The state/task '" + oversized_result_owner(s) +
                              "' returned a result with a size exceeding the maximum number of "
                              "bytes service limit.";
    details["error"] = error_names::kDataLimitExceeded;
    details["cause"] = limit_cause;
    record_in(*run, names.failed, names.failed_key, std::move(details));
    run->failure =
        Failure::of(std::string(error_names::kDataLimitExceeded), std::move(limit_cause));
    run->step = Step::kFail;
    enqueue(*run);
    pump();
    return TaskReport::kAccepted;
  }
  details["output"] = std::move(text);
  details["outputDetails"] = payload_details();
  record_in(*run, names.succeeded, names.succeeded_key, std::move(details));
  run->result = std::move(task_output);
  run->step = Step::kComplete;
  enqueue(*run);
  pump();
  return TaskReport::kAccepted;
}

TaskReport Execution::Impl::on_task_error(std::uint64_t task_id, const std::string& task_error,
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
  run->failure = Failure::of(task_error, task_cause);
  run->step = Step::kFail;
  enqueue(*run);
  pump();
  return TaskReport::kAccepted;
}

}  // namespace loveless::asl
