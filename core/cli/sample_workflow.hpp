#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace loveless::cli {

/// The sample workflow: a Pass with Parameters and intrinsics, a Task on
/// `activity_arn` with HeartbeatSeconds and a Retry on `Sample.TransientError`,
/// a Choice on the item count and a Map over the items.
std::string sample_definition(const std::string& activity_arn);

/// The inputs of the sample executions (one of them with no items, so the
/// Choice takes its Default branch).
std::vector<nlohmann::json> sample_inputs();

/// The error a sample worker reports for its simulated transient failure.
inline constexpr const char* kSampleTransientError = "Sample.TransientError";

}  // namespace loveless::cli
