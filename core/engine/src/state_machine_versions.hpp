#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loveless/asl/clock.hpp"

#include "state_machine_registry.hpp"

namespace loveless::engine {

struct ServiceContext;

// State machine versions and aliases: what PublishStateMachineVersion,
// CreateStateMachineAlias and the qualified ARNs of StartExecution and
// DescribeStateMachine do, as the test_sfn_api_versioning and
// test_sfn_api_aliasing recordings show it. The functions that change a
// record run under the registry's lock (StateMachineRegistry::modify).

/// AWS's quota of versions per state machine.
inline constexpr std::size_t kMaxVersionsPerStateMachine = 1000;

/// `<state machine ARN>:<number>` and `<state machine ARN>:<alias name>`.
std::string version_arn(const std::string& state_machine_arn, std::uint64_t number);
std::string alias_arn(const std::string& state_machine_arn, const std::string& alias_name);

/// Publishes the record's current revision as a version, or returns the
/// version that already holds it (PublishStateMachineVersion is idempotent).
/// `expected_revision_id`, when given, must be the current revision's id
/// (ConflictException "Failed to publish the State Machine version for
/// revision <given>. The current State Machine revision is <current>.").
/// ServiceQuotaExceededException past kMaxVersionsPerStateMachine.
const StateMachineVersion& publish_version(StateMachineRecord& record,
                                           const std::optional<std::string>& expected_revision_id,
                                           const std::string& description, asl::TimePoint now);

/// Publishes through `modify`: StateMachineDoesNotExist when the state
/// machine is gone, StateMachineDeleting while it is being deleted.
/// Returns the version published (or found).
StateMachineVersion publish_version_of(ServiceContext& context, const std::string& arn,
                                       const std::optional<std::string>& expected_revision_id,
                                       const std::string& description);

/// `[a, b]`: how AWS lists values in the version and alias messages
/// ("Received: [70, 29]", "...referencing this version: [live]").
std::string bracketed_list(const std::vector<std::string>& items);

/// The names of the aliases that route to `version`, in name order.
std::vector<std::string> aliases_routing_to(const StateMachineRecord& record,
                                            std::uint64_t version);

/// What a StartExecution or DescribeStateMachine ARN names: the state machine
/// and the revision it runs, and the version and alias ARNs to record (empty
/// for an unqualified ARN).
struct ResolvedStateMachine {
  StateMachineRecord record;
  std::shared_ptr<const StateMachineRevision> revision;
  std::string version_arn;
  std::string alias_arn;
  /// The version's own members, for DescribeStateMachine of a version ARN.
  std::optional<StateMachineVersion> version;
};

/// Resolves an unqualified, version or alias ARN. An alias picks one of its
/// versions by weight (context's random source). InvalidArn for text that is
/// not a state machine ARN; StateMachineDoesNotExist for a state machine,
/// version or alias that does not exist, with the ARN as given.
ResolvedStateMachine resolve_state_machine(ServiceContext& context, const std::string& arn);

}  // namespace loveless::engine
