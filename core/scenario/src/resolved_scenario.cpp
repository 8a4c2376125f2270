#include "loveless/scenario/detail/resolved_scenario.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "definition_check.hpp"
#include <unistd.h>

namespace loveless::scenario::detail {
namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool executable(const std::filesystem::path& path) {
  std::error_code error;
  return std::filesystem::is_regular_file(path, error) && ::access(path.c_str(), X_OK) == 0;
}

std::filesystem::path locate(const std::string& program, const std::filesystem::path& binary_dir) {
  if (program.find('/') != std::string::npos) {
    return executable(program) ? std::filesystem::absolute(program) : std::filesystem::path();
  }
  if (!binary_dir.empty() && executable(binary_dir / program)) return binary_dir / program;
  const char* path = std::getenv("PATH");
  std::stringstream directories(path == nullptr ? "" : path);
  for (std::string directory; std::getline(directories, directory, ':');) {
    if (!directory.empty() && executable(std::filesystem::path(directory) / program)) {
      return std::filesystem::path(directory) / program;
    }
  }
  return {};
}

void collect_states(const nlohmann::json& machine, std::set<std::string>& names) {
  if (!machine.is_object() || !machine.contains("States") || !machine["States"].is_object()) return;
  for (const auto& [name, state] : machine["States"].items()) {
    names.insert(name);
    if (!state.is_object()) continue;
    for (const char* nested : {"ItemProcessor", "Iterator"}) {
      if (state.contains(nested)) collect_states(state[nested], names);
    }
    if (state.contains("Branches") && state["Branches"].is_array()) {
      for (const auto& branch : state["Branches"]) collect_states(branch, names);
    }
  }
}

std::filesystem::path find_definition(const WorkflowSpec& workflow,
                                      const std::filesystem::path& scenario_file) {
  if (workflow.file.is_absolute()) return workflow.file;
  const auto beside = scenario_file.parent_path() / workflow.file;
  if (!scenario_file.empty() && std::filesystem::exists(beside)) return beside;
  return std::filesystem::absolute(workflow.file);
}

void resolve_workflows(const ScenarioSpec& spec, ResolvedScenario& resolved) {
  for (const auto& workflow : spec.workflows) {
    ResolvedWorkflow entry;
    entry.spec = &workflow;
    std::filesystem::path source;
    if (workflow.definition.empty()) {
      const auto path = find_definition(workflow, spec.source_file);
      if (!std::filesystem::is_regular_file(path)) {
        resolved.problems.push_back("workflow " + workflow.name + ": definition file " +
                                    path.string() + " not found (relative paths start at " +
                                    spec.source_file.parent_path().string() +
                                    ", the scenario file's directory)");
        continue;
      }
      entry.definition_template = read_text(path);
      source = path;
    } else {
      entry.definition_template = workflow.definition;
    }
    auto checked = check_definition(workflow, entry.definition_template, source);
    if (checked.problem) resolved.problems.push_back(std::move(*checked.problem));
    // Text that is not JSON has no states to name; an invalid definition's
    // states still let the other checks (triggers naming states) speak.
    if (!checked.document.is_object()) continue;
    entry.state_names = state_names(checked.document);
    resolved.workflows.push_back(std::move(entry));
  }
}

void resolve_commands(const ScenarioSpec& spec, const std::filesystem::path& binary_dir,
                      CommandUse use, ResolvedScenario& resolved) {
  for (const auto& pool : spec.pools) {
    auto command = pool.command;
    if (use == CommandUse::kBoundOnly) {
      // The aws stack binds to workers that already run; the command only
      // documents what they are.
    } else if (command.empty()) {
      resolved.problems.push_back("pool " + pool.name +
                                  ": no command (.command(\"worker-binary args\"))");
    } else if (use == CommandUse::kInImage) {
      if (pool.image.empty()) {
        resolved.problems.push_back("pool " + pool.name +
                                    ": the docker stack needs an image (.image(\"name\"))");
      }
      const auto entrypoint = pool.image_entrypoint.empty()
                                  ? "/" + std::filesystem::path(command[0]).filename().string()
                                  : pool.image_entrypoint;
      command[0] = entrypoint;
    } else {
      const auto located = locate(command[0], binary_dir);
      if (located.empty()) {
        resolved.problems.push_back("pool " + pool.name + ": command " + command[0] +
                                    " not found next to the suite (" + binary_dir.string() +
                                    ") or on PATH");
      } else {
        command[0] = located.string();
      }
    }
    resolved.commands.push_back(std::move(command));
  }
}

void resolve_inputs(const ScenarioSpec& spec, ResolvedScenario& resolved) {
  if (!spec.workload) return;
  const auto& workload = *spec.workload;
  resolved.inputs = workload.inputs;
  if (workload.input_dir.empty()) return;
  std::error_code error;
  if (!std::filesystem::is_directory(workload.input_dir, error)) {
    resolved.problems.push_back("inputs_from_dir: " + workload.input_dir.string() +
                                " is not a directory");
    return;
  }
  resolved.input_dir = std::filesystem::canonical(workload.input_dir);
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(resolved.input_dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  if (files.empty() && resolved.inputs.empty()) {
    auto named = workload.input_dir.string();
    if (resolved.input_dir != workload.input_dir) named += " (" + resolved.input_dir.string() + ")";
    resolved.problems.push_back("inputs_from_dir: " + named +
                                " has no files; put the input files in it (each file is one "
                                "input), or give inputs with .input(json) or .inputs({...})");
    return;
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    try {
      resolved.inputs.push_back(workload.mapper ? workload.mapper(file)
                                                : nlohmann::json{{"document", file.filename()},
                                                                 {"source", file.string()}});
    } catch (const std::exception& e) {
      resolved.problems.push_back("inputs_from_dir: the input mapper threw on " + file.string() +
                                  ": " + e.what());
    }
  }
}

}  // namespace

std::set<std::string> state_names(const nlohmann::json& definition) {
  std::set<std::string> names;
  collect_states(definition, names);
  return names;
}

ResolvedScenario resolve(const ScenarioSpec& spec, const std::filesystem::path& binary_dir,
                         CommandUse use) {
  ResolvedScenario resolved;
  resolve_workflows(spec, resolved);
  resolve_commands(spec, binary_dir, use, resolved);
  resolve_inputs(spec, resolved);
  return resolved;
}

}  // namespace loveless::scenario::detail
