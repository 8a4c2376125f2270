// The stack factory: the names a suite's --stack accepts, the stack each
// name makes, and the error for any other name. Nothing is brought up.
#include "loveless/stacks/stack_factory.hpp"

#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace {

using loveless::scenario::ScenarioSpec;
using namespace loveless::stacks;

ScenarioStackOptions options() {
  ScenarioStackOptions made;
  made.run_id = "factory-test";
  made.seed = 1;
  return made;
}

TEST_CASE("the factory knows process docker and aws", "[stack-factory]") {
  const std::vector<std::string> names(scenario_stack_names().begin(),
                                       scenario_stack_names().end());
  CHECK(names == std::vector<std::string>{"process", "docker", "aws"});
  CHECK(scenario_stack_list("or") == "process, docker or aws");
  CHECK(is_scenario_stack("docker"));
  CHECK_FALSE(is_scenario_stack("local"));
}

TEST_CASE("each name makes the stack of that name", "[stack-factory]") {
  const ScenarioSpec spec;
  for (const std::string name : {"process", "docker", "aws"}) {
    const auto stack = make_scenario_stack(name, spec, options());
    CHECK(stack->name() == name);
  }
}

TEST_CASE("an unknown stack is an error naming the known ones", "[stack-factory]") {
  const ScenarioSpec spec;
  CHECK_THROWS_MATCHES(
      make_scenario_stack("kubernetes", spec, options()), std::invalid_argument,
      Catch::Message("unknown stack 'kubernetes': the known stacks are process, docker and aws"));
}

TEST_CASE("only the aws stack plans dry runs", "[stack-factory]") {
  CHECK(plans_dry_runs("aws"));
  CHECK_FALSE(plans_dry_runs("process"));
  CHECK_FALSE(plans_dry_runs("docker"));
  std::ostringstream out;
  CHECK_THROWS_AS(print_dry_run("process", ScenarioSpec{}, {}, options(), out),
                  std::invalid_argument);
}

}  // namespace
