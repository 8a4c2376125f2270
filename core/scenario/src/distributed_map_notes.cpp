#include "distributed_map_notes.hpp"

namespace loveless::scenario::detail {
namespace {

void collect(const nlohmann::json& machine, std::vector<std::string>& found, int depth) {
  // Definitions are validated before this runs; the bound only keeps a
  // hand-made document from recursing without end.
  if (depth > 64 || !machine.is_object()) return;
  const auto states = machine.find("States");
  if (states == machine.end() || !states->is_object()) return;
  for (const auto& [name, state] : states->items()) {
    if (!state.is_object()) continue;
    if (const auto branches = state.find("Branches");
        branches != state.end() && branches->is_array()) {
      for (const auto& branch : *branches) collect(branch, found, depth + 1);
    }
    for (const char* field : {"ItemProcessor", "Iterator"}) {
      const auto processor = state.find(field);
      if (processor == state.end() || !processor->is_object()) continue;
      const auto config = processor->find("ProcessorConfig");
      if (config != processor->end() && config->is_object() &&
          config->value("Mode", std::string()) == "DISTRIBUTED") {
        found.push_back(name);
      }
      collect(*processor, found, depth + 1);
    }
  }
}

}  // namespace

std::vector<std::string> distributed_map_states(const nlohmann::json& definition) {
  std::vector<std::string> found;
  collect(definition, found, 0);
  return found;
}

std::string distributed_map_note(const std::string& workflow,
                                 const std::vector<std::string>& states) {
  if (states.empty()) return "";
  std::string names;
  for (const auto& state : states) names += (names.empty() ? "" : ", ") + state;
  return "note: workflow \"" + workflow + "\" runs a distributed Map (" + names +
         "): the tasks of its child executions are not in the history the checks read, so "
         "no_local_state_reliance compares those executions' outcomes but cannot count their "
         "tasks' cold coverage, and will not pass on them alone (docs/checks.md)";
}

}  // namespace loveless::scenario::detail
