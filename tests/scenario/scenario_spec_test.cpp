#include <fstream>

#include <catch2/catch.hpp>

#include "loveless/scenario/runner.hpp"
#include "loveless/stacks/local_scenario_stack.hpp"

#include "problem_text.hpp"
#include "scenario_filter.hpp"
#include "support/temp_dir.hpp"
#include <loveless/loveless.hpp>

// Scenarios declared here are registered in this test binary's registry.
LOVELESS_SCENARIO("spec test: a declared scenario", "[spec][kill]") {
  auto wf = s.workflow_text("flow", R"({"StartAt": "Work", "States": {"Work": {"Type": "Task",
      "Resource": "${WorkArn}", "End": true}}})")
                .bind("WorkArn", activity_arn("work"));
  s.activity_pool("work").command("/bin/true").replicas(2);
  s.executions(wf).count(3).concurrency(2).input({{"n", 1}});
  s.inject(kill().on_task_started("Work").after(100ms).at_most(2));
  s.check(all_executions_succeed());
}

LOVELESS_SCENARIO("spec test: expected to fail", "[spec][!shouldfail]") {
  s.check(all_executions_succeed());
}

namespace {

using loveless::scenario::declare;
using loveless::scenario::registry;
using loveless::scenario::ScenarioSpec;
using loveless::testing::all;
using loveless::testing::mentions;

ScenarioSpec declared(const std::string& name) {
  for (const auto& entry : registry().scenarios) {
    if (entry.name == name) return declare(entry);
  }
  FAIL("scenario not registered: " << name);
  return {};
}

std::vector<std::string> problems_of(const ScenarioSpec& spec) {
  auto stack = loveless::scenario::make_local_scenario_stack("process", "spec-test", "", 1);
  return loveless::scenario::validate(spec, *stack, {});
}

}  // namespace

TEST_CASE("LOVELESS_SCENARIO registers the body with its tags, file and line", "[scenario]") {
  const auto spec = declared("spec test: a declared scenario");
  CHECK(spec.tags == std::vector<std::string>{"spec", "kill"});
  CHECK(spec.source_file.filename() == "scenario_spec_test.cpp");
  CHECK(spec.source_line > 0);
  REQUIRE(spec.pools.size() == 1);
  CHECK(spec.pools[0].replicas == 2);
  CHECK(spec.pools[0].command == std::vector<std::string>{"/bin/true"});
  REQUIRE(spec.workload.has_value());
  CHECK(spec.workload->count == 3);
  REQUIRE(spec.injectors.size() == 1);
  CHECK(spec.injectors[0].trigger.delay == std::chrono::milliseconds(100));
  CHECK_FALSE(spec.should_fail());
  CHECK(declared("spec test: expected to fail").should_fail());
  INFO(all(problems_of(spec)));
  CHECK(problems_of(spec).empty());
}

TEST_CASE("a duplicate scenario name is an error reported at start, never a throw", "[scenario]") {
  const auto before = registry().errors.size();
  const loveless::scenario::ScenarioRegistrar duplicate("spec test: a declared scenario", "[x]",
                                                        "other.cpp", 9,
                                                        [](loveless::scenario::Scenario&) {});
  REQUIRE(registry().errors.size() == before + 1);
  CHECK(registry().errors.back().find("already declared") != std::string::npos);
  registry().errors.pop_back();
}

TEST_CASE("malformed tags are reported", "[scenario]") {
  std::string error;
  CHECK(loveless::scenario::parse_tags("[a][b]", error) == std::vector<std::string>{"a", "b"});
  CHECK(error.empty());
  CHECK(loveless::scenario::parse_tags("a]", error).empty());
  CHECK_FALSE(error.empty());
}

TEST_CASE("validation names every problem before anything starts", "[scenario]") {
  ScenarioSpec spec;
  loveless::scenario::Scenario s(spec);
  auto wf = s.workflow_text("flow", R"({"StartAt": "Work", "States": {"Work": {"Type": "Task",
      "Resource": "${WorkArn}", "Next": "Sum"}, "Sum": {"Type": "Task", "Resource": "${SumArn}",
      "End": true}}})")
                .bind("WorkArn", loveless::scenario::activity_arn("missing-pool"));
  s.activity_pool("work").command("no-such-binary-anywhere");
  s.executions(wf).count(1).input({});
  s.inject(loveless::injectors::kill().random_worker("nope").every(std::chrono::seconds(1)));
  s.inject(loveless::injectors::kill().every(std::chrono::seconds(1)));
  s.inject(loveless::injectors::latency(std::chrono::milliseconds(0), std::chrono::seconds(1))
               .random_worker()
               .every(std::chrono::seconds(1)));
  s.inject(loveless::injectors::kill().on_state_entered("NoSuchState"));
  const auto problems = problems_of(spec);
  INFO(all(problems));
  CHECK(mentions(problems, "placeholder ${SumArn} has no value"));
  CHECK(
      mentions(problems, "names activity pool missing-pool, which the scenario does not declare"));
  CHECK(mentions(problems, "command no-such-binary-anywhere not found"));
  CHECK(mentions(problems, "no pool named nope"));
  CHECK(mentions(problems, "only a task trigger"));
  CHECK(mentions(problems, "latency needs a positive delay"));
  CHECK(mentions(problems, "no state named NoSuchState"));
  CHECK(mentions(problems, "has no check, so it cannot fail"));
}

