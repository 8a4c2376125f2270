#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/asl/clock.hpp"
#include "loveless/asl/definition.hpp"

namespace loveless::engine {

/// What CreateStateMachine and UpdateStateMachine set: one revision of a
/// state machine. An execution keeps the revision it started with
/// (DescribeStateMachineForExecution), whatever updates follow.
struct StateMachineRevision {
  /// The definition text as given (DescribeStateMachine returns it verbatim).
  std::string definition_text;
  std::shared_ptr<const asl::Definition> definition;
  std::string role_arn;
  /// `loggingConfiguration` as DescribeStateMachine returns it
  /// (state_machine_configuration.hpp).
  nlohmann::json logging;
  /// `tracingConfiguration.enabled`.
  bool tracing_enabled = false;
  /// A UUID minted by each UpdateStateMachine that changes something; empty
  /// before the first one (AWS returns no revisionId until then).
  std::string revision_id;
  /// When this revision was made: the creation date, then each update's.
  asl::TimePoint update_date{};
};

/// A published, immutable snapshot of a revision (PublishStateMachineVersion,
/// or `publish` on CreateStateMachine and UpdateStateMachine): ARN
/// `<state machine ARN>:<number>`.
struct StateMachineVersion {
  /// 1, 2, ...; never reused, even after a deletion.
  std::uint64_t number = 0;
  /// Never null.
  std::shared_ptr<const StateMachineRevision> revision;
  /// The version's description; empty: none.
  std::string description;
  asl::TimePoint creation_date{};
};

/// One route of an alias: a version and the percentage of executions it gets.
struct AliasRoute {
  std::uint64_t version = 0;
  /// 0..100; an alias's weights sum to 100.
  int weight = 0;
  bool operator==(const AliasRoute&) const = default;
};

/// A named pointer to one or two versions (CreateStateMachineAlias): ARN
/// `<state machine ARN>:<name>`.
struct StateMachineAlias {
  std::string name;
  std::string description;
  /// One or two routes, as given.
  std::vector<AliasRoute> routing;
  asl::TimePoint creation_date{};
  asl::TimePoint update_date{};
};

/// One state machine, as DescribeStateMachine reports it.
struct StateMachineRecord {
  std::string arn;
  std::string name;
  std::string type = "STANDARD";
  asl::TimePoint creation_date{};
  /// Never null.
  std::shared_ptr<const StateMachineRevision> revision;
  /// DeleteStateMachine was called while executions were running: status
  /// DELETING, no new executions; removed once they have all ended.
  bool deleting = false;
  /// Published versions by number; deleted with the state machine.
  std::map<std::uint64_t, StateMachineVersion> versions;
  /// The highest version number ever published (numbers are not reused).
  std::uint64_t last_version_number = 0;
  /// Aliases by name; deleted with the state machine.
  std::map<std::string, StateMachineAlias> aliases;
};

/// The fields an UpdateStateMachine call sets (absent: unchanged).
struct StateMachineUpdate {
  std::optional<std::string> definition_text;
  std::shared_ptr<const asl::Definition> definition;
  std::optional<std::string> role_arn;
  std::optional<nlohmann::json> logging;
  std::optional<bool> tracing_enabled;
  asl::TimePoint update_date{};
  /// The revision id to use when the update changes something.
  std::string new_revision_id;
};

/// The state machines of the service, by ARN (so listings come out sorted by name).
///
/// Thread-safety: every method may be called from any thread; records are
/// returned as copies.
class StateMachineRegistry {
 public:
  struct CreateResult {
    StateMachineRecord record;
    /// False when an identical state machine already existed (idempotent create).
    bool created = false;
  };

  /// Adds `record` unless its ARN is taken. Same type, definition text, role,
  /// logging and tracing: returns the existing record. Otherwise throws `StateMachineAlreadyExists`
  /// ("State Machine Already Exists: '<arn>'").
  CreateResult create(StateMachineRecord record);
  [[nodiscard]] std::optional<StateMachineRecord> find(const std::string& arn) const;
  /// Every record with an ARN greater than `after`, in ARN order, at most
  /// `limit + 1` of them (the extra one tells the caller there is a next page).
  [[nodiscard]] std::vector<StateMachineRecord> list_after(const std::string& after,
                                                           std::size_t limit) const;
  /// Applies `update`: a new revision when it changes something, else the
  /// same one. Returns the updated record, nullopt if unknown.
  std::optional<StateMachineRecord> update(const std::string& arn, StateMachineUpdate update);
  /// Runs `fn` on the record of `arn` under the registry's lock (publishing a
  /// version, changing an alias); false when there is none. What `fn` throws
  /// propagates and leaves the record as `fn` left it.
  bool modify(const std::string& arn, const std::function<void(StateMachineRecord&)>& fn);
  /// Removes the record at once, or marks it DELETING when `has_running` is set.
  void remove(const std::string& arn, bool has_running);
  /// ARNs of state machines marked DELETING.
  [[nodiscard]] std::vector<std::string> deleting() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, StateMachineRecord> records_;
};

}  // namespace loveless::engine
