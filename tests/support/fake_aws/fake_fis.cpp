// The fake's AWS FIS: experiment templates and experiments as the AWS FIS
// API Reference describes CreateExperimentTemplate, DeleteExperimentTemplate,
// StartExperiment, GetExperiment and StopExperiment, with the experiment
// states of "Experiment states" (initiating, running, completed, stopping,
// stopped).
#include <regex>

#include "fake_aws/fake_shapes.hpp"
#include "fake_aws/fake_state.hpp"

namespace loveless::testing {
namespace {

constexpr ShapeChecker kShape{"ValidationException"};

/// An ISO 8601 duration of FIS (`PT1M`, `PT1H30M`, `PT90S`) in milliseconds.
std::chrono::milliseconds parse_duration(const std::string& text) {
  static const std::regex kDuration("PT(?:([0-9]+)H)?(?:([0-9]+)M)?(?:([0-9]+)S)?");
  std::smatch match;
  if (!std::regex_match(text, match, kDuration) || text == "PT") {
    kShape.fail("duration " + text + " is not an ISO 8601 duration such as PT1M");
  }
  const auto part = [&](int i) { return match[i].matched ? std::stoll(match[i].str()) : 0LL; };
  return std::chrono::milliseconds((part(1) * 3600 + part(2) * 60 + part(3)) * 1000);
}

void validate_template(const nlohmann::json& body) {
  kShape.object(body, "The request body");
  kShape.required_string(body, "clientToken");
  kShape.required_string(body, "description");
  kShape.required_string(body, "roleArn");
  kShape.string_map(body, "tags");
  if (!body.contains("stopConditions") || !body["stopConditions"].is_array() ||
      body["stopConditions"].empty()) {
    kShape.fail("stopConditions must be a non-empty list");
  }
  for (const auto& condition : body["stopConditions"]) {
    kShape.object(condition, "stopConditions[]");
    const std::string source = kShape.required_string(condition, "source");
    if (source == "aws:cloudwatch:alarm") {
      kShape.required_string(condition, "value");
    } else if (source != "none") {
      kShape.fail("stopConditions[].source must be none or aws:cloudwatch:alarm");
    }
  }
  const auto targets = body.value("targets", nlohmann::json::object());
  kShape.object(targets, "targets");
  for (const auto& [name, target] : targets.items()) {
    kShape.object(target, "targets." + name);
    kShape.required_string(target, "resourceType");
    kShape.required_string(target, "selectionMode");
    kShape.string_array(target, "resourceArns");
    kShape.string_map(target, "parameters");
    if (!target.contains("resourceArns") && !target.contains("resourceTags") &&
        !target.contains("parameters")) {
      kShape.fail("targets." + name + " needs resourceArns, resourceTags or parameters");
    }
  }
  if (!body.contains("actions") || !body["actions"].is_object() || body["actions"].empty()) {
    kShape.fail("actions must be a non-empty map");
  }
  for (const auto& [name, action] : body["actions"].items()) {
    kShape.object(action, "actions." + name);
    kShape.required_string(action, "actionId");
    kShape.string_map(action, "parameters");
    kShape.string_map(action, "targets");
    const nlohmann::json action_targets = action.value("targets", nlohmann::json::object());
    for (const auto& [key, target] : action_targets.items()) {
      if (!targets.contains(target.get<std::string>())) {
        std::string message = "actions.";
        message.append(name).append(".targets.").append(key).append(" names no target");
        kShape.fail(message);
      }
    }
    if (const auto params = action.find("parameters");
        params != action.end() && params->contains("duration")) {
      parse_duration((*params)["duration"].get<std::string>());
    }
  }
}

nlohmann::json experiment_json(const FakeExperiment& experiment) {
  return {{"id", experiment.id},
          {"experimentTemplateId", experiment.template_id},
          {"state", {{"status", experiment.status}, {"reason", experiment.reason}}}};
}

FakeReply create_template(FakeAwsControlPlane::State& state, const nlohmann::json& body) {
  validate_template(body);
  const std::string token = body["clientToken"].get<std::string>();
  FakeReply reply;
  for (const auto& [id, existing] : state.templates) {
    // Idempotency: the same token is the same request, answered again.
    if (existing.client_token == token) {
      reply.body["experimentTemplate"] = existing.body;
      return reply;
    }
  }
  FakeTemplate created;
  created.id = "EXT" + state.new_id(14);
  created.client_token = token;
  std::chrono::milliseconds longest{0};
  for (const auto& [name, action] : body["actions"].items()) {
    const auto params = action.value("parameters", nlohmann::json::object());
    if (params.contains("duration")) {
      longest = std::max(longest, parse_duration(params["duration"].get<std::string>()));
    }
  }
  created.duration = std::chrono::milliseconds(static_cast<long long>(
      static_cast<double>(longest.count()) * state.options.experiment_time_scale));
  for (const auto& condition : body["stopConditions"]) {
    if (condition["source"] == "aws:cloudwatch:alarm") {
      created.stop_alarm_arns.push_back(condition["value"].get<std::string>());
    }
  }
  created.body = body;
  created.body.erase("clientToken");
  created.body["id"] = created.id;
  reply.body["experimentTemplate"] = created.body;
  state.templates[created.id] = std::move(created);
  return reply;
}

FakeReply start_experiment(FakeAwsControlPlane::State& state, const nlohmann::json& body,
                           FakeClock::time_point now) {
  kShape.object(body, "The request body");
  const std::string token = kShape.required_string(body, "clientToken");
  const std::string template_id = kShape.required_string(body, "experimentTemplateId");
  kShape.string_map(body, "tags");
  FakeReply reply;
  for (const auto& [id, existing] : state.experiments) {
    if (existing.client_token == token) {
      reply.body["experiment"] = experiment_json(existing);
      return reply;
    }
  }
  const auto found = state.templates.find(template_id);
  if (found == state.templates.end()) {
    throw FakeError(404, "ResourceNotFoundException",
                    "Experiment template not found: " + template_id);
  }
  FakeExperiment experiment;
  experiment.id = "EXP" + state.new_id(14);
  experiment.template_id = template_id;
  experiment.client_token = token;
  experiment.status = "initiating";
  experiment.reason = "Experiment is initiating.";
  experiment.next_transition = now + state.options.experiment_transition_time;
  experiment.duration = found->second.duration;
  experiment.stop_alarm_arns = found->second.stop_alarm_arns;
  reply.body["experiment"] = experiment_json(experiment);
  state.experiments[experiment.id] = std::move(experiment);
  return reply;
}

FakeExperiment& find_experiment(FakeAwsControlPlane::State& state, const std::string& id) {
  const auto it = state.experiments.find(id);
  if (it == state.experiments.end()) {
    throw FakeError(404, "ResourceNotFoundException", "Experiment not found: " + id);
  }
  return it->second;
}

bool alarm_firing(const FakeAwsControlPlane::State& state, const FakeExperiment& experiment) {
  for (const auto& [name, alarm] : state.alarms) {
    for (const auto& arn : experiment.stop_alarm_arns) {
      if (alarm.arn == arn && alarm.state == "ALARM") return true;
    }
  }
  return false;
}

}  // namespace

void advance_fis(FakeAwsControlPlane::State& state, FakeClock::time_point now) {
  for (auto& [id, experiment] : state.experiments) {
    if ((experiment.status == "initiating" || experiment.status == "running") &&
        alarm_firing(state, experiment)) {
      experiment.status = "stopped";
      experiment.reason = "Experiment stopped by stop condition.";
      continue;
    }
    if (experiment.next_transition > now) continue;
    if (experiment.status == "initiating") {
      experiment.status = "running";
      experiment.reason = "Experiment is running.";
      experiment.next_transition = now + experiment.duration;
    } else if (experiment.status == "running") {
      experiment.status = "completed";
      experiment.reason = "Experiment completed.";
    } else if (experiment.status == "stopping") {
      experiment.status = "stopped";
      experiment.reason = "Experiment stopped.";
    }
  }
}

FakeReply handle_fis(FakeAwsControlPlane::State& state, const std::string& operation,
                     const std::string& id, const nlohmann::json& body, FakeClock::time_point now) {
  FakeReply reply;
  if (operation == "CreateExperimentTemplate") return create_template(state, body);
  if (operation == "StartExperiment") return start_experiment(state, body, now);
  if (operation == "GetExperiment") {
    reply.body["experiment"] = experiment_json(find_experiment(state, id));
    return reply;
  }
  if (operation == "StopExperiment") {
    FakeExperiment& experiment = find_experiment(state, id);
    if (experiment.status != "initiating" && experiment.status != "running") {
      kShape.fail("Experiment " + id + " is " + experiment.status + " and cannot be stopped");
    }
    experiment.status = "stopping";
    experiment.reason = "Experiment is stopping.";
    experiment.next_transition = now + state.options.experiment_transition_time;
    reply.body["experiment"] = experiment_json(experiment);
    return reply;
  }
  if (operation == "DeleteExperimentTemplate") {
    const auto it = state.templates.find(id);
    if (it == state.templates.end()) {
      throw FakeError(404, "ResourceNotFoundException", "Experiment template not found: " + id);
    }
    reply.body["experimentTemplate"] = it->second.body;
    state.templates.erase(it);
    return reply;
  }
  throw FakeError(400, "UnknownOperationException", "Unknown operation " + operation);
}

}  // namespace loveless::testing
