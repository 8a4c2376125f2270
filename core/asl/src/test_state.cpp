// TestState: what it runs (a lone state or one named in a state machine)
// and the call itself; state_tester*.cpp evaluate the state.

#include "loveless/asl/test_state.hpp"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "compiled_machine.hpp"
#include "state_tester.hpp"

namespace loveless::asl {

namespace detail {

std::optional<LocatedState> locate_state(const Machine& machine, std::string_view name) {
  for (std::size_t i = 0; i < machine.states.size(); ++i) {
    const auto& state = machine.states[i];
    if (state.name == name) return LocatedState{&machine, i};
    for (const auto& branch : state.branches) {
      if (auto found = locate_state(*branch, name)) return found;
    }
    if (state.processor) {
      if (auto found = locate_state(*state.processor, name)) return found;
    }
  }
  return std::nullopt;
}

}  // namespace detail

namespace {

void add_transition(const json& value, std::set<std::string>& targets) {
  if (value.is_string()) targets.insert(value.get<std::string>());
}

/// The state names `state` transitions to.
std::set<std::string> transition_targets(const json& state) {
  std::set<std::string> targets;
  if (!state.is_object()) return targets;
  if (const auto it = state.find("Next"); it != state.end()) add_transition(*it, targets);
  if (const auto it = state.find("Default"); it != state.end()) add_transition(*it, targets);
  for (const char* list : {"Choices", "Catch"}) {
    const auto it = state.find(list);
    if (it == state.end() || !it->is_array()) continue;
    for (const auto& item : *it) {
      if (item.is_object() && item.contains("Next")) add_transition(item["Next"], targets);
    }
  }
  return targets;
}

/// The names of the states inside `machine`, at any depth.
void collect_states(const detail::Machine& machine, std::vector<std::string>& names) {
  for (const auto& state : machine.states) {
    names.push_back(state.name);
    for (const auto& branch : state.branches) collect_states(*branch, names);
    if (state.processor) collect_states(*state.processor, names);
  }
}

}  // namespace

std::shared_ptr<const Definition> lone_state_definition(const json& state,
                                                        DefinitionOptions options) {
  if (!state.is_object()) throw InvalidDefinition("/", "a state must be a JSON object");
  const std::string name(kLoneStateName);
  json states = json::object();
  states[name] = state;
  for (const auto& target : transition_targets(state)) {
    if (target != name) states[target] = json{{"Type", "Succeed"}};
  }
  return Definition::from_json(json{{"StartAt", name}, {"States", std::move(states)}}, options);
}

std::optional<TestedState> find_tested_state(const std::shared_ptr<const Definition>& definition,
                                             std::string_view state_name) {
  const auto compiled = detail::compile_definition(definition);
  const auto found = detail::locate_state(compiled->root, state_name);
  if (!found) return std::nullopt;
  const auto& state = found->machine->states[found->index];
  TestedState tested;
  tested.type = std::string(detail::type_name(state.type));
  tested.resource = state.resource;
  tested.resource_kind = state.resource_kind;
  tested.jsonata = state.jsonata;
  tested.branch_count = state.branches.size();
  tested.item_reader = state.item_reader != nullptr;
  tested.result_writer = state.result_writer != nullptr;
  for (const auto& branch : state.branches) collect_states(*branch, tested.nested_states);
  if (state.processor) collect_states(*state.processor, tested.nested_states);
  return tested;
}

TestStateResult test_state(const TestStateRequest& request, const TestTaskRunner& run_task,
                           RandomSource& random, TimePoint now) {
  detail::StateTester tester(request, run_task, random, now);
  return tester.run();
}

}  // namespace loveless::asl
