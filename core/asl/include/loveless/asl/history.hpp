#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "loveless/asl/clock.hpp"

namespace loveless::asl {

/// One event of an execution's history, as GetExecutionHistory returns it
/// (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html).
struct HistoryEvent {
  std::int64_t id = 0;
  std::int64_t previous_event_id = 0;
  TimePoint timestamp{};
  /// The event type, e.g. `ActivityScheduled`, `TaskStateEntered`.
  std::string type;
  /// The member name of the details object, e.g. `activityScheduledEventDetails`,
  /// `stateEnteredEventDetails`; empty for events without details
  /// (`ParallelStateStarted`, `MapStateSucceeded`, ...).
  std::string details_key;
  /// The details object; ignored when `details_key` is empty.
  nlohmann::json details;
};

/// The event in the shape of the Step Functions API:
/// `{"timestamp": 1.7e9, "type": "...", "id": 3, "previousEventId": 2, "<detailsKey>": {...}}`.
nlohmann::json to_json(const HistoryEvent& event);

/// The `xxxDetails` object AWS attaches to a payload (`inputDetails`,
/// `outputDetails`): `{"truncated": false}`.
nlohmann::json payload_details();

}  // namespace loveless::asl
