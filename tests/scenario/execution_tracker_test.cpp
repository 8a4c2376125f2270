// The ExecutionTracker's record of who took each task: the worker the stack
// attributed an activity task to (not the workerName it polled with) drives
// triggers and task derivation, and the workerNames seen are sorted into
// mapped-by-connection and unmapped for the runner's warnings.
#include "execution_tracker.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace loveless::scenario::detail {
namespace {

constexpr const char* kExecution = "arn:aws:states:us-east-1:123456789012:execution:wf:e1";
constexpr const char* kActivity = "arn:aws:states:us-east-1:123456789012:activity:work";

notices::ExecutionNotice notice(std::int64_t id, std::int64_t previous, const std::string& type,
                                const std::string& details_key, nlohmann::json details,
                                std::string worker = "") {
  notices::ExecutionNotice made;
  made.execution_arn = kExecution;
  made.event.id = id;
  made.event.previous_event_id = previous;
  made.event.type = type;
  made.event.details_key = details_key;
  made.event.details = std::move(details);
  made.worker = std::move(worker);
  return made;
}

/// A Work state whose activity task is taken with `worker_name` and
/// attributed to `worker`; event ids from `first`.
void take_task(ExecutionTracker& tracker, std::int64_t first, const std::string& worker_name,
               const std::string& worker) {
  tracker.on_notice(
      notice(first, first - 1, "TaskStateEntered", "stateEnteredEventDetails", {{"name", "Work"}}));
  tracker.on_notice(notice(first + 1, first, "ActivityScheduled", "activityScheduledEventDetails",
                           {{"resource", kActivity}}));
  tracker.on_notice(notice(first + 2, first + 1, "ActivityStarted", "activityStartedEventDetails",
                           {{"workerName", worker_name}}, worker));
}

}  // namespace

TEST_CASE("an activity task is tracked on the worker the stack attributed it to",
          "[execution_tracker]") {
  std::vector<injectors::TriggerEvent> triggers;
  ExecutionTracker tracker(
      {{kActivity, "work"}},
      [&](const injectors::TriggerEvent& event) { triggers.push_back(event); }, nullptr);
  take_task(tracker, 2, "vm-15348", "work-2");

  REQUIRE(triggers.size() == 2);
  CHECK(triggers[1].kind == injectors::TriggerEvent::Kind::kTaskStarted);
  CHECK(triggers[1].worker == "work-2");
  CHECK(triggers[1].pool == "work");
  CHECK(tracker.task_workers()[kExecution][4] == "work-2");

  const auto renamed = tracker.renamed_workers();
  REQUIRE(renamed.size() == 1);
  CHECK(renamed[0].pool == "work");
  CHECK(renamed[0].worker_name == "vm-15348");
  CHECK(renamed[0].worker == "work-2");
  CHECK(renamed[0].tasks == 1);
  CHECK(tracker.unmapped_workers([](const std::string&) { return false; }).empty());
}

TEST_CASE("a workerName the stack could not attribute is unmapped unless it is a fleet id",
          "[execution_tracker]") {
  ExecutionTracker tracker({{kActivity, "work"}}, nullptr, nullptr);
  take_task(tracker, 2, "stray-7", "stray-7");
  take_task(tracker, 10, "stray-7", "stray-7");
  take_task(tracker, 20, "work-1", "work-1");
  const auto is_fleet_worker = [](const std::string& id) { return id.starts_with("work-"); };

  const auto unmapped = tracker.unmapped_workers(is_fleet_worker);
  REQUIRE(unmapped.size() == 1);
  CHECK(unmapped[0].pool == "work");
  CHECK(unmapped[0].worker_name == "stray-7");
  CHECK(unmapped[0].tasks == 2);
  CHECK(tracker.renamed_workers().empty());
  CHECK(tracker.worker_names().size() == 2);
  // Task derivation falls back to nothing else: the name is all there is.
  CHECK(tracker.task_workers()[kExecution][12] == "stray-7");
}

}  // namespace loveless::scenario::detail
