#pragma once

// The Lambda functions and activity workers a corpus case describes, run as
// threads against an in-process engine: functions speak the Lambda Runtime API
// the engine serves (next, then response or error), activity workers call
// GetActivityTask and SendTask* as an SDK worker would.

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/engine/service.hpp"

#include "corpus_case.hpp"

namespace loveless::fidelity {

class CaseWorkers {
 public:
  explicit CaseWorkers(engine::StepFunctionsService& service) : service_(service) {}
  ~CaseWorkers() { stop(); }
  CaseWorkers(const CaseWorkers&) = delete;
  CaseWorkers& operator=(const CaseWorkers&) = delete;

  /// Registers the function with the engine; environments start on demand.
  void add_function(const FunctionCase& function);
  /// Creates (or creates and deletes) the activity and starts its poller.
  void add_activity(const ActivityCase& activity, const std::string& activity_arn);
  /// Ends every thread: shuts the engine down (that releases blocked polls and
  /// `/next` calls) and joins. Idempotent.
  void stop();

 private:
  void run_environment(const FunctionCase& function, const std::string& id,
                       const std::string& runtime_api);
  void poll_activity(const ActivityCase& activity, const std::string& activity_arn);
  void work_task(const ActivityCase& activity, const nlohmann::json& task);
  /// Heartbeats and answers `token` as `call` says; `input` is the task's input text.
  void answer_task(const WorkerCall& call, const std::string& token, const std::string& input);
  /// Starts the client that answers the token in `event` (a function call's `callback`).
  void start_callback(const TaskCallback& callback, const nlohmann::json& event);
  /// Sleeps `seconds` unless stop() comes first; returns false if it did.
  bool pause(double seconds);
  std::size_t next_call(const std::string& owner);
  void spawn(std::thread thread);

  engine::StepFunctionsService& service_;
  std::mutex mutex_;
  std::condition_variable stopped_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
  std::map<std::string, std::size_t> calls_;
  std::map<std::string, int> environments_;
};

}  // namespace loveless::fidelity
