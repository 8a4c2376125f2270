#include "case_run.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "loveless/engine/service.hpp"
#include "loveless/engine/service_error.hpp"

#include "case_workers.hpp"
#include "history_match.hpp"

namespace loveless::fidelity {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

/// Longest a case may run: every recording is shortened to a few seconds.
constexpr auto kCaseDeadline = std::chrono::seconds(60);

constexpr const char* kRegion = "us-east-1";
constexpr const char* kAccount = "123456789012";
constexpr const char* kRoleArn = "arn:aws:iam::123456789012:role/loveless-fidelity";

std::string activity_arn(const std::string& name) {
  return std::string("arn:aws:states:") + kRegion + ":" + kAccount + ":activity:" + name;
}

/// Watches the execution's events: counts the type StopExecution waits for
/// and notices the end. Observers must not call into the service, so the
/// case's thread acts on what this records.
class EventWatch {
 public:
  void seen(const engine::ExecutionNotice& notice, const std::string& stop_type) {
    std::lock_guard lock(mutex_);
    if (notice.event.type == stop_type) ++stop_type_seen_;
    const auto& type = notice.event.type;
    if (type == "ExecutionSucceeded" || type == "ExecutionFailed" || type == "ExecutionTimedOut" ||
        type == "ExecutionAborted") {
      ended_ = true;
    }
    changed_.notify_all();
  }
  /// Waits until `ready` holds or the deadline passes; returns whether it holds.
  template <typename Ready>
  bool wait(Clock::time_point deadline, Ready ready) {
    std::unique_lock lock(mutex_);
    return changed_.wait_until(lock, deadline, [&] { return ready(stop_type_seen_, ended_); });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int stop_type_seen_ = 0;
  bool ended_ = false;
};

json full_history(engine::StepFunctionsService& service, const std::string& execution_arn) {
  json events = json::array();
  json request = {{"executionArn", execution_arn}, {"maxResults", 1000}};
  while (true) {
    const auto page = service.invoke("GetExecutionHistory", request);
    for (const auto& event : page.at("events")) events.push_back(event);
    if (!page.contains("nextToken") || page.at("nextToken").is_null()) return events;
    request["nextToken"] = page.at("nextToken");
  }
}

void run_execution(const CorpusCase& corpus_case, engine::StepFunctionsService& service,
                   CaseWorkers& workers, EventWatch& watch, CaseOutcome& outcome) {
  for (const auto& function : corpus_case.functions) workers.add_function(function);
  for (const auto& activity : corpus_case.activities) {
    workers.add_activity(activity, activity_arn(activity.name));
  }
  for (const auto& [name, definition] : corpus_case.state_machines.items()) {
    service.invoke("CreateStateMachine",
                   {{"name", name}, {"definition", definition.dump()}, {"roleArn", kRoleArn}});
  }
  const auto machine = service.invoke(
      "CreateStateMachine",
      {{"name", "fidelity"}, {"definition", corpus_case.definition.dump()}, {"roleArn", kRoleArn}});
  const auto execution_arn =
      service
          .invoke("StartExecution", {{"stateMachineArn", machine.at("stateMachineArn")},
                                     {"name", "fidelity-execution"},
                                     {"input", corpus_case.input.dump()}})
          .at("executionArn")
          .get<std::string>();
  const auto deadline = Clock::now() + kCaseDeadline;
  if (const auto& stop = corpus_case.stop) {
    if (!watch.wait(deadline, [&](int seen, bool ended) { return ended || seen >= stop->nth; })) {
      outcome.differences.push_back("no " + stop->on_event_type + " to stop at within 60 s");
    }
    json request = {{"executionArn", execution_arn}};
    if (stop->error) request["error"] = *stop->error;
    if (stop->cause) request["cause"] = *stop->cause;
    service.invoke("StopExecution", request);
  }
  if (!watch.wait(deadline, [](int, bool ended) { return ended; })) {
    outcome.differences.push_back("the execution did not end within 60 s");
  }
  if (!corpus_case.history.empty()) {
    const auto history = full_history(service, execution_arn);
    for (auto& line : compare_history(corpus_case.history, history)) {
      outcome.differences.push_back(std::move(line));
    }
  }
  const auto described = service.invoke("DescribeExecution", {{"executionArn", execution_arn}});
  for (auto& line : compare_describe(corpus_case.describe, described)) {
    outcome.differences.push_back(std::move(line));
  }
}

}  // namespace

CaseOutcome run_case(const CorpusCase& corpus_case) {
  CaseOutcome outcome;
  const auto started = Clock::now();
  engine::ServiceOptions options;
  options.region = kRegion;
  options.account_id = kAccount;
  options.activity_poll_timeout = std::chrono::milliseconds(200);
  options.seed = 42;
  engine::StepFunctionsService service(options);
  EventWatch watch;
  const auto stop_type = corpus_case.stop ? corpus_case.stop->on_event_type : std::string();
  const auto subscription =
      service.observe([&watch, stop_type](const engine::ExecutionNotice& notice) {
        // Only the case's own execution: a child it starts ends on its own.
        if (notice.state_machine_arn.ends_with(":stateMachine:fidelity")) {
          watch.seen(notice, stop_type);
        }
      });
  {
    CaseWorkers workers(service);
    try {
      run_execution(corpus_case, service, workers, watch, outcome);
    } catch (const engine::ServiceError& e) {
      outcome.differences.push_back(std::string("the engine answered ") + e.what());
    } catch (const std::exception& e) {
      outcome.differences.push_back(std::string("the run failed: ") + e.what());
    }
  }
  service.unobserve(subscription);
  outcome.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return outcome;
}

}  // namespace loveless::fidelity
