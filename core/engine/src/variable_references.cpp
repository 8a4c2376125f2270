#include "variable_references.hpp"

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

#include "loveless/asl/intrinsics.hpp"
#include "loveless/asl/json_path.hpp"

namespace loveless::engine {
namespace {

using Names = std::set<std::string>;
using ByState = std::map<std::string, Names>;

/// The variable a path reads (`$name...`), by the engine's own JSONPath parser.
void add_path_reference(const std::string& text, Names& out) {
  try {
    const auto path = asl::JsonPath::compile(text);
    if (!path.variable().empty()) out.insert(path.variable());
  } catch (const asl::JsonPathSyntaxError&) {
    // Not a path (a validated definition has none such here): no reference.
  }
}

/// The value of a `.$` field: a path, or an intrinsic call whose path
/// arguments may read variables.
void add_expression_references(const std::string& text, Names& out) {
  if (!asl::is_intrinsic_call(text)) {
    add_path_reference(text, out);
    return;
  }
  try {
    for (auto& name : asl::intrinsic_variables(text)) out.insert(std::move(name));
  } catch (const std::invalid_argument&) {
    // Not a valid call (a validated definition has none): no reference.
  }
}

bool is_path_field(std::string_view key) {
  // ResultPath writes into the state's output; it never reads a variable.
  return key.ends_with("Path") && key != "ResultPath";
}

/// A payload template: only `.$` fields are expressions.
void walk_template(const nlohmann::json& value, Names& out) {
  if (value.is_object()) {
    for (const auto& [key, member] : value.items()) {
      if (key.ends_with(".$") && member.is_string()) {
        add_expression_references(member.get_ref<const std::string&>(), out);
      } else {
        walk_template(member, out);
      }
    }
  } else if (value.is_array()) {
    for (const auto& item : value) walk_template(item, out);
  }
}

bool is_template_field(std::string_view key) {
  return key == "Parameters" || key == "ResultSelector" || key == "ItemSelector" ||
         key == "Assign" || key == "BatchInput";
}

/// A structure of paths and templates: ItemReader, its ReaderConfig, ItemBatcher.
void walk_structure(const nlohmann::json& value, Names& out) {
  if (!value.is_object()) return;
  for (const auto& [key, member] : value.items()) {
    if (is_template_field(key)) {
      walk_template(member, out);
    } else if (member.is_object()) {
      walk_structure(member, out);
    } else if (is_path_field(key) && member.is_string()) {
      add_path_reference(member.get_ref<const std::string&>(), out);
    }
  }
}

/// A Choice rule: Variable, `...Path` operands, nested And/Or/Not, its Assign.
void walk_rule(const nlohmann::json& rule, Names& out) {
  if (!rule.is_object()) return;
  for (const auto& [key, member] : rule.items()) {
    if ((key == "Variable" || is_path_field(key)) && member.is_string()) {
      add_path_reference(member.get_ref<const std::string&>(), out);
    } else if (key == "And" || key == "Or") {
      if (member.is_array()) {
        for (const auto& nested : member) walk_rule(nested, out);
      }
    } else if (key == "Not") {
      walk_rule(member, out);
    } else if (key == "Assign") {
      walk_template(member, out);
    }
  }
}

void walk_machine(const nlohmann::json& machine, bool jsonata, ByState& out);

void walk_state(const std::string& name, const nlohmann::json& state, bool machine_jsonata,
                ByState& out) {
  if (!state.is_object()) return;
  const auto language = state.find("QueryLanguage");
  const bool jsonata =
      language != state.end() && language->is_string() ? *language == "JSONata" : machine_jsonata;
  Names names;
  for (const auto& [key, member] : state.items()) {
    if (jsonata) break;  // JSONata expressions are not listed (the recordings)
    if (is_template_field(key)) {
      walk_template(member, names);
    } else if (key == "Choices" && member.is_array()) {
      for (const auto& rule : member) walk_rule(rule, names);
    } else if ((key == "ItemReader" || key == "ItemBatcher")) {
      walk_structure(member, names);
    } else if (key == "Catch" && member.is_array()) {
      for (const auto& catcher : member) {
        if (catcher.is_object() && catcher.contains("Assign")) {
          walk_template(catcher["Assign"], names);
        }
      }
    } else if (is_path_field(key) && member.is_string()) {
      add_path_reference(member.get_ref<const std::string&>(), names);
    }
  }
  if (!names.empty()) out[name].insert(names.begin(), names.end());
  for (const char* nested : {"ItemProcessor", "Iterator"}) {
    if (const auto it = state.find(nested); it != state.end()) {
      walk_machine(*it, machine_jsonata, out);
    }
  }
  if (const auto branches = state.find("Branches");
      branches != state.end() && branches->is_array()) {
    for (const auto& branch : *branches) walk_machine(branch, machine_jsonata, out);
  }
}

void walk_machine(const nlohmann::json& machine, bool jsonata, ByState& out) {
  if (!machine.is_object()) return;
  const auto states = machine.find("States");
  if (states == machine.end() || !states->is_object()) return;
  for (const auto& [name, state] : states->items()) walk_state(name, state, jsonata, out);
}

}  // namespace

std::optional<nlohmann::json> variable_references(const nlohmann::json& definition) {
  if (!definition.is_object()) return std::nullopt;
  const auto language = definition.find("QueryLanguage");
  const bool jsonata = language != definition.end() && *language == "JSONata";
  ByState by_state;
  walk_machine(definition, jsonata, by_state);
  if (by_state.empty()) return std::nullopt;
  nlohmann::json references = nlohmann::json::object();
  for (const auto& [state, names] : by_state) {
    references[state] = nlohmann::json(std::vector<std::string>(names.begin(), names.end()));
  }
  return references;
}

}  // namespace loveless::engine
