#include "state_machine_versions.hpp"

#include <utility>

#include "loveless/engine/service_error.hpp"

#include "arn.hpp"
#include "lookups.hpp"
#include "service_context.hpp"

namespace loveless::engine {
namespace {

[[noreturn]] void throw_does_not_exist(const std::string& arn) {
  throw ServiceError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
}

const StateMachineVersion& require_version(const StateMachineRecord& record, std::uint64_t number,
                                           const std::string& arn) {
  const auto it = record.versions.find(number);
  if (it == record.versions.end()) throw_does_not_exist(arn);
  return it->second;
}

/// The version an alias routes this execution to: a draw in [0, 100) against
/// the cumulative weights.
std::uint64_t pick_route(const StateMachineAlias& alias, std::uint64_t draw) {
  const auto roll = static_cast<int>(draw % 100);
  int cumulative = 0;
  for (const auto& route : alias.routing) {
    cumulative += route.weight;
    if (roll < cumulative) return route.version;
  }
  return alias.routing.back().version;
}

}  // namespace

std::string version_arn(const std::string& state_machine_arn, std::uint64_t number) {
  return state_machine_arn + ":" + std::to_string(number);
}

std::string alias_arn(const std::string& state_machine_arn, const std::string& alias_name) {
  return state_machine_arn + ":" + alias_name;
}

const StateMachineVersion& publish_version(StateMachineRecord& record,
                                           const std::optional<std::string>& expected_revision_id,
                                           const std::string& description, asl::TimePoint now) {
  const auto& current = record.revision;
  if (expected_revision_id && *expected_revision_id != current->revision_id) {
    throw ServiceError("ConflictException",
                       "Failed to publish the State Machine version for revision " +
                           *expected_revision_id + ". The current State Machine revision is " +
                           current->revision_id + ".");
  }
  // Idempotent: the current revision already published answers with that
  // version (test_idempotent_publish, test_empty_revision_with_publish_*).
  for (auto it = record.versions.rbegin(); it != record.versions.rend(); ++it) {
    if (it->second.revision == current) return it->second;
  }
  if (record.versions.size() >= kMaxVersionsPerStateMachine) {
    throw ServiceError("ServiceQuotaExceededException",
                       "The state machine " + record.arn + " already has " +
                           std::to_string(kMaxVersionsPerStateMachine) +
                           " versions, the most it may have: delete a version no alias routes "
                           "to (DeleteStateMachineVersion) before publishing another");
  }
  StateMachineVersion version;
  version.number = ++record.last_version_number;
  version.revision = current;
  version.description = description;
  version.creation_date = now;
  return record.versions.emplace(version.number, std::move(version)).first->second;
}

StateMachineVersion publish_version_of(ServiceContext& context, const std::string& arn,
                                       const std::optional<std::string>& expected_revision_id,
                                       const std::string& description) {
  StateMachineVersion published;
  const auto now = ServiceContext::now();
  const bool found = context.state_machines.modify(arn, [&](StateMachineRecord& record) {
    if (record.deleting) {
      throw ServiceError("StateMachineDeleting", "State Machine Is Being Deleted: '" + arn + "'");
    }
    published = publish_version(record, expected_revision_id, description, now);
  });
  if (!found) throw_does_not_exist(arn);
  return published;
}

std::string bracketed_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i == 0 ? "" : ", ") + items[i];
  return out + "]";
}

std::vector<std::string> aliases_routing_to(const StateMachineRecord& record,
                                            std::uint64_t version) {
  std::vector<std::string> names;
  for (const auto& [name, alias] : record.aliases) {
    for (const auto& route : alias.routing) {
      if (route.version == version) {
        names.push_back(name);
        break;
      }
    }
  }
  return names;
}

ResolvedStateMachine resolve_state_machine(ServiceContext& context, const std::string& arn) {
  const auto parsed = parse_arn(arn);
  if (!parsed || !parsed->qualified()) {
    auto record = require_state_machine(context, arn);
    auto revision = record.revision;
    return {std::move(record), std::move(revision), "", "", std::nullopt};
  }
  purge_deleted_state_machines(context);
  const auto base = parsed->state_machine_arn();
  auto record = context.state_machines.find(base);
  if (!record) throw_does_not_exist(arn);
  ResolvedStateMachine resolved;
  std::uint64_t number = 0;
  if (parsed->type == ArnType::kStateMachineAlias) {
    const auto alias = record->aliases.find(parsed->qualifier);
    if (alias == record->aliases.end()) throw_does_not_exist(arn);
    number = pick_route(alias->second, context.next_seed());
    resolved.alias_arn = arn;
  } else {
    number = std::stoull(parsed->qualifier);
  }
  const auto& version = require_version(*record, number, arn);
  resolved.revision = version.revision;
  resolved.version_arn = version_arn(base, number);
  resolved.version = version;
  resolved.record = std::move(*record);
  return resolved;
}

}  // namespace loveless::engine
