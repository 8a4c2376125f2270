#include "express_rules.hpp"

#include <string>

namespace loveless::engine {
namespace {

std::optional<std::string> resource_rule(const std::string& resource) {
  if (resource.starts_with("arn:") && resource.find(":states:") != std::string::npos &&
      resource.find(":activity:") != std::string::npos) {
    return "Express state machine does not support Activity ARN";
  }
  if (resource.ends_with(".waitForTaskToken")) {
    // With the trailing space AWS's message has (test_sfn_api_express and
    // test_sfn_api_validation recordings).
    return "Express state machine does not support '.waitForTaskToken' service integration ";
  }
  if (resource.ends_with(".sync") || resource.find(".sync:") != std::string::npos) {
    return "Express state machine does not support '.sync' service integration";
  }
  return std::nullopt;
}

std::optional<asl::InvalidDefinition> scan(const nlohmann::json& machine, const std::string& at) {
  const auto states = machine.find("States");
  if (states == machine.end() || !states->is_object()) return std::nullopt;
  for (const auto& [name, state] : states->items()) {
    if (!state.is_object()) continue;
    const auto state_at = at + "/States/" + asl::escape_pointer_token(name);
    const auto type = state.value("Type", std::string());
    if (type == "Task") {
      const auto resource = state.value("Resource", std::string());
      if (auto rule = resource_rule(resource)) {
        return asl::InvalidDefinition(state_at + "/Resource", *rule);
      }
    } else if (type == "Parallel") {
      const auto branches = state.value("Branches", nlohmann::json::array());
      for (std::size_t i = 0; i < branches.size(); ++i) {
        if (auto found = scan(branches[i], state_at + "/Branches/" + std::to_string(i))) {
          return found;
        }
      }
    } else if (type == "Map") {
      for (const char* field : {"ItemProcessor", "Iterator"}) {
        const auto processor = state.find(field);
        if (processor == state.end() || !processor->is_object()) continue;
        if (auto found = scan(*processor, state_at + "/" + field)) return found;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<asl::InvalidDefinition> express_violation(const nlohmann::json& document) {
  return scan(document, "");
}

}  // namespace loveless::engine
