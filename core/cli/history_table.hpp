#pragma once

#include <cstddef>
#include <ostream>

#include <nlohmann/json.hpp>

namespace loveless::cli {

/// Prints GetExecutionHistory `events` as a table: id, previous event id, type
/// and the one detail that matters for the event (state name, workerName,
/// error and cause, output), each cell cut to `detail_width` characters.
void print_history_table(std::ostream& out, const nlohmann::json& events,
                         std::size_t detail_width = 72);

/// The key detail of one history event, as shown in the table.
std::string event_detail(const nlohmann::json& event);

}  // namespace loveless::cli
