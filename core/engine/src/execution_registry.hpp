#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "loveless/asl/execution.hpp"

namespace loveless::engine {

class ExecutionRecord;

/// Every execution the service has started, running or closed (kept for
/// DescribeExecution and GetExecutionHistory), by ARN and by state machine.
///
/// Thread-safety: every method may be called from any thread. Its lock is a
/// leaf: it is never held while an execution's lock is taken.
class ExecutionRegistry {
 public:
  /// Inserts `record` unless its ARN is taken; returns the record registered
  /// under that ARN (the argument when inserted).
  std::shared_ptr<ExecutionRecord> insert(const std::shared_ptr<ExecutionRecord>& record);
  [[nodiscard]] std::shared_ptr<ExecutionRecord> find(const std::string& arn) const;
  /// Executions of `state_machine_arn`, newest first, with a sequence below
  /// `before`, the given status and, when `redriven` is set, redriven
  /// (at least once) or not, and when `started_through` is set, started
  /// through that version or alias ARN; at most `limit + 1` of them.
  [[nodiscard]] std::vector<std::shared_ptr<ExecutionRecord>> list(
      const std::string& state_machine_arn, std::uint64_t before,
      std::optional<asl::ExecutionStatus> status, std::size_t limit,
      std::optional<bool> redriven = std::nullopt, const std::string& started_through = "") const;
  /// Whether any execution of `state_machine_arn` is still running.
  [[nodiscard]] bool has_running(const std::string& state_machine_arn) const;
  /// The next StartExecution sequence number (starts at 1).
  std::uint64_t next_sequence() { return next_sequence_.fetch_add(1); }

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<ExecutionRecord>> by_arn_;
  /// In start order.
  std::map<std::string, std::vector<std::shared_ptr<ExecutionRecord>>> by_state_machine_;
  std::atomic<std::uint64_t> next_sequence_{1};
};

}  // namespace loveless::engine
