#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fake_aws/fake_aws_control_plane.hpp"

/// The fake's in-memory model and the per-service handlers over it. Every
/// handler runs with `State::mutex` held and first advances the model to
/// `now` (time-driven transitions are applied lazily, on the next look).
namespace loveless::testing {

using FakeClock = std::chrono::steady_clock;

/// An error answer: thrown by a handler, written by the server in the
/// service's error format.
struct FakeError : std::runtime_error {
  FakeError(int status_, std::string type_, const std::string& message)
      : std::runtime_error(message), status(status_), type(std::move(type_)) {}
  int status;
  std::string type;
};

struct FakeTask {
  std::string arn;
  std::string last_status;  // PENDING, RUNNING, STOPPED
  std::string desired_status;
  std::string stopped_reason;
  double started_at = 0;          // epoch seconds, once RUNNING
  FakeClock::time_point runs_at;  // when a PENDING task becomes RUNNING
};

struct FakeService {
  std::string arn;
  std::string name;
  int desired_count = 0;
  std::vector<FakeTask> tasks;  // every task it ever had, in start order
};

struct FakeFunction {
  std::string name;
  std::string arn;
  std::optional<std::map<std::string, std::string>> env;  // nullopt: no Environment
  std::string last_update_status = "Successful";
  std::string last_update_status_reason;
  std::string revision_id;
  FakeClock::time_point update_done;
  std::optional<std::string> fail_next_reason;
  std::optional<std::string> failing_reason;  // of the update in progress
  int generations = 0;
};

struct FakeTemplate {
  std::string id;
  std::string client_token;
  nlohmann::json body;
  std::chrono::milliseconds duration{0};  // longest action duration, scaled
  std::vector<std::string> stop_alarm_arns;
};

struct FakeExperiment {
  std::string id;
  std::string template_id;
  std::string client_token;
  std::string status;
  std::string reason;
  FakeClock::time_point next_transition;
  std::chrono::milliseconds duration{0};
  std::vector<std::string> stop_alarm_arns;
};

struct FakeAlarm {
  std::string name;
  std::string arn;
  std::string state;
};

struct FakeAwsControlPlane::State {
  explicit State(FakeAwsOptions options_) : options(std::move(options_)) {}

  FakeAwsOptions options;
  mutable std::mutex mutex;
  std::vector<RecordedRequest> requests;
  std::map<std::string, std::map<std::string, FakeService>> clusters;  // cluster -> name -> service
  std::map<std::string, FakeFunction> functions;                       // by name
  std::map<std::string, FakeTemplate> templates;                       // by id
  std::map<std::string, FakeExperiment> experiments;                   // by id
  std::map<std::string, FakeAlarm> alarms;                             // by name
  int next_id = 1;

  /// A fresh hex id of `width` digits (deterministic: a counter).
  std::string new_id(int width);
  [[nodiscard]] std::string arn(const std::string& service, const std::string& resource) const;
  /// Applies every transition due by `now` (tasks starting, updates ending,
  /// experiments moving on).
  void advance(FakeClock::time_point now);
};

/// A handler's answer: the JSON body of a 200 (or `status`).
struct FakeReply {
  nlohmann::json body = nlohmann::json::object();
  int status = 200;
};

FakeReply handle_ecs(FakeAwsControlPlane::State& state, const std::string& operation,
                     const nlohmann::json& body, FakeClock::time_point now);
FakeReply handle_cloudwatch(FakeAwsControlPlane::State& state, const std::string& operation,
                            const nlohmann::json& body);
/// `function` is the decoded path segment (name or ARN); `method` GET or PUT.
FakeReply handle_lambda(FakeAwsControlPlane::State& state, const std::string& method,
                        const std::string& function, const nlohmann::json& body,
                        FakeClock::time_point now);
/// `operation` is the FIS operation the route named; `id` the path's id, if any.
FakeReply handle_fis(FakeAwsControlPlane::State& state, const std::string& operation,
                     const std::string& id, const nlohmann::json& body, FakeClock::time_point now);

void advance_ecs(FakeAwsControlPlane::State& state, FakeClock::time_point now);
void advance_lambda(FakeAwsControlPlane::State& state, FakeClock::time_point now);
void advance_fis(FakeAwsControlPlane::State& state, FakeClock::time_point now);

}  // namespace loveless::testing
