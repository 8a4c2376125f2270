#include "history_poller.hpp"

#include <exception>

#include "loveless/aws/json_members.hpp"
#include "loveless/history/task_derivation.hpp"

namespace loveless::scenario::detail {
namespace {

bool closes_execution(const std::string& type) {
  return type == "ExecutionSucceeded" || type == "ExecutionFailed" || type == "ExecutionTimedOut" ||
         type == "ExecutionAborted";
}

/// The API's event JSON as the engine's event (the details member is the
/// one whose name ends in `EventDetails`).
asl::HistoryEvent to_history_event(const nlohmann::json& event) {
  asl::HistoryEvent parsed;
  parsed.id = aws::integer_member(event, "id");
  parsed.previous_event_id = aws::integer_member(event, "previousEventId");
  parsed.type = aws::string_member(event, "type");
  if (const auto at = event.find("timestamp"); at != event.end() && at->is_number()) {
    parsed.timestamp = std::chrono::time_point_cast<asl::TimePoint::duration>(
        history::from_epoch_seconds(at->get<double>()));
  }
  for (const auto& [key, value] : event.items()) {
    if (key.ends_with("EventDetails") && value.is_object()) {
      parsed.details_key = key;
      parsed.details = value;
    }
  }
  return parsed;
}

}  // namespace

HistoryPoller::HistoryPoller(aws::JsonClient client, std::vector<std::string> state_machine_arns,
                             history::TimePoint since,
                             std::map<std::string, std::string> pool_of_resource,
                             std::map<std::string, std::string> function_worker,
                             notices::ExecutionObserver observer, HistoryPollerOptions options)
    : client_(std::move(client)),
      state_machine_arns_(std::move(state_machine_arns)),
      since_(since),
      pool_of_resource_(std::move(pool_of_resource)),
      function_worker_(std::move(function_worker)),
      observer_(std::move(observer)),
      options_(options),
      pacer_(options.calls_per_second),
      thread_([this] { run(); }) {}

HistoryPoller::~HistoryPoller() { stop(); }

void HistoryPoller::stop() noexcept {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool HistoryPoller::sleep_until(std::chrono::steady_clock::time_point until) {
  std::unique_lock lock(mutex_);
  return !wake_.wait_until(lock, until, [this] { return stopping_; });
}

bool HistoryPoller::paced() {
  return pacer_.wait([this](auto until) { return sleep_until(until); });
}

void HistoryPoller::run() {
  for (;;) {
    for (const auto& arn : state_machine_arns_) discover(arn);
    for (auto& [execution_arn, followed] : followed_) {
      if (followed.closed) continue;
      read_new_events(execution_arn, followed);
    }
    rounds_.fetch_add(1);
    if (!sleep_until(std::chrono::steady_clock::now() + options_.interval)) return;
  }
}

void HistoryPoller::discover(const std::string& state_machine_arn) {
  std::string token;
  do {
    if (!paced()) return;
    nlohmann::json request = {{"stateMachineArn", state_machine_arn}, {"maxResults", 100}};
    if (!token.empty()) request["nextToken"] = token;
    nlohmann::json page;
    try {
      page = client_.call("ListExecutions", request);
    } catch (const std::exception&) {
      return;  // next round
    }
    token = aws::string_member(page, "nextToken");
    for (const auto& execution : page.value("executions", nlohmann::json::array())) {
      const auto start = execution.find("startDate");
      // Newest first: once an execution is older than the run, so are the rest.
      if (start != execution.end() && start->is_number() &&
          history::from_epoch_seconds(start->get<double>()) < since_) {
        return;
      }
      const auto arn = aws::string_member(execution, "executionArn");
      if (!arn.empty() && !followed_.contains(arn)) {
        followed_[arn].state_machine_arn = state_machine_arn;
      }
    }
  } while (!token.empty());
}

void HistoryPoller::read_new_events(const std::string& execution_arn, Followed& followed) {
  std::string token;
  do {
    if (!paced()) return;
    nlohmann::json request = {{"executionArn", execution_arn}, {"maxResults", 1000}};
    if (!token.empty()) request["nextToken"] = token;
    nlohmann::json page;
    try {
      page = client_.call("GetExecutionHistory", request);
    } catch (const std::exception&) {
      return;  // next round, from the last event emitted
    }
    token = aws::string_member(page, "nextToken");
    for (const auto& event : page.value("events", nlohmann::json::array())) {
      if (aws::integer_member(event, "id") > followed.last_event_id)
        emit(execution_arn, followed, event);
    }
  } while (!token.empty());
}

void HistoryPoller::emit(const std::string& execution_arn, Followed& followed,
                         const nlohmann::json& event) {
  notices::ExecutionNotice notice;
  notice.execution_arn = execution_arn;
  notice.state_machine_arn = followed.state_machine_arn;
  notice.event = to_history_event(event);
  const auto& type = notice.event.type;
  if (type.ends_with("Scheduled")) {
    const auto pool = history::pool_of_scheduled(type, notice.event.details, pool_of_resource_);
    if (pool && !pool->empty()) followed.scheduled_pool[notice.event.id] = *pool;
  } else if (type == "ActivityStarted") {
    notice.worker = aws::string_member(notice.event.details, "workerName");
  } else if (type == "LambdaFunctionStarted" || type == "TaskStarted") {
    const auto scheduled = followed.scheduled_pool.find(notice.event.previous_event_id);
    if (scheduled != followed.scheduled_pool.end()) {
      const auto worker = function_worker_.find(scheduled->second);
      if (worker != function_worker_.end()) notice.worker = worker->second;
    }
  }
  followed.last_event_id = notice.event.id;
  if (closes_execution(type)) followed.closed = true;
  try {
    observer_(notice);
  } catch (...) {  // NOLINT(bugprone-empty-catch): an observer cannot stop the poller
  }
}

}  // namespace loveless::scenario::detail
