#include "case_workers.hpp"

#include <chrono>

#include <httplib.h>

namespace loveless::fidelity {
namespace {

using nlohmann::json;

constexpr const char* kRuntimePath = "/2018-06-01/runtime/invocation/";

std::chrono::milliseconds to_millis(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

}  // namespace

void CaseWorkers::spawn(std::thread thread) {
  std::lock_guard lock(mutex_);
  threads_.push_back(std::move(thread));
}

bool CaseWorkers::pause(double seconds) {
  std::unique_lock lock(mutex_);
  return !stopped_.wait_for(lock, to_millis(seconds), [this] { return stopping_; });
}

std::size_t CaseWorkers::next_call(const std::string& owner) {
  std::lock_guard lock(mutex_);
  return calls_[owner]++;
}

void CaseWorkers::add_function(const FunctionCase& function) {
  engine::LocalFunctionConfig config;
  config.name = function.name;
  config.timeout = to_millis(function.timeout_seconds);
  config.launch_environment = [this, function](const std::string& runtime_api) {
    std::string id;
    {
      std::lock_guard lock(mutex_);
      id = function.name + "-env-" + std::to_string(++environments_[function.name]);
    }
    spawn(std::thread(
        [this, function, id, runtime_api] { run_environment(function, id, runtime_api); }));
    return id;
  };
  // A reset environment's thread ends on its own: its next call is refused.
  config.reset_environment = [](const std::string&) {};
  service_.register_function(std::move(config));
}

void CaseWorkers::run_environment(const FunctionCase& function, const std::string& id,
                                  const std::string& runtime_api) {
  httplib::Client client("http://" + runtime_api);
  client.set_read_timeout(120, 0);
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    auto next = client.Get(std::string(kRuntimePath) + "next");
    if (!next || next->status != 200) return;
    const auto event = json::parse(next->body, nullptr, false);
    const auto request_id = next->get_header_value("Lambda-Runtime-Aws-Request-Id");
    const auto base = kRuntimePath + request_id;
    const auto& call = function.script.call(next_call(function.name));
    if (!pause(call.sleep_seconds)) return;
    // The client with the token acts once the function has answered, as a
    // queue's consumer does after SendMessage returned.
    const auto hand_on_token = [&] {
      if (call.callback) start_callback(*call.callback, event);
    };
    switch (call.outcome) {
      case WorkerCall::Outcome::kReturn:
        client.Post(base + "/response", call.value.dump(), "application/json");
        break;
      case WorkerCall::Outcome::kReturnInput:
        client.Post(base + "/response", next->body, "application/json");
        break;
      case WorkerCall::Outcome::kError: {
        httplib::Headers headers;
        if (call.value.is_object() && call.value.contains("errorType") &&
            call.value.at("errorType").is_string()) {
          headers.emplace("Lambda-Runtime-Function-Error-Type",
                          call.value.at("errorType").get<std::string>());
        }
        // `<uuid>` in an error stands for the invocation's request id, as a runtime writes it.
        auto text = call.raw_error.value_or(call.value.dump());
        for (auto at = text.find("<uuid>"); at != std::string::npos;
             at = text.find("<uuid>", at + request_id.size())) {
          text.replace(at, 6, request_id);
        }
        client.Post(base + "/error", headers, text, "application/json");
        break;
      }
      case WorkerCall::Outcome::kExit: {
        const auto how = "exit status " + call.value.dump();
        service_.environment_exited(id, how);
        hand_on_token();
        return;
      }
      case WorkerCall::Outcome::kSilent:
        hand_on_token();
        pause(3600);
        return;
    }
    hand_on_token();
  }
}

void CaseWorkers::add_activity(const ActivityCase& activity, const std::string& activity_arn) {
  if (activity.state == ActivityCase::State::kAbsent) return;
  service_.invoke("CreateActivity", {{"name", activity.name}});
  if (activity.state == ActivityCase::State::kDeleted) {
    service_.invoke("DeleteActivity", {{"activityArn", activity_arn}});
    return;
  }
  if (activity.state == ActivityCase::State::kUnpolled) return;
  spawn(std::thread([this, activity, activity_arn] { poll_activity(activity, activity_arn); }));
}

void CaseWorkers::poll_activity(const ActivityCase& activity, const std::string& activity_arn) {
  json request = {{"activityArn", activity_arn}};
  if (activity.worker_name) request["workerName"] = *activity.worker_name;
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    json task;
    try {
      task = service_.invoke("GetActivityTask", request);
    } catch (const std::exception&) {
      // The activity may be gone or the engine shutting down: poll again later.
      if (!pause(0.1)) return;
      continue;
    }
    if (!task.contains("taskToken") || !task.at("taskToken").is_string()) continue;
    spawn(std::thread([this, activity, task] { work_task(activity, task); }));
  }
}

void CaseWorkers::start_callback(const TaskCallback& callback, const json& event) {
  const json::json_pointer pointer(callback.token_pointer);
  if (!event.contains(pointer) || !event.at(pointer).is_string()) return;
  const auto token = event.at(pointer).get<std::string>();
  spawn(std::thread([this, action = callback.action, token, input = event.dump()] {
    answer_task(action, token, input);
  }));
}

void CaseWorkers::work_task(const ActivityCase& activity, const json& task) {
  const auto& call = activity.script.call(next_call("activity:" + activity.name));
  answer_task(call, task.at("taskToken").get<std::string>(), task.value("input", "{}"));
}

void CaseWorkers::answer_task(const WorkerCall& call, const std::string& token,
                              const std::string& input) {
  try {
    if (!pause(call.sleep_seconds)) return;
    for (int i = 0; i < call.heartbeats; ++i) {
      if (!pause(call.heartbeat_every)) return;
      service_.invoke("SendTaskHeartbeat", {{"taskToken", token}});
    }
    switch (call.outcome) {
      case WorkerCall::Outcome::kReturn:
        service_.invoke("SendTaskSuccess", {{"taskToken", token}, {"output", call.value.dump()}});
        break;
      case WorkerCall::Outcome::kReturnInput:
        service_.invoke("SendTaskSuccess", {{"taskToken", token}, {"output", input}});
        break;
      case WorkerCall::Outcome::kError: {
        json request = {{"taskToken", token}};
        for (const char* key : {"error", "cause"}) {
          if (call.value.contains(key)) request[key] = call.value.at(key);
        }
        service_.invoke("SendTaskFailure", request);
        break;
      }
      case WorkerCall::Outcome::kSilent:
      case WorkerCall::Outcome::kExit:
        pause(3600);
        break;
    }
  } catch (const std::exception&) {
    // TaskTimedOut and the like: the engine closed the task first, as AWS would.
  }
}

void CaseWorkers::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  stopped_.notify_all();
  service_.shutdown();
  // Threads may still spawn handlers while we join: take the list until empty.
  while (true) {
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mutex_);
      threads.swap(threads_);
    }
    if (threads.empty()) return;
    for (auto& thread : threads) thread.join();
  }
}

}  // namespace loveless::fidelity
