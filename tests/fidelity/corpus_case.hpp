#pragma once

// One case of the fidelity corpus (tests/fidelity/README.md): the facts of an
// execution recorded against AWS, as the runner reads them from a case file.

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace loveless::fidelity {

/// A case file that does not follow tests/fidelity/README.md.
class CaseFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct TaskCallback;

/// What a Lambda function or activity worker does with one invocation or task.
struct WorkerCall {
  /// Seconds spent before answering.
  double sleep_seconds = 0;
  /// Activities: heartbeats sent (one every `heartbeat_every` seconds) before the answer.
  int heartbeats = 0;
  double heartbeat_every = 0;
  enum class Outcome { kReturn, kReturnInput, kError, kExit, kSilent };
  Outcome outcome = Outcome::kReturn;
  /// kReturn: the result; kError: the error payload (functions) or
  /// {"error", "cause"} (activities); kExit: the exit code.
  nlohmann::json value;
  /// kError for functions given as a string: the payload byte for byte.
  std::optional<std::string> raw_error;
  /// Functions: a client answers the task token the event carries, after the
  /// function's own answer (a `.waitForTaskToken` integration's callback).
  std::shared_ptr<const TaskCallback> callback;
};

/// A client's calls with a task token it found in a function's event: as an
/// activity worker's (heartbeats, then SendTaskSuccess/Failure or silence).
struct TaskCallback {
  /// JSON pointer to the token in the event.
  std::string token_pointer;
  /// kReturn: SendTaskSuccess; kError: SendTaskFailure; kSilent: no answer.
  WorkerCall action;
};

/// Successive calls (the last repeats).
struct CallScript {
  std::vector<WorkerCall> calls;
  [[nodiscard]] const WorkerCall& call(std::size_t index) const {
    return calls.at(std::min(index, calls.size() - 1));
  }
};

struct FunctionCase {
  std::string name;
  CallScript script;
  double timeout_seconds = 3;
};

struct ActivityCase {
  std::string name;
  CallScript script;
  std::optional<std::string> worker_name;
  enum class State { kPolled, kDeleted, kAbsent, kUnpolled };
  State state = State::kPolled;
};

struct StopAction {
  std::string on_event_type;
  int nth = 1;
  std::optional<std::string> error;
  std::optional<std::string> cause;
};

/// One recorded event: ids, type and the details the case states.
struct ExpectedEvent {
  long long id = 0;
  long long previous_event_id = 0;
  std::string type;
  nlohmann::json details = nlohmann::json::object();
};

struct CorpusCase {
  std::filesystem::path file;
  /// `<folder>/<file stem>`, the name the runner prints.
  std::string name;
  std::string recording;
  std::string about;
  /// Set when the engine is known to differ: the case then reports instead of failing.
  std::optional<std::string> known_difference;
  nlohmann::json definition;
  /// Other state machines the execution starts (states:startExecution), by
  /// name: created first, as `arn:aws:states:us-east-1:123456789012:stateMachine:<name>`.
  nlohmann::json state_machines = nlohmann::json::object();
  nlohmann::json input = nlohmann::json::object();
  std::vector<FunctionCase> functions;
  std::vector<ActivityCase> activities;
  std::optional<StopAction> stop;
  /// DescribeExecution members: status, error, cause, output.
  nlohmann::json describe = nlohmann::json::object();
  std::vector<ExpectedEvent> history;
};

/// Reads and checks one case file. Throws CaseFormatError naming the file and
/// the member at fault.
CorpusCase load_case(const std::filesystem::path& file, const std::filesystem::path& root);

}  // namespace loveless::fidelity
