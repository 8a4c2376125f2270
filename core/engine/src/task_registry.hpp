#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace loveless::engine {

class ExecutionRecord;

/// What a task token refers to.
struct TaskEntry {
  std::weak_ptr<ExecutionRecord> execution;
  std::uint64_t task_id = 0;
  /// The activity whose queue holds the task; empty for the callback token of
  /// a `lambda:invoke.waitForTaskToken` task.
  std::string activity_arn;
  /// The task closed (completed, timed out, cancelled): the token now answers
  /// TaskTimedOut.
  bool closed = false;
};

/// Every task token the service has issued, open or closed. Closed tokens are
/// kept (like the executions they belong to) so that a late worker gets
/// TaskTimedOut rather than InvalidToken.
///
/// Thread-safety: every method may be called from any thread.
class TaskRegistry {
 public:
  void add(const std::string& token, TaskEntry entry);
  [[nodiscard]] std::optional<TaskEntry> find(const std::string& token) const;
  /// Marks the token closed; no-op for an unknown token.
  void close(const std::string& token);

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, TaskEntry> entries_;
};

}  // namespace loveless::engine
