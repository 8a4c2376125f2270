#include "execution_registry.hpp"

#include "execution_record.hpp"

namespace loveless::engine {

std::shared_ptr<ExecutionRecord> ExecutionRegistry::insert(
    const std::shared_ptr<ExecutionRecord>& record) {
  std::lock_guard lock(mutex_);
  const auto [it, inserted] = by_arn_.try_emplace(record->arn(), record);
  if (inserted) {
    auto& list = by_state_machine_[record->info().state_machine_arn];
    // Sequences are drawn before insertion, so concurrent starts may arrive
    // slightly out of order; keep the list sorted.
    auto position = list.end();
    while (position != list.begin() && (*(position - 1))->sequence() > record->sequence()) {
      --position;
    }
    list.insert(position, record);
  }
  return it->second;
}

std::shared_ptr<ExecutionRecord> ExecutionRegistry::find(const std::string& arn) const {
  std::lock_guard lock(mutex_);
  const auto it = by_arn_.find(arn);
  return it == by_arn_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<ExecutionRecord>> ExecutionRegistry::list(
    const std::string& state_machine_arn, std::uint64_t before,
    std::optional<asl::ExecutionStatus> status, std::size_t limit, std::optional<bool> redriven,
    const std::string& started_through) const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<ExecutionRecord>> out;
  const auto it = by_state_machine_.find(state_machine_arn);
  if (it == by_state_machine_.end()) return out;
  for (auto record = it->second.rbegin(); record != it->second.rend() && out.size() <= limit;
       ++record) {
    if ((*record)->sequence() >= before) continue;
    if (status && (*record)->status() != *status) continue;
    if (redriven && ((*record)->redrive_count() > 0) != *redriven) continue;
    if (!started_through.empty() && (*record)->version_arn() != started_through &&
        (*record)->alias_arn() != started_through) {
      continue;
    }
    out.push_back(*record);
  }
  return out;
}

bool ExecutionRegistry::has_running(const std::string& state_machine_arn) const {
  std::lock_guard lock(mutex_);
  const auto it = by_state_machine_.find(state_machine_arn);
  if (it == by_state_machine_.end()) return false;
  for (const auto& record : it->second) {
    if (record->status() == asl::ExecutionStatus::kRunning) return true;
  }
  return false;
}

}  // namespace loveless::engine
