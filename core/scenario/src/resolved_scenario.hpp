#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/scenario/scenario.hpp"

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

/// `binary_dir`: where a bare argv[0] is looked for before PATH. `images`:
/// the stack runs images, so commands need not exist on this host.
ResolvedScenario resolve(const ScenarioSpec& spec, const std::filesystem::path& binary_dir,
                         bool images);

/// Every `States` key of an ASL definition, recursively (Map ItemProcessor /
/// Iterator, Parallel Branches). Empty for text that is not a definition.
std::set<std::string> state_names(const nlohmann::json& definition);

}  // namespace loveless::scenario::detail
