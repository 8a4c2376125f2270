#include "state_machine_configuration.hpp"

#include <string>

#include "loveless/engine/service_error.hpp"

#include "request_reader.hpp"

namespace loveless::engine {
namespace {

[[noreturn]] void throw_invalid_logging(const std::string& reason) {
  throw ServiceError("InvalidLoggingConfiguration", "Invalid Logging Configuration: " + reason);
}

// `arn:<partition>:logs:<region>:<account>:log-group:<name>:*`, as the API
// reference asks of logGroupArn.
bool is_log_group_arn(const std::string& arn) {
  return arn.starts_with("arn:") && arn.find(":logs:") != std::string::npos &&
         arn.find(":log-group:") != std::string::npos && arn.ends_with(":*");
}

}  // namespace

nlohmann::json default_logging_configuration() {
  return {{"level", "OFF"}, {"includeExecutionData", false}};
}

std::optional<nlohmann::json> read_logging_configuration(const RequestReader& reader) {
  const auto* given = reader.member("loggingConfiguration");
  if (given == nullptr) return std::nullopt;
  // Member types were checked against the service model already.
  auto logging = default_logging_configuration();
  if (const auto level = given->find("level"); level != given->end() && !level->is_null()) {
    const auto text = level->get<std::string>();
    if (text != "ALL" && text != "ERROR" && text != "FATAL" && text != "OFF") {
      throw_constraint("loggingConfiguration.level", text,
                       "Member must satisfy enum value set: [ALL, ERROR, FATAL, OFF]");
    }
    logging["level"] = text;
  }
  if (const auto data = given->find("includeExecutionData");
      data != given->end() && !data->is_null()) {
    logging["includeExecutionData"] = data->get<bool>();
  }
  std::size_t destinations = 0;
  if (const auto list = given->find("destinations"); list != given->end() && !list->is_null()) {
    destinations = list->size();
    if (destinations > 1) throw_invalid_logging("Must specify exactly one Log Destination.");
    for (const auto& destination : *list) {
      if (!destination.is_object()) throw_invalid_logging("Log Destination not found.");
      const auto group = destination.value("cloudWatchLogsLogGroup", nlohmann::json());
      const auto arn = group.is_object() ? group.value("logGroupArn", nlohmann::json()) : nullptr;
      if (!arn.is_string() || !is_log_group_arn(arn.get<std::string>())) {
        throw_invalid_logging("Log Destination not found.");
      }
    }
    logging["destinations"] = *list;
  }
  if (logging["level"] != "OFF" && destinations != 1) {
    throw_invalid_logging("Must specify exactly one Log Destination.");
  }
  return logging;
}

std::optional<bool> read_tracing_configuration(const RequestReader& reader) {
  const auto* given = reader.member("tracingConfiguration");
  if (given == nullptr) return std::nullopt;
  const auto enabled = given->find("enabled");
  return enabled != given->end() && enabled->is_boolean() && enabled->get<bool>();
}

}  // namespace loveless::engine
