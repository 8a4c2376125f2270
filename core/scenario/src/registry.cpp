#include "loveless/scenario/registry.hpp"

#include <exception>
#include <set>

namespace loveless::scenario {

ScenarioRegistry& registry() {
  // A function-local static: registrars in other translation units may run
  // before this one's statics are initialised.
  static ScenarioRegistry instance;
  return instance;
}

std::vector<std::string> parse_tags(const std::string& tags, std::string& error) {
  std::vector<std::string> parsed;
  std::size_t at = 0;
  while (at < tags.size()) {
    if (tags[at] == ' ') {
      ++at;
      continue;
    }
    if (tags[at] != '[') {
      error = "tags must be written as [name][name], got \"" + tags + "\"";
      return {};
    }
    const auto close = tags.find(']', at);
    if (close == std::string::npos || close == at + 1) {
      error = "unclosed or empty tag in \"" + tags + "\"";
      return {};
    }
    parsed.push_back(tags.substr(at + 1, close - at - 1));
    at = close + 1;
  }
  return parsed;
}

ScenarioSpec declare(const RegisteredScenario& scenario) {
  ScenarioSpec spec;
  spec.name = scenario.name;
  std::string error;
  spec.tags = parse_tags(scenario.tags, error);
  if (!error.empty()) spec.declaration_errors.push_back(error);
  spec.source_file = scenario.file;
  spec.source_line = scenario.line;
  Scenario builder(spec);
  try {
    scenario.body(builder);
  } catch (const std::exception& e) {
    spec.declaration_errors.push_back(std::string("the scenario body threw: ") + e.what());
  } catch (...) {
    spec.declaration_errors.emplace_back("the scenario body threw a non-standard exception");
  }
  return spec;
}

ScenarioRegistrar::ScenarioRegistrar(const char* name, const char* tags, const char* file, int line,
                                     void (*body)(Scenario&)) noexcept {
  try {
    auto& known = registry();
    const std::string where = std::string(file) + ":" + std::to_string(line);
    std::string scenario_name = name == nullptr ? "" : name;
    if (scenario_name.empty()) {
      known.errors.push_back(where + ": a scenario needs a name");
      return;
    }
    for (const auto& existing : known.scenarios) {
      if (existing.name == scenario_name) {
        known.errors.push_back(where + ": scenario \"" + scenario_name +
                               "\" is already declared at " + existing.file.string() + ":" +
                               std::to_string(existing.line));
        return;
      }
    }
    std::string error;
    parse_tags(tags == nullptr ? "" : tags, error);
    if (!error.empty()) known.errors.push_back(where + ": " + error);
    known.scenarios.push_back(
        {std::move(scenario_name), tags == nullptr ? "" : tags, file, line, body});
  } catch (...) {
    // Out of memory before main: nothing sensible to record; the scenario is
    // simply missing from --list.
  }
}

}  // namespace loveless::scenario
