#include "corpus_case.hpp"

#include <fstream>
#include <set>
#include <sstream>

namespace loveless::fidelity {
namespace {

using nlohmann::json;

[[noreturn]] void malformed(const std::string& where, const std::string& what) {
  throw CaseFormatError(where + ": " + what);
}

void only_members(const json& object, const std::set<std::string>& allowed,
                  const std::string& where) {
  if (!object.is_object()) malformed(where, "must be an object");
  for (const auto& [key, value] : object.items()) {
    if (allowed.count(key) == 0) malformed(where, "unknown member '" + key + "'");
  }
}

std::string string_member(const json& object, const char* key, const std::string& where,
                          bool required) {
  if (!object.contains(key)) {
    if (required) malformed(where, std::string("missing '") + key + "'");
    return "";
  }
  if (!object.at(key).is_string()) malformed(where, std::string("'") + key + "' must be a string");
  return object.at(key).get<std::string>();
}

double seconds_member(const json& object, const char* key, const std::string& where) {
  if (!object.contains(key)) return 0;
  if (!object.at(key).is_number() || object.at(key).get<double>() < 0) {
    malformed(where, std::string("'") + key + "' must be a number of seconds >= 0");
  }
  return object.at(key).get<double>();
}

WorkerCall activity_call(const json& call, const std::string& where);

// `callback`: what a client does with the token in the event, written as an
// activity worker's call with SendTaskSuccess/SendTaskFailure named as such.
std::shared_ptr<const TaskCallback> task_callback(const json& callback, const std::string& where) {
  only_members(callback,
               {"token", "sleep", "heartbeats", "heartbeat_every", "send_task_success",
                "send_task_failure", "silent"},
               where);
  auto parsed = std::make_shared<TaskCallback>();
  parsed->token_pointer = string_member(callback, "token", where, true);
  try {
    (void)json::json_pointer(parsed->token_pointer);
  } catch (const json::exception&) {
    malformed(where, "'token' must be a JSON pointer");
  }
  json as_activity = callback;
  as_activity.erase("token");
  if (as_activity.contains("send_task_success")) {
    as_activity["succeed"] = as_activity.at("send_task_success");
    as_activity.erase("send_task_success");
  }
  if (as_activity.contains("send_task_failure")) {
    as_activity["fail"] = as_activity.at("send_task_failure");
    as_activity.erase("send_task_failure");
  }
  parsed->action = activity_call(as_activity, where);
  return parsed;
}

WorkerCall function_call(const json& call, const std::string& where) {
  only_members(call, {"sleep", "return", "return_input", "error", "exit", "callback"}, where);
  WorkerCall parsed;
  parsed.sleep_seconds = seconds_member(call, "sleep", where);
  int outcomes = 0;
  if (call.contains("return")) {
    parsed.outcome = WorkerCall::Outcome::kReturn;
    parsed.value = call.at("return");
    ++outcomes;
  }
  if (call.contains("return_input")) {
    parsed.outcome = WorkerCall::Outcome::kReturnInput;
    ++outcomes;
  }
  if (call.contains("error")) {
    parsed.outcome = WorkerCall::Outcome::kError;
    const auto& error = call.at("error");
    if (error.is_string()) {
      parsed.raw_error = error.get<std::string>();
      parsed.value = json::parse(*parsed.raw_error, nullptr, false);
    } else if (error.is_object()) {
      parsed.value = error;
    } else {
      malformed(where, "'error' must be an object or a string");
    }
    ++outcomes;
  }
  if (call.contains("exit")) {
    parsed.outcome = WorkerCall::Outcome::kExit;
    parsed.value = call.at("exit");
    ++outcomes;
  }
  if (outcomes > 1) malformed(where, "at most one of return, return_input, error, exit");
  if (call.contains("callback")) {
    parsed.callback = task_callback(call.at("callback"), where + "/callback");
  }
  return parsed;
}

WorkerCall activity_call(const json& call, const std::string& where) {
  only_members(
      call,
      {"sleep", "heartbeats", "heartbeat_every", "succeed", "succeed_input", "fail", "silent"},
      where);
  WorkerCall parsed;
  parsed.sleep_seconds = seconds_member(call, "sleep", where);
  parsed.heartbeat_every = seconds_member(call, "heartbeat_every", where);
  if (call.contains("heartbeats")) {
    if (!call.at("heartbeats").is_number_unsigned())
      malformed(where, "'heartbeats' must be a count");
    parsed.heartbeats = call.at("heartbeats").get<int>();
  }
  int outcomes = 0;
  if (call.contains("succeed")) {
    parsed.outcome = WorkerCall::Outcome::kReturn;
    parsed.value = call.at("succeed");
    ++outcomes;
  }
  if (call.contains("succeed_input")) {
    parsed.outcome = WorkerCall::Outcome::kReturnInput;
    ++outcomes;
  }
  if (call.contains("fail")) {
    only_members(call.at("fail"), {"error", "cause"}, where + "/fail");
    parsed.outcome = WorkerCall::Outcome::kError;
    parsed.value = call.at("fail");
    ++outcomes;
  }
  if (call.contains("silent")) {
    parsed.outcome = WorkerCall::Outcome::kSilent;
    ++outcomes;
  }
  if (outcomes != 1) malformed(where, "exactly one of succeed, succeed_input, fail, silent");
  return parsed;
}

template <typename Parse>
CallScript call_script(const json& owner, const std::string& where, Parse parse) {
  CallScript script;
  if (!owner.contains("calls")) {
    script.calls.push_back(parse(json{{"return_input", true}}, where));
    return script;
  }
  const auto& calls = owner.at("calls");
  if (!calls.is_array() || calls.empty()) malformed(where, "'calls' must be a non-empty array");
  for (std::size_t i = 0; i < calls.size(); ++i) {
    script.calls.push_back(parse(calls[i], where + "/calls/" + std::to_string(i)));
  }
  return script;
}

std::vector<FunctionCase> functions_of(const json& document, const std::string& where) {
  std::vector<FunctionCase> functions;
  if (!document.contains("functions")) return functions;
  if (!document.at("functions").is_object()) malformed(where, "'functions' must be an object");
  for (const auto& [name, function] : document.at("functions").items()) {
    const auto at = where + "/functions/" + name;
    only_members(function, {"calls", "timeout_seconds"}, at);
    FunctionCase parsed{name, call_script(function, at, function_call), 3};
    if (function.contains("timeout_seconds")) {
      parsed.timeout_seconds = seconds_member(function, "timeout_seconds", at);
    }
    functions.push_back(std::move(parsed));
  }
  return functions;
}

std::vector<ActivityCase> activities_of(const json& document, const std::string& where) {
  std::vector<ActivityCase> activities;
  if (!document.contains("activities")) return activities;
  if (!document.at("activities").is_object()) malformed(where, "'activities' must be an object");
  for (const auto& [name, activity] : document.at("activities").items()) {
    const auto at = where + "/activities/" + name;
    only_members(activity, {"calls", "worker_name", "state"}, at);
    ActivityCase parsed;
    parsed.name = name;
    // An activity worker with no script echoes its input.
    parsed.script = activity.contains("calls")
                        ? call_script(activity, at, activity_call)
                        : CallScript{{activity_call(json{{"succeed_input", true}}, at)}};
    if (activity.contains("worker_name")) {
      parsed.worker_name = string_member(activity, "worker_name", at, true);
    }
    const auto state = string_member(activity, "state", at, false);
    if (state == "deleted") {
      parsed.state = ActivityCase::State::kDeleted;
    } else if (state == "absent") {
      parsed.state = ActivityCase::State::kAbsent;
    } else if (state == "unpolled") {
      parsed.state = ActivityCase::State::kUnpolled;
    } else if (!state.empty()) {
      malformed(at, "'state' must be deleted, absent or unpolled");
    }
    activities.push_back(std::move(parsed));
  }
  return activities;
}

std::optional<StopAction> stop_of(const json& document, const std::string& where) {
  if (!document.contains("stop")) return std::nullopt;
  const auto& stop = document.at("stop");
  const auto at = where + "/stop";
  only_members(stop, {"on", "nth", "error", "cause"}, at);
  StopAction action;
  action.on_event_type = string_member(stop, "on", at, true);
  if (stop.contains("nth")) {
    if (!stop.at("nth").is_number_unsigned() || stop.at("nth").get<int>() < 1) {
      malformed(at, "'nth' must be a count from 1");
    }
    action.nth = stop.at("nth").get<int>();
  }
  if (stop.contains("error")) action.error = string_member(stop, "error", at, true);
  if (stop.contains("cause")) action.cause = string_member(stop, "cause", at, true);
  return action;
}

std::vector<ExpectedEvent> history_of(const json& document, const std::string& where) {
  std::vector<ExpectedEvent> events;
  if (!document.contains("history")) {
    // Some recordings keep only DescribeExecution: then that is what is compared.
    if (!document.contains("describe")) malformed(where, "needs 'history', 'describe' or both");
    return events;
  }
  if (!document.at("history").is_array() || document.at("history").empty()) {
    malformed(where, "'history' must be a non-empty array of events");
  }
  const auto& rows = document.at("history");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto at = where + "/history/" + std::to_string(i);
    const auto& row = rows[i];
    if (!row.is_array() || row.size() < 3 || row.size() > 4 || !row[0].is_number_integer() ||
        !row[1].is_number_integer() || !row[2].is_string()) {
      malformed(
          at, "an event is [id, previousEventId, type] or [id, previousEventId, type, {details}]");
    }
    ExpectedEvent event{row[0].get<long long>(), row[1].get<long long>(), row[2].get<std::string>(),
                        json::object()};
    if (row.size() == 4) {
      only_members(row[3],
                   {"error", "cause", "output", "name", "input", "workerName", "assignedVariables",
                    "location", "state"},
                   at);
      if (row[3].contains("assignedVariables") && !row[3].at("assignedVariables").is_object() &&
          !row[3].at("assignedVariables").is_null()) {
        malformed(at, "'assignedVariables' must be an object (name: value) or null");
      }
      event.details = row[3];
    }
    events.push_back(std::move(event));
  }
  return events;
}

}  // namespace

