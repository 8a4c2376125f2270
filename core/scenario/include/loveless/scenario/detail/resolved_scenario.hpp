#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/scenario/scenario.hpp"
#include "loveless/scenario/scenario_stack.hpp"

namespace loveless::scenario::detail {

/// A workflow with its definition read and its state names known.
struct ResolvedWorkflow {
  const WorkflowSpec* spec = nullptr;
  std::string definition_template;
  /// Every state name, nested Map and Parallel states included.
  std::set<std::string> state_names;
};

/// The scenario's files read, commands located and inputs listed: everything
/// that can fail before the stack comes up. Problems are collected, not thrown.
struct ResolvedScenario {
  std::vector<ResolvedWorkflow> workflows;
  /// Per pool (same order as spec.pools): the command with argv[0] located.
  std::vector<std::vector<std::string>> commands;
  std::vector<nlohmann::json> inputs;
  /// Input files (for the read-only mount), when the inputs come from a directory.
  std::filesystem::path input_dir;
  std::vector<std::string> problems;
};

/// How a stack uses a pool's command.
enum class CommandUse {
  kRunHere,    ///< the process fleet runs it: argv[0] must exist on this host
  kInImage,    ///< the docker fleet runs it in the pool's image: an image is needed
  kBoundOnly,  ///< the workers run elsewhere (aws): the command is not used
};
inline CommandUse command_use(const ScenarioStack& stack) {
  if (!stack.launches_workers()) return CommandUse::kBoundOnly;
  return stack.runs_images() ? CommandUse::kInImage : CommandUse::kRunHere;
}

/// `binary_dir`: where a bare argv[0] is looked for before PATH.
ResolvedScenario resolve(const ScenarioSpec& spec, const std::filesystem::path& binary_dir,
                         CommandUse use);

/// Every `States` key of an ASL definition, recursively (Map ItemProcessor /
/// Iterator, Parallel Branches). Empty for text that is not a definition.
std::set<std::string> state_names(const nlohmann::json& definition);

}  // namespace loveless::scenario::detail
