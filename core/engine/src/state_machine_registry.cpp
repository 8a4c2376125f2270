#include "state_machine_registry.hpp"

#include <utility>

#include "loveless/engine/service_error.hpp"

namespace loveless::engine {

StateMachineRegistry::CreateResult StateMachineRegistry::create(StateMachineRecord record) {
  std::lock_guard lock(mutex_);
  const auto it = records_.find(record.arn);
  if (it != records_.end()) {
    const auto& existing = it->second;
    if (!existing.deleting && existing.definition_text == record.definition_text &&
        existing.role_arn == record.role_arn) {
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

std::optional<StateMachineRecord> StateMachineRegistry::update(
    const std::string& arn, std::optional<std::string> definition_text,
    std::shared_ptr<const asl::Definition> definition, std::optional<std::string> role_arn,
    asl::TimePoint update_date) {
  std::lock_guard lock(mutex_);
  const auto it = records_.find(arn);
  if (it == records_.end()) return std::nullopt;
  auto& record = it->second;
  if (definition_text) {
    record.definition_text = std::move(*definition_text);
    record.definition = std::move(definition);
  }
  if (role_arn) record.role_arn = std::move(*role_arn);
  record.update_date = update_date;
  return record;
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