CorpusCase load_case(const std::filesystem::path& file, const std::filesystem::path& root) {
  const auto where = file.string();
  std::ifstream stream(file);
  if (!stream) malformed(where, "cannot be read");
  std::stringstream text;
  text << stream.rdbuf();
  const auto document = json::parse(text.str(), nullptr, false);
  if (document.is_discarded()) malformed(where, "is not valid JSON");
  only_members(document,
               {"recording", "about", "known_difference", "definition", "state_machines", "input",
                "functions", "activities", "stop", "describe", "history"},
               where);
  CorpusCase parsed;
  parsed.file = file;
  auto relative = std::filesystem::relative(file, root);
  if (relative.empty() || relative.native().rfind("..", 0) == 0) relative = file.filename();
  parsed.name = relative.replace_extension().generic_string();
  parsed.recording = string_member(document, "recording", where, true);
  parsed.about = string_member(document, "about", where, false);
  if (document.contains("known_difference")) {
    parsed.known_difference = string_member(document, "known_difference", where, true);
  }
  if (!document.contains("definition") || !document.at("definition").is_object()) {
    malformed(where, "'definition' must be the state machine as an object");
  }
  parsed.definition = document.at("definition");
  if (document.contains("state_machines")) {
    const auto& machines = document.at("state_machines");
    if (!machines.is_object()) malformed(where, "'state_machines' must map names to definitions");
    for (const auto& [name, definition] : machines.items()) {
      if (!definition.is_object()) {
        malformed(where, "state machine '" + name + "' must be a definition object");
      }
    }
    parsed.state_machines = machines;
  }
  if (document.contains("input")) parsed.input = document.at("input");
  parsed.functions = functions_of(document, where);
  parsed.activities = activities_of(document, where);
  parsed.stop = stop_of(document, where);
  if (document.contains("describe")) {
    only_members(document.at("describe"), {"status", "error", "cause", "output"},
                 where + "/describe");
    parsed.describe = document.at("describe");
  }
  parsed.history = history_of(document, where);
  return parsed;
}

}  // namespace loveless::fidelity
