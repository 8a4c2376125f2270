#pragma once
// The stacks a scenario suite can run on, by name (`--stack`): the one place
// that knows every concrete ScenarioStack (docs/architecture.md, "Stacks
// behind a factory").

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "loveless/scenario/runner.hpp"
#include "loveless/scenario/scenario.hpp"
#include "loveless/scenario/scenario_stack.hpp"
#include "loveless/stacks/aws/aws_scenario_stack.hpp"

namespace loveless::stacks {

/// What every stack is made with; each takes what it needs.
struct ScenarioStackOptions {
  /// Names the run; empty: each stack makes one.
  std::string run_id;
  /// Where run directories live; empty: `stacks::default_runs_root()`.
  std::filesystem::path runs_root;
  /// Run directories kept there, this run's included; nullopt:
  /// `LOVELESS_KEEP_RUNS`, else 20.
  std::optional<std::size_t> kept_runs;
  /// Local stacks: the engine's seed.
  std::uint64_t seed = 0;
  /// The aws stack: region, profile, credentials, endpoints, log, polling.
  /// Its run_id, runs_root and kept_runs are the ones above.
  scenario::AwsStackOptions aws;
};

/// The stacks `make_scenario_stack` knows, in the order the suite names
/// them: process, docker, aws.
std::span<const std::string_view> scenario_stack_names();

/// The known names as a sentence: `process, docker or aws` with `last_joiner`
/// "or".
std::string scenario_stack_list(std::string_view last_joiner);

/// True when `name` is one of `scenario_stack_names()`.
bool is_scenario_stack(std::string_view name);

/// The stack `name` for `spec`: `process` and `docker` (the local stack on
/// that fleet; `make_local_scenario_stack`), `aws` (bound to `spec.aws`;
/// `make_aws_scenario_stack`). Nothing starts until `up`. Throws
/// `std::invalid_argument` naming the known stacks for any other name.
std::unique_ptr<scenario::ScenarioStack> make_scenario_stack(std::string_view name,
                                                             const scenario::ScenarioSpec& spec,
                                                             const ScenarioStackOptions& options);

/// True when stack `name` has a `--dry-run` plan (aws: the mutating AWS
/// calls a run would make; the local stacks change nothing outside this
/// machine).
bool plans_dry_runs(std::string_view name);

/// `--dry-run` of `spec` on stack `name` (one with `plans_dry_runs`): prints
/// the plan to `out` and returns the validation problems (empty: printed).
/// Throws `std::invalid_argument` for a stack without a plan.
std::vector<std::string> print_dry_run(std::string_view name, const scenario::ScenarioSpec& spec,
                                       const scenario::RunOptions& run,
                                       const ScenarioStackOptions& options, std::ostream& out);

}  // namespace loveless::stacks