TEST_CASE("a placeholder of any length is reported, never a crash", "[scenario]") {
  // The regex that found placeholders recursed once per character and
  // overflowed the stack on a long name.
  const std::string name(300'000, 'A');
  ScenarioSpec spec;
  loveless::scenario::Scenario s(spec);
  auto wf = s.workflow_text("flow", R"({"StartAt": "Work", "States": {"Work": {"Type": "Task",
      "Resource": "${)" + name + R"(}", "End": true}}})");
  s.executions(wf).count(1).input({});
  const auto problems = problems_of(spec);
  CHECK(mentions(problems, "placeholder ${AAAAAAAA"));
  CHECK(mentions(problems, "has no value"));
}

TEST_CASE("read-only directories are recorded and their host paths validated", "[scenario]") {
  loveless::testing::TempDir data;
  std::ofstream(data.path() / "file.txt") << "x";
  ScenarioSpec spec;
  loveless::scenario::Scenario s(spec);
  auto wf = s.workflow_text("flow",
                            R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})");
  s.activity_pool("work").command("/bin/sh").image("loveless/demo");
  s.executions(wf).input({});
  s.check(loveless::checks::all_executions_succeed());
  s.read_only_directory(data.path(), "LOOKUP_DIR");
  REQUIRE(spec.read_only_directories.size() == 1);
  CHECK(spec.read_only_directories[0].host_path == data.path());
  CHECK(spec.read_only_directories[0].environment_variable == "LOOKUP_DIR");
  auto process = loveless::scenario::make_local_scenario_stack("process", "spec-test", "", 1);
  CHECK(loveless::scenario::validate(spec, *process, {}).empty());

  s.read_only_directory(data.path() / "missing", "MISSING_DIR");
  s.read_only_directory(data.path() / "file.txt", "A_FILE");
  s.read_only_directory("relative/dir", "RELATIVE_DIR");
  s.read_only_directory(data.path(), "");
  const auto problems = loveless::scenario::validate(spec, *process, {});
  INFO(all(problems));
  CHECK(problems.size() == 4);
  CHECK(mentions(problems, "s.read_only_directory(\"" + (data.path() / "missing").string() +
                               "\", \"MISSING_DIR\"): " + (data.path() / "missing").string() +
                               " does not exist on this host"));
  CHECK(mentions(problems, "file.txt is not a directory"));
  CHECK(mentions(problems, "\"RELATIVE_DIR\"): give the host directory's absolute path"));
  CHECK(mentions(problems, "name the environment variable that tells workers its path"));

  // Containers see read-only directories at /loveless/data/<n>.
  ScenarioSpec clash;
  loveless::scenario::Scenario c(clash);
  auto flow = c.workflow_text(
      "flow", R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})");
  c.activity_pool("work").command("/bin/sh").image("loveless/demo");
  c.executions(flow).input({});
  c.check(loveless::checks::all_executions_succeed());
  c.durable_directory("data", "STORE");
  c.read_only_directory(data.path(), "LOOKUP_DIR");
  auto docker = loveless::scenario::make_local_scenario_stack("docker", "spec-test", "", 1);
  CHECK(mentions(loveless::scenario::validate(clash, *docker, {}),
                 "give the durable directory another name"));
  CHECK(loveless::scenario::validate(clash, *process, {}).empty());
}

TEST_CASE("the docker stack needs images and resolves the entrypoint", "[scenario]") {
  ScenarioSpec spec;
  loveless::scenario::Scenario s(spec);
  auto wf = s.workflow_text("flow",
                            R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})");
  s.activity_pool("work").command("demo-worker count-words");
  s.executions(wf).input({});
  s.check(loveless::checks::all_executions_succeed());
  auto docker = loveless::scenario::make_local_scenario_stack("docker", "spec-test", "", 1);
  const auto problems = loveless::scenario::validate(spec, *docker, {});
  CHECK(mentions(problems, "pool work: the docker stack needs an image"));
  CHECK_THROWS_WITH(loveless::scenario::make_local_scenario_stack("kubernetes", "", "", 1),
                    Catch::Contains("use process or docker"));
}

TEST_CASE("a second workload and a null check are declaration errors", "[scenario]") {
  ScenarioSpec spec;
  loveless::scenario::Scenario s(spec);
  auto wf = s.workflow_text("flow", "{}");
  s.executions(wf);
  s.executions(wf);
  s.check(nullptr);
  CHECK(spec.declaration_errors.size() == 2);
}

TEST_CASE("scenario filters select by name, wildcard and tag expression", "[scenario]") {
  using loveless::cli::ScenarioFilter;
  const std::vector<std::string> kill_tags = {"demo", "kill"};
  const std::vector<std::string> pause_tags = {"demo", "pause", "slow"};
  CHECK(ScenarioFilter("").matches("anything", {}));
  CHECK(ScenarioFilter("Indexing survives kills").matches("indexing survives kills", {}));
  CHECK_FALSE(ScenarioFilter("indexing").matches("indexing survives kills", {}));
  CHECK(ScenarioFilter("*kills").matches("indexing survives kills", {}));
  CHECK(ScenarioFilter("indexing*").matches("indexing survives kills", {}));
  CHECK(ScenarioFilter("*survives*").matches("indexing survives kills", {}));
  CHECK(ScenarioFilter("[demo][kill]").matches("x", kill_tags));
  CHECK_FALSE(ScenarioFilter("[demo][kill]").matches("x", pause_tags));
  CHECK(ScenarioFilter("[kill],[pause]").matches("x", pause_tags));
  CHECK(ScenarioFilter("[demo]~[slow]").matches("x", kill_tags));
  CHECK_FALSE(ScenarioFilter("[demo]~[slow]").matches("x", pause_tags));
}
