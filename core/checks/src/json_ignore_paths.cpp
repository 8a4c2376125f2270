// Ignore paths of outputs_match_control and no_local_state_reliance: any
// JSONPath the Amazon States Language takes (asl::JsonPath, Jayway's
// dialect), applied as a remover.

#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "loveless/asl/json_path.hpp"

#include "check_support.hpp"
#include "execution_identity.hpp"

namespace loveless::checks::detail {

namespace {

using Pointer = nlohmann::json::json_pointer;

/// The path compiled, or why it cannot be an ignore path.
std::variant<asl::JsonPath, std::string> compile(std::string_view path) {
  const auto invalid = [path](const std::string& why) {
    return "'" + std::string(path) + "' is not a supported path: " + why;
  };
  try {
    auto compiled = asl::JsonPath::compile(path);
    // An output has no context object to select from.
    if (compiled.is_context()) return invalid("it names the context object ($$)");
    return compiled;
  } catch (const asl::JsonPathSyntaxError& e) {
    return invalid(e.what());
  }
}

/// Records the JSON pointer of every node of `node` by its address.
void index_nodes(const nlohmann::json& node, const Pointer& at,
                 std::unordered_map<const nlohmann::json*, Pointer>& pointers) {
  pointers.emplace(&node, at);
  if (node.is_object()) {
    for (const auto& [key, child] : node.items()) index_nodes(child, at / key, pointers);
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) index_nodes(node[i], at / i, pointers);
  }
}

/// Removes the node at `at`: an object member is erased, an array element
/// becomes null (so the elements after it keep their indices, and a
/// difference's pointer names the original element), the root becomes null.
void remove_at(nlohmann::json& value, const Pointer& at) {
  if (at.empty()) {
    value = nullptr;
    return;
  }
  // A node below one removed before it is gone already.
  if (!value.contains(at)) return;
  auto& parent = value.at(at.parent_pointer());
  if (parent.is_object()) {
    parent.erase(at.back());
  } else {
    value.at(at) = nullptr;
  }
}

}  // namespace

std::optional<std::string> validate_json_path(std::string_view path) {
  if (auto compiled = compile(path); std::holds_alternative<std::string>(compiled)) {
    return std::get<std::string>(compiled);
  }
  return std::nullopt;
}

std::optional<std::string> remove_json_path(nlohmann::json& value, std::string_view path) {
  auto compiled = compile(path);
  if (const auto* error = std::get_if<std::string>(&compiled)) return *error;
  std::vector<const nlohmann::json*> selected;
  try {
    selected = std::get<asl::JsonPath>(compiled).select_nodes(value);
  } catch (const std::exception& e) {
    return std::string(e.what());  // a path that selects without bound (`$..a..a..a`)
  }
  if (selected.empty()) return std::nullopt;
  // Pointers first: removing changes the nodes the addresses point to.
  std::unordered_map<const nlohmann::json*, Pointer> pointers;
  index_nodes(value, Pointer(), pointers);
  std::vector<Pointer> targets;
  targets.reserve(selected.size());
  for (const auto* node : selected) targets.push_back(pointers.at(node));
  for (const auto& target : targets) remove_at(value, target);
  return std::nullopt;
}

nlohmann::json comparable_output(const history::ExecutionRecord& execution,
                                 const OutputComparison& comparison) {
  auto output = without_execution_identity(execution.output, execution);
  for (const auto& path : comparison.ignore_paths) remove_json_path(output, path);
  return output;
}

}  // namespace loveless::checks::detail
