#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace loveless::engine {

/// One thread that runs posted jobs in order. Local functions use it for work
/// that must not run under any engine lock or inside a Runtime API handler:
/// launching environments (a process start), resetting them, stopping their
/// servers (which joins the handler threads).
///
/// Thread-safety: every method may be called from any thread except `stop`,
/// which must not be called from a job.
class JobThread {
 public:
  JobThread();
  ~JobThread();  // calls stop()
  JobThread(const JobThread&) = delete;
  JobThread& operator=(const JobThread&) = delete;

  /// Queues `job`; dropped after `stop`.
  void post(std::function<void()> job);
  /// Lets the running job finish, drops the queued ones and joins. Idempotent.
  void stop();

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace loveless::engine
