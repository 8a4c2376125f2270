#include "state_machine_registry.hpp"

#include <utility>

#include "loveless/engine/service_error.hpp"

namespace loveless::engine {

StateMachineRegistry::CreateResult StateMachineRegistry::create(StateMachineRecord record) {
  std::lock_guard lock(mutex_);
  const auto it = records_.find(record.arn);
  if (it != records_.end()) {
    const auto& existing = it->second;
    const auto& had = *existing.revision;
    const auto& asked = *record.revision;
    if (!existing.deleting && existing.type == record.type &&
        had.definition_text == asked.definition_text && had.role_arn == asked.role_arn &&
        had.logging == asked.logging && had.tracing_enabled == asked.tracing_enabled) {
      return {existing, false};
    }
    throw ServiceError("StateMachineAlreadyExists",
                       "State Machine Already Exists: '" + record.arn + "'");
  }
  auto arn = record.arn;
  const auto& inserted = records_.emplace(std::move(arn), std::move(record)).first->second;
  return {inserted, true};
}

std::optional<StateMachineRecord> StateMachineRegistry::find(const std::string& arn) const {
  std::lock_guard lock(mutex_);
  const auto it = records_.find(arn);
  if (it == records_.end()) return std::nullopt;
  return it->second;
}

std::vector<StateMachineRecord> StateMachineRegistry::list_after(const std::string& after,
                                                                 std::size_t limit) const {
  std::lock_guard lock(mutex_);
  std::vector<StateMachineRecord> out;
  for (auto it = after.empty() ? records_.begin() : records_.upper_bound(after);
       it != records_.end() && out.size() <= limit; ++it) {
    out.push_back(it->second);
  }
  return out;
}

std::optional<StateMachineRecord> StateMachineRegistry::update(const std::string& arn,
                                                               StateMachineUpdate update) {
  std::lock_guard lock(mutex_);
  const auto it = records_.find(arn);
  if (it == records_.end()) return std::nullopt;
  auto& record = it->second;
  auto next = std::make_shared<StateMachineRevision>(*record.revision);
  bool changed = false;
  if (update.definition_text && *update.definition_text != next->definition_text) {
    next->definition_text = std::move(*update.definition_text);
    next->definition = std::move(update.definition);
    changed = true;
  }
  if (update.role_arn && *update.role_arn != next->role_arn) {
    next->role_arn = std::move(*update.role_arn);
    changed = true;
  }
  if (update.logging && *update.logging != next->logging) {
    next->logging = std::move(*update.logging);
    changed = true;
  }
  if (update.tracing_enabled && *update.tracing_enabled != next->tracing_enabled) {
    next->tracing_enabled = *update.tracing_enabled;
    changed = true;
  }
  // AWS keeps the revision (and its id, none before a first change) when an
  // update changes nothing (test_sfn_api_versioning recordings: an unchanged
  // update with publish answers no revisionId).
  if (changed) {
    next->revision_id = std::move(update.new_revision_id);
    next->update_date = update.update_date;
    record.revision = std::move(next);
  }
  return record;
}

bool StateMachineRegistry::modify(const std::string& arn,
                                  const std::function<void(StateMachineRecord&)>& fn) {
  std::lock_guard lock(mutex_);
  const auto it = records_.find(arn);
  if (it == records_.end()) return false;
  fn(it->second);
  return true;
}

void StateMachineRegistry::remove(const std::string& arn, bool has_running) {
  std::lock_guard lock(mutex_);
  const auto it = records_.find(arn);
  if (it == records_.end()) return;
  if (has_running) {
    it->second.deleting = true;
  } else {
    records_.erase(it);
  }
}

std::vector<std::string> StateMachineRegistry::deleting() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [arn, record] : records_) {
    if (record.deleting) out.push_back(arn);
  }
  return out;
}

}  // namespace loveless::engine
