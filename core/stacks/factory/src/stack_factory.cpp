#include "loveless/stacks/stack_factory.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "loveless/stacks/local_scenario_stack.hpp"

namespace loveless::stacks {
namespace {

// To add a stack: its name here, and a branch in make_scenario_stack (and in
// print_dry_run when it has a plan).
constexpr std::array<std::string_view, 3> kNames{"process", "docker", "aws"};

scenario::AwsStackOptions aws_options(const ScenarioStackOptions& options) {
  auto aws = options.aws;
  aws.run_id = options.run_id;
  aws.runs_root = options.runs_root;
  aws.kept_runs = options.kept_runs;
  return aws;
}

[[noreturn]] void unknown(std::string_view name) {
  throw std::invalid_argument("unknown stack '" + std::string(name) + "': the known stacks are " +
                              scenario_stack_list("and"));
}

}  // namespace

std::span<const std::string_view> scenario_stack_names() { return kNames; }

std::string scenario_stack_list(std::string_view last_joiner) {
  std::string text;
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (i > 0) text += i + 1 == kNames.size() ? " " + std::string(last_joiner) + " " : ", ";
    text += kNames[i];
  }
  return text;
}

bool is_scenario_stack(std::string_view name) {
  return std::find(kNames.begin(), kNames.end(), name) != kNames.end();
}

std::unique_ptr<scenario::ScenarioStack> make_scenario_stack(std::string_view name,
                                                             const scenario::ScenarioSpec& spec,
                                                             const ScenarioStackOptions& options) {
  if (name == "process" || name == "docker") {
    return scenario::make_local_scenario_stack(name, options.run_id, options.runs_root,
                                               options.seed, options.kept_runs);
  }
  if (name == "aws") return scenario::make_aws_scenario_stack(spec, aws_options(options));
  unknown(name);
}

bool plans_dry_runs(std::string_view name) { return name == "aws"; }

std::vector<std::string> print_dry_run(std::string_view name, const scenario::ScenarioSpec& spec,
                                       const scenario::RunOptions& run,
                                       const ScenarioStackOptions& options, std::ostream& out) {
  if (name == "aws") return scenario::print_aws_dry_run(spec, run, aws_options(options), out);
  if (is_scenario_stack(name)) {
    throw std::invalid_argument("the " + std::string(name) + " stack has no dry run");
  }
  unknown(name);
}

}  // namespace loveless::stacks
