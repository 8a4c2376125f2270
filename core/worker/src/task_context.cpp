#include "task_context.hpp"

#include <algorithm>
#include <utility>

#include "stop_signal.hpp"

namespace loveless::worker {

WorkerTaskContext::WorkerTaskContext(Role role, std::string worker_name, std::string invocation_id,
                                     std::optional<std::chrono::system_clock::time_point> deadline,
                                     std::filesystem::path scratch_dir,
                                     std::function<void()> send_heartbeat,
                                     std::function<bool()> is_lost)
    : role_(role),
      worker_name_(std::move(worker_name)),
      invocation_id_(std::move(invocation_id)),
      deadline_(deadline),
      scratch_dir_(std::move(scratch_dir)),
      send_heartbeat_(std::move(send_heartbeat)),
      is_lost_(std::move(is_lost)) {}

std::chrono::milliseconds WorkerTaskContext::remaining_time() const {
  if (!deadline_) return std::chrono::milliseconds::max();
  // The deadline is wall-clock epoch time (Lambda-Runtime-Deadline-Ms).
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      *deadline_ - std::chrono::system_clock::now());
  return std::max(left, std::chrono::milliseconds(0));
}

void WorkerTaskContext::heartbeat() {
  if (send_heartbeat_) send_heartbeat_();
}

bool WorkerTaskContext::stopping() const { return stop_requested() || task_lost(); }

}  // namespace loveless::worker
