// The fixture suite of the metrics tests (metrics_suite_test.cpp): one
// scenario whose chaos phase kills the worker of a running task, so its
// metrics have faults, a timed-out attempt, a retry and a recovery time.
// The worker is suite-test-worker (tests/scenario/suite): it echoes its input
// after `sleep_ms`, heartbeating meanwhile.
#include <loveless/loveless.hpp>

namespace {

// A heartbeat every second: a killed worker's task times out after one
// second and is retried on the pool's replacement worker.
constexpr const char* kEchoWorkflow = R"({
  "StartAt": "Echo",
  "TimeoutSeconds": 60,
  "States": {
    "Echo": {
      "Type": "Task",
      "Resource": "${EchoActivityArn}",
      "HeartbeatSeconds": 1,
      "TimeoutSeconds": 30,
      "Retry": [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 1, "BackoffRate": 1,
                 "MaxAttempts": 5}],
      "End": true
    }
  }
})";

}  // namespace

LOVELESS_SCENARIO("metrics test: a killed worker's task recovers", "[metrics-test][kill]") {
  auto wf = s.workflow_text("echo", kEchoWorkflow)
                .bind("EchoActivityArn", loveless::scenario::activity_arn("echo"));
  // Heartbeats well inside HeartbeatSeconds (the SDK's default is 1 s).
  s.activity_pool("echo")
      .command("suite-test-worker echo")
      .env("LOVELESS_HEARTBEAT_INTERVAL_MS", "200")
      .replicas(2);
  s.executions(wf).count(2).concurrency(2).input(
      nlohmann::json{{"name", "slow"}, {"sleep_ms", 1500}});
  s.inject(kill().on_task_started("echo").after(200ms).at_most(1));
  s.deadline(std::chrono::minutes(2));
  s.check(all_executions_succeed());
  s.check(recovery_time().p95() < 30s);
}
