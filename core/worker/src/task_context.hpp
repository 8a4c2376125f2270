#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "loveless/worker/worker.hpp"

namespace loveless::worker {

/// The TaskContext both adapters hand to the handler.
///
/// Thread-safety: `heartbeat` and the queries may be called from any thread;
/// the strings are immutable after construction.
class WorkerTaskContext final : public TaskContext {
 public:
  /// `deadline`: the Lambda deadline, nullopt for activities (no deadline is
  /// told to activity workers). `send_heartbeat` and `is_lost` must be
  /// thread-safe and stay callable after the task ends; both are empty for
  /// Lambda.
  WorkerTaskContext(Role role, std::string worker_name, std::string invocation_id,
                    std::optional<std::chrono::system_clock::time_point> deadline,
                    std::filesystem::path scratch_dir, std::function<void()> send_heartbeat = {},
                    std::function<bool()> is_lost = {});

  [[nodiscard]] Role role() const override { return role_; }
  [[nodiscard]] const std::string& worker_name() const override { return worker_name_; }
  [[nodiscard]] const std::string& invocation_id() const override { return invocation_id_; }
  [[nodiscard]] std::chrono::milliseconds remaining_time() const override;
  void heartbeat() override;
  [[nodiscard]] bool stopping() const override;
  [[nodiscard]] const std::filesystem::path& scratch_dir() const override { return scratch_dir_; }
  [[nodiscard]] bool task_lost() const override { return is_lost_ && is_lost_(); }

 private:
  Role role_;
  std::string worker_name_;
  std::string invocation_id_;
  std::optional<std::chrono::system_clock::time_point> deadline_;
  std::filesystem::path scratch_dir_;
  std::function<void()> send_heartbeat_;
  std::function<bool()> is_lost_;
};

}  // namespace loveless::worker
