#include "loveless/aws_api/fis_templates.hpp"

namespace loveless::aws_api {
namespace {

constexpr const char* kActionName = "LovelessFault";
constexpr const char* kTargetName = "LovelessTargets";

nlohmann::json stop_conditions(const FisTemplateCommon& common) {
  if (common.stop_alarm_arn) {
    return nlohmann::json::array(
        {{{"source", "aws:cloudwatch:alarm"}, {"value", *common.stop_alarm_arn}}});
  }
  return nlohmann::json::array({{{"source", "none"}}});
}

/// One action on one target: every template here has that shape.
nlohmann::json one_action_template(const FisTemplateCommon& common, const std::string& action_id,
                                   nlohmann::json parameters, const std::string& target_key,
                                   nlohmann::json target) {
  nlohmann::json action = {{"actionId", action_id},
                           {"description", common.description},
                           {"parameters", std::move(parameters)},
                           {"targets", {{target_key, kTargetName}}}};
  return {{"description", common.description},
          {"roleArn", common.role_arn},
          {"stopConditions", stop_conditions(common)},
          {"targets", {{kTargetName, std::move(target)}}},
          {"actions", {{kActionName, std::move(action)}}},
          {"tags", {{"loveless:run", common.run_id}}}};
}

nlohmann::json function_target(const std::string& function_arn) {
  return {{"resourceType", "aws:lambda:function"},
          {"resourceArns", {function_arn}},
          {"selectionMode", "ALL"}};
}

}  // namespace

std::string iso8601_duration(std::chrono::seconds duration) {
  auto seconds = duration.count() < 0 ? 0 : duration.count();
  const auto hours = seconds / 3600;
  const auto minutes = seconds % 3600 / 60;
  seconds %= 60;
  std::string text = "PT";
  if (hours > 0) text += std::to_string(hours) + "H";
  if (minutes > 0) text += std::to_string(minutes) + "M";
  if (seconds > 0 || text == "PT") text += std::to_string(seconds) + "S";
  return text;
}

nlohmann::json lambda_invocation_delay_template(const FisTemplateCommon& common,
                                                const LambdaDelayFault& fault) {
  return one_action_template(
      common, "aws:lambda:invocation-add-delay",
      {{"duration", iso8601_duration(fault.duration)},
       {"invocationPercentage", std::to_string(fault.invocation_percentage)},
       {"startupDelayMilliseconds", std::to_string(fault.startup_delay.count())}},
      "Functions", function_target(fault.function_arn));
}

nlohmann::json lambda_invocation_error_template(const FisTemplateCommon& common,
                                                const LambdaErrorFault& fault) {
  return one_action_template(common, "aws:lambda:invocation-error",
                             {{"duration", iso8601_duration(fault.duration)},
                              {"invocationPercentage", std::to_string(fault.invocation_percentage)},
                              {"preventExecution", fault.prevent_execution ? "true" : "false"}},
                             "Functions", function_target(fault.function_arn));
}

nlohmann::json ecs_task_network_latency_template(const FisTemplateCommon& common,
                                                 const EcsNetworkLatencyFault& fault) {
  return one_action_template(
      common, "aws:ecs:task-network-latency",
      {{"duration", iso8601_duration(fault.duration)},
       {"delayMilliseconds", std::to_string(fault.delay.count())},
       {"jitterMilliseconds", std::to_string(fault.jitter.count())},
       {"installDependencies", fault.install_dependencies ? "true" : "false"}},
      "Tasks",
      {{"resourceType", "aws:ecs:task"},
       {"parameters", {{"cluster", fault.cluster}, {"service", fault.service}}},
       {"selectionMode", fault.selection_mode}});
}

}  // namespace loveless::aws_api
