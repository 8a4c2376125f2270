#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "loveless/asl/clock.hpp"
#include "loveless/asl/definition.hpp"

namespace loveless::engine {

/// One state machine, as DescribeStateMachine reports it.
struct StateMachineRecord {
  std::string arn;
  std::string name;
  /// The definition text as given (DescribeStateMachine returns it verbatim).
  std::string definition_text;
  std::shared_ptr<const asl::Definition> definition;
  std::string role_arn;
  std::string type = "STANDARD";
  asl::TimePoint creation_date{};
  std::optional<asl::TimePoint> update_date;
  /// DeleteStateMachine was called while executions were running: status
  /// DELETING, no new executions; removed once they have all ended.
  bool deleting = false;
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

  /// Adds `record` unless its ARN is taken. Same definition text and role:
  /// returns the existing record. Otherwise throws `StateMachineAlreadyExists`
  /// ("State Machine Already Exists: '<arn>'").
  CreateResult create(StateMachineRecord record);
  [[nodiscard]] std::optional<StateMachineRecord> find(const std::string& arn) const;
  /// Every record with an ARN greater than `after`, in ARN order, at most
  /// `limit + 1` of them (the extra one tells the caller there is a next page).
  [[nodiscard]] std::vector<StateMachineRecord> list_after(const std::string& after,
                                                           std::size_t limit) const;
  /// Replaces the definition and/or role. Returns the updated record, nullopt if unknown.
  std::optional<StateMachineRecord> update(const std::string& arn,
                                           std::optional<std::string> definition_text,
                                           std::shared_ptr<const asl::Definition> definition,
                                           std::optional<std::string> role_arn,
                                           asl::TimePoint update_date);
  /// Removes the record at once, or marks it DELETING when `has_running` is set.
  void remove(const std::string& arn, bool has_running);
  /// ARNs of state machines marked DELETING.
  [[nodiscard]] std::vector<std::string> deleting() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, StateMachineRecord> records_;
};

}  // namespace loveless::engine
