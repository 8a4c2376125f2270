// What the aws stack refuses before anything starts (docs/aws.md,
// "Bindings" and "What the aws stack can do"): unbound pools and workflows,
// ARNs of the wrong kind or region, and faults AWS cannot perform, each with
// what to do instead. Nothing here reaches a network: validation reads only
// the scenario.
#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "loveless/stacks/aws/aws_scenario_stack.hpp"

#include <loveless/loveless.hpp>

namespace {

using namespace loveless::scenario;
using namespace loveless::injectors;
using loveless::checks::all_executions_succeed;
using namespace std::chrono_literals;

const std::string kAt = "us-east-1:123456789012:";
const std::string kService = "arn:aws:ecs:" + kAt + "service/demo/count-words";
const std::string kActivity = "arn:aws:states:" + kAt + "activity:count-words";
const std::string kFunction = "arn:aws:lambda:" + kAt + "function:merge";
const std::string kRole = "arn:aws:iam::123456789012:role/states";
const std::string kFisRole = "arn:aws:iam::123456789012:role/fis";

/// One activity pool and one function pool, both bound, unless a test unbinds them.
ScenarioSpec bound_spec() {
  ScenarioSpec spec;
  spec.name = "aws validation";
  Scenario s(spec);
  auto wf = s.workflow_text("flow", R"({"StartAt": "Count", "States": {
      "Count": {"Type": "Task", "Resource": "${CountArn}", "Next": "Merge"},
      "Merge": {"Type": "Task", "Resource": "${MergeArn}", "End": true}}})")
                .bind("CountArn", activity_arn("count-words"))
                .bind("MergeArn", function_arn("merge"));
  s.activity_pool("count-words").command("not-on-this-host count-words");
  s.function_pool("merge").command("not-on-this-host merge");
  s.executions(wf).count(2).input({{"n", 1}});
  s.check(all_executions_succeed());
  s.aws()
      .ecs_service("count-words", kService, kActivity)
      .lambda_function("merge", kFunction)
      .execution_role(kRole);
  return spec;
}

std::vector<std::string> problems_of(const ScenarioSpec& spec) {
  const auto stack = make_aws_scenario_stack(spec, {});
  return validate(spec, *stack, {});
}

bool any_contains(const std::vector<std::string>& problems, const std::string& text) {
  return std::any_of(problems.begin(), problems.end(),
                     [&](const std::string& p) { return p.find(text) != std::string::npos; });
}

std::string joined(const std::vector<std::string>& problems) {
  std::string text;
  for (const auto& p : problems) text += p + "\n";
  return text;
}

}  // namespace

TEST_CASE("a fully bound scenario is valid on the aws stack without its commands on this host",
          "[aws][validation]") {
  const auto problems = problems_of(bound_spec());
  INFO(joined(problems));
  CHECK(problems.empty());
}

TEST_CASE("an unbound pool or workflow is refused with the binding to add", "[aws][validation]") {
  auto spec = bound_spec();
  spec.aws.pools.erase("merge");
  spec.aws.execution_role_arn.clear();
  const auto problems = problems_of(spec);
  INFO(joined(problems));
  CHECK(any_contains(problems, "pool merge has no AWS binding: add s.aws().lambda_function"));
  CHECK(any_contains(problems, "workflow flow has no AWS binding"));
}

TEST_CASE("a pool bound to the other kind of resource is refused", "[aws][validation]") {
  auto spec = bound_spec();
  spec.aws.pools["merge"] = {AwsPoolBinding::Kind::kEcsService, kService, kActivity};
  const auto problems = problems_of(spec);
  INFO(joined(problems));
  CHECK(any_contains(problems, "pool merge is a function pool but is bound to an ECS service"));
}

TEST_CASE("malformed ARNs and a second region are refused", "[aws][validation]") {
  auto spec = bound_spec();
  SECTION("a short-format ECS service ARN names no cluster") {
    spec.aws.pools["count-words"].arn = "arn:aws:ecs:" + kAt + "service/count-words";
    CHECK(any_contains(problems_of(spec), "is not a long-format service ARN"));
  }
  SECTION("not an ARN") {
    spec.aws.pools["merge"].arn = "merge";
    CHECK(any_contains(problems_of(spec), "'merge' is not an ARN of the form arn:aws:lambda:"));
  }
  SECTION("another region") {
    spec.aws.pools["merge"].arn = "arn:aws:lambda:eu-west-1:123456789012:function:merge";
    CHECK(any_contains(problems_of(spec), "is in region eu-west-1"));
  }
  SECTION("a binding for a pool that does not exist") {
    spec.aws.pools["typo"] = {AwsPoolBinding::Kind::kLambdaFunction, kFunction, {}};
    CHECK(any_contains(problems_of(spec), "aws binding for pool typo: no such pool"));
  }
  SECTION("a failure rate outside [0, 1]") {
    spec.aws.stop_conditions.max_failure_rate = 1.5;
    CHECK(any_contains(problems_of(spec), "the failure rate must be within [0, 1]"));
  }
}

