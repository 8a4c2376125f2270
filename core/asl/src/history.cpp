#include "loveless/asl/history.hpp"

namespace loveless::asl {

nlohmann::json to_json(const HistoryEvent& event) {
  nlohmann::json out = {
      {"timestamp", to_epoch_seconds(event.timestamp)},
      {"type", event.type},
      {"id", event.id},
      {"previousEventId", event.previous_event_id},
  };
  if (!event.details_key.empty()) out[event.details_key] = event.details;
  return out;
}

nlohmann::json payload_details() { return nlohmann::json{{"truncated", false}}; }

}  // namespace loveless::asl
