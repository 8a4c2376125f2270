#include "activity_poller.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>

#include "backoff.hpp"
#include "worker_log.hpp"

namespace loveless::worker {

struct ActivityPoller::State {
  std::mutex mutex;
  std::condition_variable changed;
  bool wanted = false;
  bool abandoned = false;
  std::optional<nlohmann::json> task;
};

namespace {

using State = ActivityPoller::State;

bool abandoned(State& state) {
  const std::lock_guard lock(state.mutex);
  return state.abandoned;
}

// A task handed to a worker that is going away would otherwise sit until its
// heartbeat or state timeout.
void release(aws::JsonClient& client, const nlohmann::json& task) {
  try {
    client.call("SendTaskFailure", {{"taskToken", task.at("taskToken")},
                                    {"error", "Worker.Terminated"},
                                    {"cause", "worker received SIGTERM"}});
  } catch (const std::exception& e) {
    log_line("could not release a task received while stopping: " + std::string(e.what()));
  }
}

// Polls until a task arrives or the owner abandons the poller; retries
// failures with backoff. Returns nullopt when abandoned.
std::optional<nlohmann::json> poll_until_task(State& state, aws::JsonClient& client,
                                              const nlohmann::json& request) {
  Backoff backoff;
  while (!abandoned(state)) {
    try {
      auto answer = client.call("GetActivityTask", request);
      backoff.reset();
      if (answer.contains("taskToken")) return answer;
    } catch (const aws::AwsError& e) {
      log_line("GetActivityTask failed, retrying: " + std::string(e.what()));
      backoff.sleep([&] { return abandoned(state); });
    }
  }
  return std::nullopt;
}

void run_poller(const std::shared_ptr<State>& state, aws::JsonClientOptions client_options,
                const nlohmann::json& request) {
  aws::JsonClient client(std::move(client_options));
  while (true) {
    {
      std::unique_lock lock(state->mutex);
      state->changed.wait(lock, [&] { return state->wanted || state->abandoned; });
      if (state->abandoned) return;
    }
    auto task = poll_until_task(*state, client, request);
    if (!task) return;
    std::optional<nlohmann::json> undelivered;
    {
      const std::lock_guard lock(state->mutex);
      if (state->abandoned) {
        undelivered = std::move(task);
      } else {
        state->wanted = false;
        state->task = std::move(task);
      }
    }
    if (undelivered) {  // the owner left while the call was in flight
      release(client, *undelivered);
      return;
    }
    state->changed.notify_all();
  }
}

}  // namespace

ActivityPoller::ActivityPoller(aws::JsonClientOptions client_options, std::string activity_arn,
                               std::string worker_name)
    : state_(std::make_shared<State>()) {
  nlohmann::json request = {{"activityArn", std::move(activity_arn)},
                            {"workerName", std::move(worker_name)}};
  std::thread([state = state_, options = std::move(client_options),
               request = std::move(request)]() mutable {
    run_poller(state, std::move(options), request);
  }).detach();
}

ActivityPoller::~ActivityPoller() {
  {
    const std::lock_guard lock(state_->mutex);
    state_->abandoned = true;
  }
  state_->changed.notify_all();
}

void ActivityPoller::request() {
  {
    const std::lock_guard lock(state_->mutex);
    if (state_->task) return;
    state_->wanted = true;
  }
  state_->changed.notify_all();
}

std::optional<nlohmann::json> ActivityPoller::wait_for(std::chrono::milliseconds timeout) {
  std::unique_lock lock(state_->mutex);
  if (!state_->changed.wait_for(lock, timeout, [&] { return state_->task.has_value(); })) {
    return std::nullopt;
  }
  auto task = std::move(state_->task);
  state_->task.reset();
  return task;
}

}  // namespace loveless::worker
