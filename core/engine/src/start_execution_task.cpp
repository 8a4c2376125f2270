#include "start_execution_task.hpp"

#include <cmath>
#include <utility>

#include <spdlog/spdlog.h>

#include "loveless/asl/integration_resource.hpp"
#include "loveless/engine/service_error.hpp"

#include "execution_record.hpp"
#include "operations.hpp"
#include "redrive_eligibility.hpp"
#include "sdk_metadata.hpp"
#include "service_context.hpp"
#include "uuid.hpp"

namespace loveless::engine {
namespace {

/// Epoch seconds (the API's dates) as the epoch milliseconds the Java SDK
/// writes into an integration's result.
std::int64_t epoch_millis(double seconds) {
  return static_cast<std::int64_t>(std::llround(seconds * 1000.0));
}

/// An SDK exception as AWS records it for a failed integration call:
/// `StepFunctions.StateMachineDoesNotExistException`, with the Java SDK's cause.
std::pair<std::string, std::string> integration_error(const ServiceError& error,
                                                      const std::string& request_id) {
  std::string name = error.type();
  if (!name.ends_with("Exception")) name += "Exception";
  return {"StepFunctions." + name,
          error.message() + " (Service: AWSStepFunctions; Status Code: 400; Error Code: " +
              error.type() + "; Request ID: " + request_id + "; Proxy: null)"};
}

/// StartExecution's `input`: absent or null is `{}`; a string is the input's
/// own text; anything else is written as JSON.
std::optional<std::string> child_input(const nlohmann::json& parameters) {
  const auto it = parameters.find("Input");
  if (it == parameters.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

/// A data member of the child's description: JSON text (`.sync`) or JSON (`.sync:2`).
nlohmann::json data_member(const std::string& text, StartExecutionPattern pattern) {
  if (pattern != StartExecutionPattern::kSync2) return text;
  return nlohmann::json::parse(text, nullptr, false);
}

}  // namespace

std::optional<StartExecutionPattern> start_execution_pattern(std::string_view resource) {
  const auto integration = asl::parse_integration_resource(resource);
  if (!integration || integration->service != "states" || integration->action != "startExecution") {
    return std::nullopt;
  }
  const auto suffix = integration->suffix;
  if (suffix.empty()) return StartExecutionPattern::kRequestResponse;
  if (suffix == ".sync") return StartExecutionPattern::kSync;
  if (suffix == ".sync:2") return StartExecutionPattern::kSync2;
  if (suffix == ".waitForTaskToken") return StartExecutionPattern::kWaitForTaskToken;
  return std::nullopt;
}

StartExecutionTask::StartExecutionTask(ServiceContext& context,
                                       std::weak_ptr<ExecutionRecord> parent, std::uint64_t task_id,
                                       StartExecutionPattern pattern, nlohmann::json parameters)
    : context_(context),
      parent_(std::move(parent)),
      task_id_(task_id),
      pattern_(pattern),
      parameters_(std::move(parameters)) {}

void StartExecutionTask::start() {
  context_.integrations.post([self = shared_from_this()] { self->call_start_execution(); });
}

template <typename Fn>
void StartExecutionTask::report_to_parent(bool closes_task, Fn fn) {
  const auto parent = parent_.lock();
  if (!parent) return;
  parent->report_task(task_id_, closes_task, fn);
}

nlohmann::json StartExecutionTask::start_child(std::uint32_t depth) {
  if (depth > kMaxNestingDepth) {
    throw ServiceError("ExecutionLimitExceeded",
                       "Execution Limit Exceeded: the local engine runs executions that start "
                       "each other (states:startExecution) at most " +
                           std::to_string(kMaxNestingDepth) +
                           " levels deep: does the workflow start itself without end?");
  }
  if (context_.open_children.load() >= kMaxOpenChildren) {
    throw ServiceError("ExecutionLimitExceeded",
                       "Execution Limit Exceeded: the local engine runs at most " +
                           std::to_string(kMaxOpenChildren) +
                           " executions started by states:startExecution at once");
  }
  nlohmann::json request = nlohmann::json::object();
  if (const auto it = parameters_.find("StateMachineArn"); it != parameters_.end()) {
    request["stateMachineArn"] = *it;
  }
  if (const auto it = parameters_.find("Name"); it != parameters_.end() && !it->is_null()) {
    request["name"] = *it;
  }
  if (const auto input = child_input(parameters_)) request["input"] = *input;
  return start_execution(context_, request);
}

void StartExecutionTask::call_start_execution() {
  {
    const std::lock_guard lock(mutex_);
    if (cancelled_) return;  // the parent stopped waiting before the child started
  }
  const auto parent = parent_.lock();
  if (!parent) return;
  // TaskStarted first, as AWS records it: the child may answer the parent's
  // token as soon as it runs.
  bool open = false;
  parent->report_task(task_id_, false, [&](asl::Execution& execution) {
    const auto started = execution.task_started(task_id_, "");
    open = started == asl::TaskReport::kAccepted;
    return started;
  });
  if (!open) return;
  const std::string request_id = random_uuid(context_.next_seed(), context_.next_seed());
  nlohmann::json answer;
  try {
    answer = start_child(parent->nesting_depth() + 1);
  } catch (const ServiceError& e) {
    const auto [error, cause] = integration_error(e, request_id);
    spdlog::debug("task {}: states:startExecution failed: {}", task_id_, cause);
    return fail_task(error, cause);
  } catch (const std::exception& e) {
    return fail_task("States.Runtime", std::string("states:startExecution failed: ") + e.what());
  }
  const auto child_arn = answer.at("executionArn").get<std::string>();
  const auto child = context_.executions.find(child_arn);
  if (child) {
    // Before this job ends: the child's own startExecution tasks run on this
    // thread, after it. An execution StartExecution returned again
    // (idempotent) keeps the deeper of the two.
    const auto depth = parent->nesting_depth() + 1;
    if (depth > child->nesting_depth()) child->set_nesting_depth(depth);
    ++context_.open_children;
    child->when_closed([context = &context_] { --context->open_children; });
  }
  nlohmann::json result = {{"ExecutionArn", child_arn},
                           {"StartDate", epoch_millis(answer.at("startDate").get<double>())}};
  const nlohmann::json headers = {{"Content-Length", std::to_string(answer.dump().size())},
                                  {"Content-Type", "application/x-amz-json-1.0"},
                                  {"Date", http_date_now()},
                                  {"connection", "keep-alive"},
                                  {"x-amzn-RequestId", request_id}};
  add_sdk_metadata(result, headers, request_id);
  bool cancelled = false;
  {
    const std::lock_guard lock(mutex_);
    child_arn_ = child_arn;
    cancelled = cancelled_;
  }
  if (pattern_ == StartExecutionPattern::kRequestResponse) {
    report_to_parent(true, [&](asl::Execution& execution) {
      return execution.task_succeeded(task_id_, result);
    });
    return;
  }
  report_to_parent(
      false, [&](asl::Execution& execution) { return execution.task_submitted(task_id_, result); });
  if (pattern_ == StartExecutionPattern::kWaitForTaskToken) return;
  if (cancelled) return cancel();
  if (child) child->when_closed([self = shared_from_this()] { self->child_closed(); });
}

void StartExecutionTask::fail_task(const std::string& error, const std::string& cause) {
  report_to_parent(true, [&](asl::Execution& execution) {
    return execution.task_failed(task_id_, error, cause);
  });
}

void StartExecutionTask::add_redrive_members(const ExecutionRecord& child,
                                             const asl::Execution& execution,
                                             nlohmann::json& description) {
  // DescribeExecution's redrive members, as AWS has recorded them in a
  // standard child's description since late 2024 (test_base_callbacks and
  // test_credentials_base recordings: RedriveCount 0, NOT_REDRIVABLE, "Execution
  // is SUCCEEDED and cannot be redriven"); 2023 recordings had none.
  description["RedriveCount"] = execution.redrive_count();
  if (execution.redrive_date()) {
    description["RedriveDate"] = epoch_millis(asl::to_epoch_seconds(*execution.redrive_date()));
  }
  const auto eligibility = redrive_eligibility(context_, child.info().state_machine_arn, execution,
                                               ServiceContext::now());
  description["RedriveStatus"] = eligibility.status;
  if (!eligibility.reason.empty()) description["RedriveStatusReason"] = eligibility.reason;
}

void StartExecutionTask::child_closed() {
  const auto child = context_.executions.find(child_arn_);
  if (!child) return;
  // Read from the record, not DescribeExecution: an EXPRESS child has no
  // DescribeExecution, and a child redriven meanwhile is running again.
  bool running = false;
  nlohmann::json description;
  child->with_execution([&](asl::Execution& execution) {
    running = execution.status() == asl::ExecutionStatus::kRunning;
    if (running) return;
    description = {{"ExecutionArn", child->arn()},
                   {"Input", data_member(child->input_text(), pattern_)},
                   {"InputDetails", {{"Included", true}}},
                   {"Name", child->info().execution_name},
                   {"StartDate", epoch_millis(asl::to_epoch_seconds(execution.start_date()))},
                   {"StateMachineArn", child->info().state_machine_arn},
                   {"Status", asl::to_string(execution.status())}};
    if (execution.stop_date()) {
      description["StopDate"] = epoch_millis(asl::to_epoch_seconds(*execution.stop_date()));
    }
    if (child->arn().find(":express:") == std::string::npos) {
      add_redrive_members(*child, execution, description);
    }
    if (execution.status() == asl::ExecutionStatus::kSucceeded) {
      const auto& output = execution.output();
      description["Output"] = data_member(output ? output->dump() : std::string("null"), pattern_);
      description["OutputDetails"] = {{"Included", true}};
      return;
    }
    // Recorded on AWS: the child's error and cause, where it has them, inside
    // the description that is the cause of States.TaskFailed.
    if (!execution.error().empty()) description["Error"] = execution.error();
    if (!execution.cause().empty()) description["Cause"] = execution.cause();
  });
  if (running) {
    child->when_closed([self = shared_from_this()] { self->child_closed(); });
    return;
  }
  if (description.contains("Output")) {
    report_to_parent(true, [&](asl::Execution& execution) {
      return execution.task_succeeded(task_id_, description);
    });
    return;
  }
  fail_task("States.TaskFailed", description.dump());
}

void StartExecutionTask::cancel() {
  std::string child;
  {
    const std::lock_guard lock(mutex_);
    cancelled_ = true;
    child = child_arn_;
  }
  const bool sync =
      pattern_ == StartExecutionPattern::kSync || pattern_ == StartExecutionPattern::kSync2;
  if (!sync || child.empty()) return;
  context_.integrations.post([context = &context_, child] {
    // Through the record: StopExecution does not take an EXPRESS child's ARN.
    if (const auto record = context->executions.find(child)) {
      record->with_execution([](asl::Execution& execution) { execution.stop("", ""); });
    }
  });
}

}  // namespace loveless::engine
