// The demo suite: the document-indexing workflow (README.md) under every
// fault Loveless injects, and its two deliberately flawed variants, which the
// checks must catch (they are [!shouldfail], so the suite as a whole passes).
//
//   build/bin/demo-scenarios --list
//   build/bin/demo-scenarios                      # every scenario, process fleet
//   build/bin/demo-scenarios --stack docker --scenario "[kill]"
#include <loveless/loveless.hpp>

namespace {

using loveless::scenario::Scenario;
using loveless::scenario::WorkflowBuilder;

/// Where the demo runs on the aws stack (docs/aws.md, "The demo on AWS"):
/// one ECS service and one Lambda function per handler, in the example
/// account 123456789012 of the AWS documentation. Fill in your own.
void bind_on_aws(Scenario& s, const std::string& count_words, const std::string& merge) {
  const std::string at = "us-east-1:123456789012:";
  s.aws()
      .ecs_service("count-words", "arn:aws:ecs:" + at + "service/loveless-demo/" + count_words,
                   "arn:aws:states:" + at + "activity:loveless-demo-" + count_words)
      .lambda_function("split", "arn:aws:lambda:" + at + "function:loveless-demo-split")
      .lambda_function("merge", "arn:aws:lambda:" + at + "function:loveless-demo-" + merge)
      .execution_role("arn:aws:iam::123456789012:role/loveless-demo-states")
      .fis_role("arn:aws:iam::123456789012:role/loveless-demo-fis")
      .stop_on_alarm("loveless-demo-errors");
}

/// The demo application's pools and workload: `variant_suffix` picks the
/// flawed handlers ("-tmp-handoff", "-global-state") where a variant has them.
WorkflowBuilder index_documents(Scenario& s, const std::string& workflow_file,
                                const std::string& count_words, const std::string& merge,
                                int executions = 6) {
  auto wf = s.workflow("index", workflow_file)
                .bind("SplitFunctionArn", loveless::scenario::function_arn("split"))
                .bind("CountWordsActivityArn", loveless::scenario::activity_arn("count-words"))
                .bind("MergeFunctionArn", loveless::scenario::function_arn("merge"));
  s.durable_directory("store", "LOVELESS_DEMO_STORE");
  // A chunk takes 200 ms, so faults land while tasks run.
  s.activity_pool("count-words")
      .command("demo-worker " + count_words)
      .image("loveless/demo", "/demo-worker-static")
      .replicas(3)
      .env("LOVELESS_DEMO_CHUNK_DELAY_MS", "200");
  s.function_pool("split")
      .command("demo-worker split")
      .image("loveless/demo", "/demo-worker-static");
  s.function_pool("merge")
      .command("demo-worker " + merge)
      .image("loveless/demo", "/demo-worker-static")
      .concurrency(2);
  s.executions(wf)
      .count(executions)
      .concurrency(3)
      .inputs_from_dir("/usr/share/common-licenses", [](const std::filesystem::path& file) {
        return nlohmann::json{{"document", file.filename().string()},
                              {"source", file.string()},
                              {"lines_per_chunk", 150}};
      });
  s.deadline(std::chrono::minutes(5));
  bind_on_aws(s, count_words, merge);
  return wf;
}

/// The correct application; `workflow_file` is index.asl.json (JSONPath) or
/// index-jsonata.asl.json, the same workflow in JSONata with variables.
void correct_pipeline(Scenario& s, const std::string& workflow_file = "index.asl.json") {
  index_documents(s, workflow_file, "count-words", "merge");
  // The flawed variants fail on purpose; only the correct pipeline stops early.
  s.aws().stop_above_failure_rate(0.5, 6);
  s.check(loveless::checks::all_executions_succeed());
  s.check(loveless::checks::outputs_match_control());
  s.check(loveless::checks::no_local_state_reliance());
}

}  // namespace

LOVELESS_SCENARIO("indexing survives workers killed mid-task", "[demo][kill]") {
  correct_pipeline(s);
  s.inject(kill().on_task_started("count-words").after(100ms).at_most(4));
  s.check(recovery_time().p95() < 20s);
}

LOVELESS_SCENARIO("indexing survives restarted workers", "[demo][restart]") {
  correct_pipeline(s);
  s.inject(restart(500ms).on_task_started("CountWords").after(100ms).at_most(3));
  s.check(recovery_time().p95() < 20s);
}

LOVELESS_SCENARIO("indexing survives a pause longer than the heartbeat", "[demo][pause]") {
  correct_pipeline(s);
  // HeartbeatSeconds is 2: a 3 s pause makes the orchestrator time the task out.
  s.inject(pause(3s).on_task_started("count-words").after(50ms).at_most(2));
  s.check(time_to_detect().max() < 10s);
  s.check(recovery_time().p95() < 20s);
}

LOVELESS_SCENARIO("indexing survives latency longer than the heartbeat", "[demo][latency]") {
  correct_pipeline(s);
  // Each heartbeat reaches the engine 2.5 s after it was sent, past the 2 s
  // HeartbeatSeconds: the orchestrator times the task out and retries it.
  s.inject(latency(2500ms, 4s).on_task_started("count-words").after(50ms).at_most(2));
  s.check(time_to_detect().max() < 10s);
  s.check(recovery_time().p95() < 20s);
}

LOVELESS_SCENARIO("indexing survives scratch wiped after every task", "[demo][wipe]") {
  correct_pipeline(s);
  s.inject(wipe_scratch().on_task_ended());
}

LOVELESS_SCENARIO("indexing survives disposable workers", "[demo][disposable]") {
  correct_pipeline(s);
  s.inject(disposable());
}

LOVELESS_SCENARIO("indexing survives every fault at once", "[demo][mixed]") {
  correct_pipeline(s);
  s.inject(kill().on_task_started("count-words").after(100ms).at_most(2));
  s.inject(pause(3s).random_worker("count-words").every(3s, jitter(500ms)).at_most(1));
  s.inject(wipe_scratch().all_workers().every(1s));
  s.inject(latency(300ms, 2s).random_worker("count-words").every(2s).at_most(2));
  s.inject(disposable("merge"));
  s.check(duration_inflation() < 20.0);
}

LOVELESS_SCENARIO("the JSONata workflow survives every fault at once", "[demo][jsonata][mixed]") {
  // The same faults as above on the workflow written in JSONata with
  // variables; tests/demo compares its output with the JSONPath workflow's.
  correct_pipeline(s, "index-jsonata.asl.json");
  s.inject(kill().on_task_started("count-words").after(100ms).at_most(2));
  s.inject(pause(3s).random_worker("count-words").every(3s, jitter(500ms)).at_most(1));
  s.inject(wipe_scratch().all_workers().every(1s));
  s.inject(latency(300ms, 2s).random_worker("count-words").every(2s).at_most(2));
  s.inject(disposable("merge"));
  s.check(recovery_time().p95() < 20s);
}

LOVELESS_SCENARIO("a hand-off through /tmp is caught", "[demo][flawed][!shouldfail]") {
  index_documents(s, "index-tmp-handoff.asl.json", "count-words-tmp-handoff", "merge-tmp-handoff",
                  4);
  s.inject(disposable("count-words"));
  s.check(no_local_state_reliance());
  s.check(all_executions_succeed());
}

LOVELESS_SCENARIO("state kept in a global between invocations is caught",
                  "[demo][flawed][!shouldfail]") {
  index_documents(s, "index-global-state.asl.json", "count-words", "merge-global-state", 4);
  s.inject(disposable("merge"));
  s.check(outputs_match_control());
  s.check(no_local_state_reliance());
}