TEST_CASE("faults AWS cannot perform are refused with the nearest alternative",
          "[aws][validation]") {
  auto spec = bound_spec();
  SECTION("pause on an ECS task") {
    spec.injectors.push_back(pause(2s).random_worker("count-words").at(1s).spec());
    const auto problems = problems_of(spec);
    INFO(joined(problems));
    CHECK(any_contains(problems,
                       "pause is not supported on activity pool count-words on the aws "
                       "stack; nearest alternative: kill() or bind a FIS role"));
    CHECK_FALSE(any_contains(problems, "resume is not supported"));
  }
  SECTION("wipe-scratch on an ECS task") {
    spec.injectors.push_back(wipe_scratch().random_worker("count-words").at(1s).spec());
    CHECK(any_contains(problems_of(spec),
                       "nearest alternative: restart() (the ECS service "
                       "replaces the task, and its /tmp with it)"));
  }
  SECTION("kill of a Lambda environment") {
    spec.injectors.push_back(kill().random_worker("merge").at(1s).spec());
    CHECK(any_contains(problems_of(spec),
                       "kill is not supported on function pool merge on the aws stack; nearest "
                       "alternative: stop() or restart()"));
  }
  SECTION("latency without a FIS role, then with one") {
    spec.injectors.push_back(latency(300ms, 2s).random_worker("merge").at(1s).spec());
    CHECK(any_contains(problems_of(spec), "nearest alternative: bind a FIS role"));
    spec.aws.fis_role_arn = kFisRole;
    const auto problems = problems_of(spec);
    INFO(joined(problems));
    CHECK(problems.empty());
  }
  SECTION("what each kind of worker can do is accepted") {
    spec.injectors.push_back(kill().random_worker("count-words").at(1s).spec());
    spec.injectors.push_back(restart().random_worker("count-words").at(1s).spec());
    spec.injectors.push_back(wipe_scratch().random_worker("merge").at(1s).spec());
    spec.injectors.push_back(restart().random_worker("merge").at(1s).spec());
    spec.injectors.push_back(disposable("merge").spec());
    const auto problems = problems_of(spec);
    INFO(joined(problems));
    CHECK(problems.empty());
  }
}

TEST_CASE("the dry run prints the plan without credentials and refuses what validation refuses",
          "[aws][dry-run]") {
  auto spec = bound_spec();
  spec.aws.fis_role_arn = kFisRole;
  spec.injectors.push_back(kill().on_task_started("count-words").at_most(2).spec());
  spec.injectors.push_back(latency(300ms, 2s).random_worker("merge").at(1s).spec());
  AwsStackOptions options;
  options.run_id = "plan";
  std::ostringstream out;
  const auto problems = print_aws_dry_run(spec, {}, options, out);
  INFO(joined(problems) << out.str());
  REQUIRE(problems.empty());
  const auto plan = out.str();
  CHECK(plan.find("DRY-RUN states:CreateStateMachine loveless-flow-plan") != std::string::npos);
  CHECK(plan.find("DRY-RUN ecs:StopTask") != std::string::npos);
  CHECK(plan.find("\"actionId\":\"aws:lambda:invocation-add-delay\"") != std::string::npos);
  CHECK(plan.find("DRY-RUN fis:StopExperiment") != std::string::npos);
  CHECK(plan.find("DRY-RUN fis:DeleteExperimentTemplate") != std::string::npos);
  CHECK(plan.find("DRY-RUN states:DeleteStateMachine loveless-flow-plan") != std::string::npos);

  spec.injectors.push_back(pause(1s).random_worker("merge").at(1s).spec());
  std::ostringstream refused;
  CHECK(any_contains(print_aws_dry_run(spec, {}, options, refused), "pause is not supported"));
  CHECK(refused.str().empty());
}
