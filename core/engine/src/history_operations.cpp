#include <string>

#include "loveless/asl/history.hpp"
#include "loveless/engine/service_error.hpp"

#include "execution_record.hpp"
#include "lookups.hpp"
#include "map_run_lookup.hpp"
#include "operations.hpp"
#include "paging.hpp"
#include "request_reader.hpp"
#include "service_context.hpp"

namespace loveless::engine {
namespace {

// includeExecutionData=false: AWS leaves out the payloads but keeps their details.
void strip_execution_data(nlohmann::json& event) {
  for (auto& [key, value] : event.items()) {
    if (!value.is_object()) continue;
    value.erase("input");
    value.erase("output");
  }
}

}  // namespace

nlohmann::json get_execution_history(ServiceContext& context, const nlohmann::json& request) {
  const RequestReader reader(request);
  const auto arn = reader.required_string("executionArn");
  const auto page_size = static_cast<std::int64_t>(reader.page_size());
  const bool reverse = reader.optional_bool("reverseOrder", false);
  const bool include_data = reader.optional_bool("includeExecutionData", true);
  const auto token = reader.next_token();
  // A Map Run's child execution lives in its parent (map_run_lookup.hpp).
  const bool child = is_child_execution_arn(arn);
  const auto record = child ? nullptr : require_execution(context, arn);

  // The cursor is the id of the next event to return; ids never change.
  const std::string scope = arn + (reverse ? "|reverse" : "|forward");
  const auto cursor =
      token ? static_cast<std::int64_t>(decode_page_number(*token, "history", scope)) : 0;

  nlohmann::json response = {{"events", nlohmann::json::array()}};
  const auto page = [&](const std::vector<asl::HistoryEvent>& history) {
    const auto count = static_cast<std::int64_t>(history.size());
    if (token && (cursor < 1 || cursor > count)) {
      throw ServiceError("InvalidToken", "Invalid Token: '" + *token + "'");
    }
    std::int64_t next = token ? cursor : (reverse ? count : 1);
    const std::int64_t step = reverse ? -1 : 1;
    for (std::int64_t taken = 0; next >= 1 && next <= count && taken < page_size;
         ++taken, next += step) {
      auto event = asl::to_json(history[static_cast<std::size_t>(next - 1)]);
      if (!include_data) strip_execution_data(event);
      response["events"].push_back(std::move(event));
    }
    if (next >= 1 && next <= count) {
      response["nextToken"] = encode_page_token("history", scope, std::to_string(next));
    }
  };
  if (child) {
    with_child_execution(context, arn,
                         [&](const asl::ChildExecution& execution) { page(execution.history); });
  } else {
    record->with_execution([&](asl::Execution& execution) { page(execution.history()); });
  }
  return response;
}

}  // namespace loveless::engine
