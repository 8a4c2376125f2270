#include "workload_runner.hpp"

#include <algorithm>
#include <cstdio>
#include <thread>

#include <unistd.h>

namespace loveless::scenario::detail {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr auto kPollInterval = std::chrono::milliseconds(250);
constexpr auto kProgressInterval = std::chrono::seconds(1);

std::string sanitize(const std::string& text) {
  std::string name;
  for (const char c : text) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_';
    name.push_back(safe ? c : '-');
  }
  return name;
}

}  // namespace

std::string execution_name(history::Phase phase, std::size_t index, const nlohmann::json& input) {
  char number[16];
  std::snprintf(number, sizeof number, "%04zu", index);
  std::string name = std::string(to_string(phase)) + "-" + number;
  // A readable hint from the input: its document or name, when it has one.
  for (const char* key : {"document", "name", "id"}) {
    if (input.is_object() && input.contains(key) && input[key].is_string()) {
      name += "-" + sanitize(input[key].get<std::string>());
      break;
    }
  }
  if (name.size() > 80) name.resize(80);
  return name;
}

history::Phase phase_of_execution(std::string_view execution_arn) {
  const auto colon = execution_arn.rfind(':');
  const auto name =
      colon == std::string_view::npos ? execution_arn : execution_arn.substr(colon + 1);
  for (const auto phase : {history::Phase::kChaos, history::Phase::kCold}) {
    if (name.starts_with(std::string(to_string(phase)) + "-")) return phase;
  }
  return history::Phase::kControl;
}

WorkloadRunner::WorkloadRunner(ScenarioStack& stack, const std::atomic<bool>* interrupted,
                               std::ostream* console)
    : stack_(stack), interrupted_(interrupted), console_(console) {}

void WorkloadRunner::closed(const std::string& execution_arn) {
  {
    std::lock_guard lock(mutex_);
    if (open_.erase(execution_arn) == 1) {
      ++done_;
    } else {
      closed_early_.insert(execution_arn);
    }
  }
  changed_.notify_all();
}

bool WorkloadRunner::stop_requested(SteadyClock::time_point deadline) const {
  // A stack's stop condition (aws: an alarm in ALARM) stops the workload as an interrupt does.
  return (interrupted_ != nullptr && interrupted_->load()) || stack_.stop_reason().has_value() ||
         SteadyClock::now() >= deadline;
}

void WorkloadRunner::poll_open(aws::JsonClient& client) {
  std::set<std::string> open;
  {
    std::lock_guard lock(mutex_);
    open = open_;
  }
  for (const auto& arn : open) {
    try {
      const auto described = client.call("DescribeExecution", {{"executionArn", arn}});
      if (described.value("status", std::string("RUNNING")) != "RUNNING") closed(arn);
    } catch (const std::exception&) {
      // A transient failure: the next poll asks again.
    }
  }
}

void WorkloadRunner::print_progress(const PhasePlan& plan, std::size_t started,
                                    SteadyClock::time_point begin,
                                    const std::function<std::string()>& fault_summary) {
  if (console_ == nullptr) return;
  std::size_t done = 0;
  {
    std::lock_guard lock(mutex_);
    done = done_;
  }
  const auto elapsed = std::chrono::duration<double>(SteadyClock::now() - begin).count();
  char line[160];
  std::snprintf(line, sizeof line, "  [%s] %zu/%zu executions done, %zu running, %s, %.1f s",
                std::string(to_string(plan.phase)).c_str(), done,
                plan.duration ? started : static_cast<std::size_t>(plan.count), started - done,
                fault_summary ? fault_summary().c_str() : "no faults", elapsed);
  *console_ << line << "\n" << std::flush;
}

StartedExecution WorkloadRunner::start_execution(const PhasePlan& plan, std::size_t index,
                                                 aws::JsonClient& client) {
  StartedExecution execution;
  execution.phase = plan.phase;
  const auto cycle =
      plan.input_cycle == 0 ? plan.inputs->size() : std::min(plan.input_cycle, plan.inputs->size());
  execution.input_index = plan.rotate_rounds ? (index + index / cycle) % cycle : index % cycle;
  execution.workflow = plan.workflow;
  execution.input = (*plan.inputs)[execution.input_index];
  execution.name = execution_name(plan.phase, index, execution.input);
  try {
    execution.arn = client
                        .call("StartExecution", {{"stateMachineArn", plan.state_machine_arn},
                                                 {"name", execution.name},
                                                 {"input", execution.input.dump()}})
                        .at("executionArn")
                        .get<std::string>();
    std::lock_guard lock(mutex_);
    if (closed_early_.erase(execution.arn) == 1) {
      ++done_;
    } else {
      open_.insert(execution.arn);
    }
  } catch (const std::exception& e) {
    execution.start_error = e.what();
  }
  return execution;
}

std::vector<StartedExecution> WorkloadRunner::run(
    const PhasePlan& plan, const std::function<std::string()>& fault_summary) {
  {
    std::lock_guard lock(mutex_);
    open_.clear();
    closed_early_.clear();
    done_ = 0;
  }
  cut_short_ = false;
  auto client = stack_.client();
  std::vector<StartedExecution> started;
  const auto begin = SteadyClock::now();
  auto next_progress = begin + kProgressInterval;
  auto next_poll = begin + kPollInterval;
  const auto start_interval = plan.rate > 0 ? std::chrono::duration_cast<SteadyClock::duration>(
                                                  std::chrono::duration<double>(1.0 / plan.rate))
                                            : SteadyClock::duration::zero();
  auto next_start = begin;
  const auto more_to_start = [&] {
    if (plan.duration) return SteadyClock::now() - begin < *plan.duration;
    return started.size() < static_cast<std::size_t>(plan.count);
  };

  while (!stop_requested(plan.deadline)) {
    const auto now = SteadyClock::now();
    if (now >= next_progress) {
      print_progress(plan, started.size(), begin, fault_summary);
      next_progress = now + kProgressInterval;
    }
    if (!live_notices_ && now >= next_poll) {
      poll_open(client);
      next_poll = SteadyClock::now() + kPollInterval;
    }
    std::size_t open_count = 0;
    {
      std::lock_guard lock(mutex_);
      open_count = open_.size();
    }
    const bool may_start = more_to_start() &&
                           open_count < static_cast<std::size_t>(plan.concurrency) &&
                           now >= next_start;
    if (may_start) {
      started.push_back(start_execution(plan, started.size(), client));
      next_start = std::max(next_start + start_interval, SteadyClock::now() - start_interval);
      continue;
    }
    if (!more_to_start() && open_count == 0) break;
    std::unique_lock lock(mutex_);
    auto wake_at =
        std::min({next_progress, plan.deadline, live_notices_ ? next_progress : next_poll});
    if (more_to_start() && next_start > now) wake_at = std::min(wake_at, next_start);
    // A closing that lands between the count above and this wait frees a slot.
    changed_.wait_until(lock, wake_at, [&] { return open_.size() != open_count; });
  }
  {
    std::lock_guard lock(mutex_);
    cut_short_ = !open_.empty() || more_to_start();
  }
  print_progress(plan, started.size(), begin, fault_summary);
  return started;
}

}  // namespace loveless::scenario::detail
