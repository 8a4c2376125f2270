// Scenario validation of workflow definitions (docs/scenarios.md, "Writing
// one"): every definition is checked as CreateStateMachine would check it
// before any stack comes up, and a problem names the workflow, its file and
// the JSON pointer of the field at fault, or the line and column of a JSON
// syntax error.
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "loveless/scenario/runner.hpp"
#include "loveless/stacks/local_scenario_stack.hpp"

#include "problem_text.hpp"
#include "support/temp_dir.hpp"
#include <loveless/loveless.hpp>

namespace {

using loveless::testing::all;
using loveless::testing::mentions;
using loveless::scenario::ScenarioSpec;
using loveless::testing::TempDir;

/// The problems of a scenario whose only workflow is `declare`d by the caller
/// (a pool "work" of /bin/true, one input, one check).
template <typename Declare>
std::vector<std::string> problems_with(Declare declare) {
  ScenarioSpec spec;
  loveless::scenario::Scenario s(spec);
  auto wf = declare(s).bind("WorkArn", loveless::scenario::activity_arn("work"));
  s.activity_pool("work").command("/bin/true");
  s.executions(wf).count(1).input({{"n", 1}});
  s.check(loveless::checks::all_executions_succeed());
  auto stack = loveless::scenario::make_local_scenario_stack("process", "definition-test", "", 1);
  return loveless::scenario::validate(spec, *stack, {});
}

std::vector<std::string> problems_of_text(const std::string& definition) {
  return problems_with(
      [&](loveless::scenario::Scenario& s) { return s.workflow_text("flow", definition); });
}

}  // namespace

TEST_CASE("a valid definition with bound placeholders has no problem", "[scenario][definition]") {
  const auto problems = problems_of_text(
      R"({"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": "${WorkArn}",
          "End": true}}})");
  INFO(all(problems));
  CHECK(problems.empty());
}

TEST_CASE("an ASL error names the workflow and the JSON pointer of the field",
          "[scenario][definition]") {
  const auto next = problems_of_text(
      R"({"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": "${WorkArn}",
          "Next": "Nowhere"}}})");
  INFO(all(next));
  CHECK(mentions(next, "workflow flow (inline definition): /States/Work/Next: "));
  CHECK(mentions(next, "Nowhere"));

  const auto retry = problems_of_text(
      R"({"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": "${WorkArn}",
          "End": true, "Retry": [{"ErrorEquals": ["States.ALL"]},
                                 {"ErrorEquals": ["States.Timeout"]}]}}})");
  INFO(all(retry));
  CHECK(mentions(retry, "workflow flow (inline definition): /States/Work/Retry/0: "));

  const auto start = problems_of_text(R"({"States": {"P": {"Type": "Pass", "End": true}}})");
  INFO(all(start));
  CHECK(mentions(start, "workflow flow (inline definition): /: "));
  CHECK(mentions(start, "StartAt"));
}

TEST_CASE("an ASL error in a definition file names the file", "[scenario][definition]") {
  const TempDir dir;
  const auto file = dir.path() / "flow.asl.json";
  std::ofstream(file) << R"({"StartAt": "Work", "States": {"Work": {"Type": "Task",
      "Resource": "${WorkArn}", "End": true, "TimeoutSeconds": -5}}})";
  const auto problems =
      problems_with([&](loveless::scenario::Scenario& s) { return s.workflow("flow", file); });
  INFO(all(problems));
  CHECK(mentions(problems,
                 "workflow flow (file " + file.string() + "): /States/Work/TimeoutSeconds: "));
}

TEST_CASE("a JSON syntax error gives its line and column", "[scenario][definition]") {
  const TempDir dir;
  const auto file = dir.path() / "flow.asl.json";
  // Line 3: a comma missing before "End"; the é before it is one column. The
  // position is the last character read: the closing quote of "End".
  std::ofstream(file) << "{\n  \"StartAt\": \"Work\",\n"
                         "  \"States\": {\"Work\": {\"Type\": \"Pass\", \"Comment\": \"é\" "
                         "\"End\": true}}\n}\n";
  const auto problems =
      problems_with([&](loveless::scenario::Scenario& s) { return s.workflow("flow", file); });
  INFO(all(problems));
  CHECK(mentions(problems, "workflow flow (file " + file.string() +
                               "): line 3, column 58: not valid JSON: syntax error"));
  CHECK_FALSE(mentions(problems, "[json.exception"));

  const auto truncated = problems_of_text("{\n  \"StartAt\": \"Work\",\n  \"States\": {");
  INFO(all(truncated));
  CHECK(mentions(truncated,
                 "workflow flow (inline definition): line 3, column 14: not valid JSON: "));
}

TEST_CASE("an inputs directory without files is named in its problem", "[scenario][definition]") {
  const TempDir dir;
  ScenarioSpec spec;
  loveless::scenario::Scenario s(spec);
  auto wf = s.workflow_text("flow",
                            R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})");
  s.activity_pool("work").command("/bin/true");
  s.executions(wf).count(1).inputs_from_dir(dir.path());
  s.check(loveless::checks::all_executions_succeed());
  auto stack = loveless::scenario::make_local_scenario_stack("process", "definition-test", "", 1);
  const auto problems = loveless::scenario::validate(spec, *stack, {});
  INFO(all(problems));
  CHECK(mentions(problems, "inputs_from_dir: " + dir.path().string() + " has no files"));
  CHECK_FALSE(mentions(problems, "executions: no input"));
}
