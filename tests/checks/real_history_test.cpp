// The checks on a history recorded from the local engine: a worker killed
// mid-task (it stops answering), the heartbeat timeout, the retry elsewhere.

#include <chrono>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loveless/engine/service.hpp"

#include "checks/check_fixtures.hpp"
#include "scenario/history/engine_history.hpp"

using namespace loveless;
using namespace loveless::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

std::string create_state_machine(engine::StepFunctionsService& service,
                                 const std::string& activity) {
  const json definition = {{"StartAt", "CountWords"},
                           {"States",
                            {{"CountWords",
                              {{"Type", "Task"},
                               {"Resource", activity},
                               {"HeartbeatSeconds", 1},
                               {"TimeoutSeconds", 30},
                               {"Retry", json::array({{{"ErrorEquals", {"States.Timeout"}},
                                                       {"IntervalSeconds", 1},
                                                       {"JitterStrategy", "FULL"},
                                                       {"MaxAttempts", 2}}})},
                               {"End", true}}}}}};
  return service
      .invoke("CreateStateMachine",
              {{"name", "index"},
               {"definition", definition.dump()},
               {"roleArn", "arn:aws:iam::123456789012:role/test"}})["stateMachineArn"]
      .get<std::string>();
}

std::string start(engine::StepFunctionsService& service, const std::string& state_machine,
                  const std::string& name) {
  return service
      .invoke("StartExecution", {{"stateMachineArn", state_machine},
                                 {"name", name},
                                 {"input", R"({"chunk": "a"})"}})["executionArn"]
      .get<std::string>();
}

/// Polls as `worker` until a task comes; answers it unless `answer` is false.
std::optional<json> take_task(engine::StepFunctionsService& service, const std::string& activity,
                              const std::string& worker, bool answer) {
  std::optional<json> task;
  const bool got = eventually([&] {
    task = poll_task(service, activity, worker);
    return task.has_value();
  });
  if (!got) return std::nullopt;
  if (answer) {
    service.invoke("SendTaskSuccess",
                   {{"taskToken", (*task)["taskToken"]}, {"output", R"({"words": 3})"}});
  }
  return task;
}

bool wait_done(engine::StepFunctionsService& service, const std::string& arn) {
  return eventually([&] {
    return service.invoke("DescribeExecution", {{"executionArn", arn}})["status"] != "RUNNING";
  });
}

}  // namespace

TEST_CASE(
    "checks on a recorded engine history: a worker killed mid-task, detected by its "
    "heartbeat and recovered by a retry",
    "[checks][engine]") {
  engine::StepFunctionsService service(fast_service_options());
  const auto activity =
      service.invoke("CreateActivity", {{"name", "count-words"}})["activityArn"].get<std::string>();
  const auto state_machine = create_state_machine(service, activity);
  HistoryFixture f;
  f.context.pool_of_resource = {{activity, "count-words"}};

  // Control: a warm worker answers at once.
  const auto control_start = std::chrono::system_clock::now();
  const auto control = start(service, state_machine, "doc-0-control");
  REQUIRE(take_task(service, activity, "count-words-1", true));
  REQUIRE(wait_done(service, control));
  std::this_thread::sleep_for(50ms);  // the phase's own bookkeeping
  const auto control_end = std::chrono::system_clock::now();

  // Chaos: count-words-1 takes the task and is killed; count-words-2 takes the retry.
  const auto chaos = start(service, state_machine, "doc-0-chaos");
  REQUIRE(take_task(service, activity, "count-words-1", false));
  history::FaultRecord kill;
  kill.id = 1;
  kill.kind = FaultKind::kKill;
  kill.injector = "kill on task started in count-words";
  kill.triggered = kill.applied = std::chrono::system_clock::now();
  kill.pool = "count-words";
  kill.worker = "count-words-1";
  REQUIRE(take_task(service, activity, "count-words-2", true));
  REQUIRE(wait_done(service, chaos));
  const auto chaos_end = std::chrono::system_clock::now();

  f.history.phases = {{Phase::kControl, control_start, control_end},
                      {Phase::kChaos, control_end, chaos_end}};
  f.history.executions.push_back(record_execution(service, control, Phase::kControl, 0));
  f.history.executions.push_back(record_execution(service, chaos, Phase::kChaos, 0));
  for (const auto& execution : f.history.executions) {
    for (auto task : history::derive_tasks(execution, f.context)) f.history.tasks.push_back(task);
  }
  f.history.faults.push_back(kill);
  REQUIRE(f.history.tasks.size() == 3);

  auto verdict = f.judge(checks::all_executions_succeed());
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.summary == "2 of 2 executions succeeded (control 1 of 1, chaos 1 of 1)");

  verdict = f.judge(checks::outputs_match_control());
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.summary == "1 of 1 compared chaos outputs match control");

  verdict = f.judge(checks::recovery_time().p95() < 10s);
  INFO(evidence_text(verdict));
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.measurements["count"] == 1);
  // The heartbeat (1 s), a retry delay of up to 1 s, the poll.
  CHECK(verdict.measurements["p95_ms"] >= 900);
  CHECK(verdict.measurements["p95_ms"] < 5000);
  REQUIRE(verdict.evidence.size() == 1);
  CHECK_THAT(
      verdict.evidence[0].text,
      Catch::StartsWith("kill of count-words-1 at +") &&
          Catch::Contains("disrupted CountWords of chaos execution doc-0-chaos; recovered") &&
          Catch::EndsWith("(CountWords succeeded on count-words-2)"));

  verdict = f.judge(checks::time_to_detect().p95() < 5s);
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.measurements["p95_ms"] >= 900);
  CHECK(verdict.measurements["p95_ms"] < 3000);
  CHECK_THAT(verdict.evidence.at(0).text, Catch::EndsWith("(ActivityTimedOut States.Timeout)"));

  const auto faults = checks::attribute(f.history, f.history.executions[1]);
  REQUIRE(faults.size() == 1);
  CHECK_THAT(faults[0].text,
             Catch::Contains("while it ran CountWords of this execution [kill on task started in "
                             "count-words]"));
  CHECK(checks::attribute(f.history, f.history.executions[0]).empty());

  verdict = f.judge(checks::duration_inflation() < 1000.0);
  CHECK(verdict.outcome == Outcome::kPass);
  CHECK(verdict.measurements["inflation"] > 1.0);

  // No scratch audit in this history.
  CHECK(f.judge(checks::no_local_state_reliance()).outcome == Outcome::kUnknown);
}
