#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "loveless/aws/json_client.hpp"
#include "loveless/history/history.hpp"
#include "loveless/notices/execution_notice.hpp"
#include "loveless/scenario/detail/call_pacer.hpp"

namespace loveless::scenario::detail {

struct HistoryPollerOptions {
  /// Pause between two rounds over the open executions.
  std::chrono::milliseconds interval{1'000};
  /// ListExecutions and GetExecutionHistory calls per second, all together.
  /// Step Functions throttles both with per-account token buckets (Step
  /// Functions Developer Guide, "Quotas related to API action throttling");
  /// the default stays well below their refill rates.
  double calls_per_second = 4;
};

/// Live execution notices for an orchestrator that pushes none (AWS Step
/// Functions): a thread lists the executions of the given state machines
/// started since `since` (ListExecutions, newest first) and reads the new
/// events of each open one (GetExecutionHistory, every page, 1000 events a
/// page), calling `observer` once per event, in event order per execution,
/// until the execution's closing event has been seen.
///
/// A Started event gets its worker as the local engine gives it:
/// ActivityStarted's `workerName`; for a Lambda task (LambdaFunctionStarted,
/// TaskStarted of `lambda:invoke`) the worker `function_worker` names for the
/// pool serving the scheduled resource (AWS records no environment).
///
/// Failed calls are skipped and tried again next round (the retries of the
/// client come first). Thread-safety: construct and stop from one thread;
/// `observer` is called on the poller's thread and must not block.
class HistoryPoller {
 public:
  HistoryPoller(aws::JsonClient client, std::vector<std::string> state_machine_arns,
                history::TimePoint since, std::map<std::string, std::string> pool_of_resource,
                std::map<std::string, std::string> function_worker,
                notices::ExecutionObserver observer, HistoryPollerOptions options = {});
  ~HistoryPoller();
  HistoryPoller(const HistoryPoller&) = delete;
  HistoryPoller& operator=(const HistoryPoller&) = delete;

  /// Ends the thread (a call in flight completes first). Idempotent.
  void stop() noexcept;
  /// Rounds completed so far (for tests).
  [[nodiscard]] std::uint64_t rounds() const { return rounds_.load(); }

 private:
  struct Followed {
    std::string state_machine_arn;
    std::int64_t last_event_id = 0;
    bool closed = false;
    /// Scheduled event id -> its pool, for naming a Lambda task's worker.
    std::map<std::int64_t, std::string> scheduled_pool;
  };

  void run();
  void discover(const std::string& state_machine_arn);
  void read_new_events(const std::string& execution_arn, Followed& followed);
  void emit(const std::string& execution_arn, Followed& followed, const nlohmann::json& event);
  bool sleep_until(std::chrono::steady_clock::time_point until);
  bool paced();

  aws::JsonClient client_;
  std::vector<std::string> state_machine_arns_;
  history::TimePoint since_;
  std::map<std::string, std::string> pool_of_resource_;
  std::map<std::string, std::string> function_worker_;
  notices::ExecutionObserver observer_;
  HistoryPollerOptions options_;
  CallPacer pacer_;
  std::map<std::string, Followed> followed_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::atomic<std::uint64_t> rounds_{0};
  std::thread thread_;
};

}  // namespace loveless::scenario::detail
