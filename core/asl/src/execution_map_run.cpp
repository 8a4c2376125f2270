// The distributed Map: a Map state whose ItemProcessor has ProcessorConfig
// Mode DISTRIBUTED runs a Map Run, each iteration a child workflow execution
// with a history of its own
// (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html).
//
// What the parent's history records follows AWS's recordings (LocalStack's
// snapshots of real executions, 2023 to 2025): MapStateEntered,
// MapStateStarted {length}, MapRunStarted {mapRunArn}, then MapRunSucceeded,
// MapStateSucceeded (linked to MapRunSucceeded) and MapStateExited, which
// every recording since November 2024 links to MapRunStarted (earlier ones
// to MapRunSucceeded). Nothing of the child executions appears there. A bad
// Tolerated*Path value fails the execution with States.Runtime right after
// MapStateStarted; a Map Run whose failed children exceed the tolerated
// threshold records MapRunFailed and fails the state with
// States.ExceedToleratedFailureThreshold (AWS's error and cause, recorded
// through TestState). ItemReader and ResultWriter (Amazon S3) are rejected
// at validation.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "loveless/asl/errors.hpp"

#include "execution_impl.hpp"
#include "execution_util.hpp"
#include "json_text.hpp"
#include "random_uuid.hpp"

namespace loveless::asl {

namespace {

/// AWS's cause for a Map Run that failed more children than it tolerates
/// (recorded through TestState).
constexpr const char* kThresholdCause = "The specified tolerated failure threshold was exceeded";

/// A Map Run's ARN (`type` "mapRun", `id` its UUID) or a child execution's
/// (`type` "execution", `id` its name), from the state machine's:
/// `arn:aws:states:<region>:<account>:<type>:<machine>/<label>:<id>`.
std::string map_run_resource_arn(const std::string& state_machine_arn, const std::string& type,
                                 const std::string& label, const std::string& id) {
  std::string arn = state_machine_arn;
  const std::string marker = ":stateMachine:";
  if (const auto at = arn.find(marker); at != std::string::npos) {
    arn.replace(at, marker.size(), ":" + type + ":");
  }
  return arn + "/" + label + ":" + id;
}

/// A number in a JSON value, or in a string holding one ("1.5"; recorded:
/// a variable holding "1" is a valid ToleratedFailurePercentagePath value).
std::optional<double> real_number(const json& value) {
  if (value.is_number()) return value.get<double>();
  if (!value.is_string()) return std::nullopt;
  const auto& text = value.get_ref<const std::string&>();
  if (text.empty() || text.find_first_not_of("0123456789.-+eE") != std::string::npos) {
    return std::nullopt;
  }
  char* end = nullptr;
  const double parsed = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(parsed)) return std::nullopt;
  return parsed;
}

}  // namespace

FailureTolerance Execution::Impl::failure_tolerance(Run& run, const State& s, const json* effective,
                                                    const json* bindings) {
  FailureTolerance tolerance;
  // The value of a literal, expression or path field; nullopt when absent.
  const auto value_of = [&](const json* literal, const std::optional<JsonPath>& path,
                            const char* field) -> std::optional<json> {
    if (literal != nullptr) {
      return bindings != nullptr ? evaluate_jsonata(run, *literal, *bindings, field) : *literal;
    }
    if (path && effective != nullptr) return evaluate_path(run, *path, *effective);
    return std::nullopt;
  };

  if (const auto count = value_of(s.tolerated_failure_count, s.tolerated_failure_count_path,
                                  "ToleratedFailureCount")) {
    const auto parsed = detail::whole_number(*count);
    if (!parsed && s.tolerated_failure_count_path) {
      // AWS's cause, as recorded.
      tolerance.error_cause =
          "The ToleratedFailureCountPath field refers to value \"" + raw_text(*count) +
          "\" which is not a valid integer: " + s.tolerated_failure_count_path->text();
      return tolerance;
    }
    if (!parsed || *parsed < 0) {
      tolerance.error_cause = "ToleratedFailureCount cannot be negative.";
      return tolerance;
    }
    tolerance.count = *parsed;
  }

  if (const auto percentage =
          value_of(s.tolerated_failure_percentage, s.tolerated_failure_percentage_path,
                   "ToleratedFailurePercentage")) {
    const auto parsed = real_number(*percentage);
    if (!parsed && s.tolerated_failure_percentage_path) {
      tolerance.error_cause =
          "The ToleratedFailurePercentagePath field refers to value \"" + raw_text(*percentage) +
          "\" which is not a valid float: " + s.tolerated_failure_percentage_path->text();
      return tolerance;
    }
    if (!parsed || *parsed < 0 || *parsed > 100) {
      tolerance.error_cause = "ToleratedFailurePercentage must be between 0 and 100.";
      return tolerance;
    }
    tolerance.percentage = *parsed;
  }
  return tolerance;
}

std::vector<json> Execution::Impl::batch_items(Run& run, const State& s, std::vector<json> inputs,
                                               const json* effective, const json* bindings) {
  if (s.item_batcher == nullptr || !s.item_batcher->is_object()) return inputs;
  const json& batcher = *s.item_batcher;
  // A limit given as a number, an expression (JSONata) or a path (JSONPath).
  const auto limit_of = [&](const char* field, const char* path_field) -> std::int64_t {
    std::optional<json> value;
    if (const auto it = batcher.find(field); it != batcher.end()) {
      value = bindings != nullptr ? evaluate_jsonata(run, *it, *bindings, field) : *it;
    } else if (const auto p = batcher.find(path_field);
               p != batcher.end() && p->is_string() && effective != nullptr) {
      value = evaluate_path(run, JsonPath::compile(p->get<std::string>()), *effective);
    }
    if (!value) return 0;
    const auto parsed = detail::whole_number(*value);
    if (!parsed || *parsed < 1) {
      throw StatesError(std::string(error_names::kRuntime),
                        state_error_prefix(run) + "The " + field +
                            " field of the ItemBatcher refers to value \"" + raw_text(*value) +
                            "\" which is not a positive integer");
    }
    return *parsed;
  };
  const std::int64_t max_items = limit_of("MaxItemsPerBatch", "MaxItemsPerBatchPath");
  const std::int64_t max_bytes = limit_of("MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath");

  std::optional<json> batch_input;
  if (const auto it = batcher.find("BatchInput"); it != batcher.end()) {
    batch_input = bindings != nullptr
                      ? evaluate_jsonata_template(run, *it, *bindings, "ItemBatcher/BatchInput")
                      : evaluate_template(run, *it, effective != nullptr ? *effective : run.input);
  }
  const auto make_batch = [&](json items) {
    json batch = json::object();
    if (batch_input) batch["BatchInput"] = *batch_input;
    batch["Items"] = std::move(items);
    return batch;
  };

  std::vector<json> batches;
  json items = json::array();
  std::size_t bytes = to_json_text(make_batch(json::array())).size();
  const std::size_t empty_bytes = bytes;
  for (auto& item : inputs) {
    const std::size_t item_bytes = to_json_text(item).size() + 1;
    const bool full_by_count = max_items > 0 && std::cmp_greater_equal(items.size(), max_items);
    const bool full_by_bytes =
        max_bytes > 0 && !items.empty() && std::cmp_greater(bytes + item_bytes, max_bytes);
    if (full_by_count || full_by_bytes) {
      batches.push_back(make_batch(std::move(items)));
      items = json::array();
      bytes = empty_bytes;
    }
    bytes += item_bytes;
    items.push_back(std::move(item));
  }
  if (!items.empty()) batches.push_back(make_batch(std::move(items)));
  return batches;
}

void Execution::Impl::start_map_run(Run& run, const State& s, FailureTolerance tolerance,
                                    std::int64_t max_concurrency, std::size_t items) {
  if (!tolerance.error_cause.empty()) {
    throw StatesError(std::string(error_names::kRuntime),
                      state_error_prefix(run) + tolerance.error_cause);
  }
  auto progress = std::make_unique<MapRunProgress>();
  const std::string id = detail::random_uuid(host.random());
  progress->label = s.label.empty() ? detail::random_uuid(host.random()) : s.label;
  progress->arn = map_run_resource_arn(info.state_machine_arn, "mapRun", progress->label, id);
  progress->started_event = record_in(run, "MapRunStarted", "mapRunStartedEventDetails",
                                      json{{"mapRunArn", progress->arn}});
  MapRunSummary summary;
  summary.arn = progress->arn;
  summary.start_date = host.now();
  summary.max_concurrency = std::max<std::int64_t>(max_concurrency, 0);
  summary.tolerated_failure_count = tolerance.count.value_or(0);
  summary.tolerated_failure_percentage = tolerance.percentage.value_or(0);
  progress->tolerance = std::move(tolerance);
  summary.items = static_cast<std::int64_t>(items);
  summary.total = static_cast<std::int64_t>(run.children.size());
  summary.pending = summary.total;
  progress->summary = map_runs.size();
  map_runs.push_back(std::move(summary));
  run.map_run = std::move(progress);
  if (run.children.empty()) {
    close_map_run(run, "SUCCEEDED");
    const std::int64_t succeeded =
        record_to(run.events, run.map_run->started_event, "MapRunSucceeded", "");
    record_to(run.events, succeeded, "MapStateSucceeded", "");
    run.last_event = run.map_run->started_event;
    run.result = json::array();
    run.step = Step::kComplete;
    return;
  }
  launch_iterations(run, run.started_event);
}

void Execution::Impl::close_map_run(Run& run, const char* final_status) {
  MapRunSummary& summary = map_runs[run.map_run->summary];
  if (summary.stop_date) return;
  summary.status = final_status;
  summary.stop_date = host.now();
  summary.aborted += summary.running + summary.pending;
  summary.running = 0;
  summary.pending = 0;
}

void Execution::Impl::start_child_execution(Run& map_run, Run& child) {
  const MapRunProgress& progress = *map_run.map_run;
  ChildExecution& execution = child_executions.emplace_back();
  execution.name = detail::random_uuid(host.random());
  execution.state_machine_arn = info.state_machine_arn + "/" + progress.label;
  execution.arn =
      map_run_resource_arn(info.state_machine_arn, "execution", progress.label, execution.name);
  execution.map_run_arn = progress.arn;
  execution.start_date = host.now();
  execution.input = child.input;
  child.child_execution = &execution;
  child.child_owner = &execution;
  child.events = &execution.history;
  child.last_event = record_to(child.events, 0, "ExecutionStarted", "executionStartedEventDetails",
                               json{{"input", to_json_text(child.input)},
                                    {"inputDetails", payload_details()},
                                    {"roleArn", info.role_arn}});
}

void Execution::Impl::map_run_child_finished(Run& parent, Run& child) {
  MapRunProgress& progress = *parent.map_run;
  MapRunSummary& summary = map_runs[progress.summary];
  --summary.running;
  --parent.running_children;
  ++parent.done_children;
  if (child.succeeded) {
    ++summary.succeeded;
    parent.child_results[child.child_index] = std::move(child.result);
  } else {
    ++summary.failed;
    ++progress.failed;
    // Our choice (AWS records no inline result of a tolerated failure): the
    // failed child's error output stands in its place.
    parent.child_results[child.child_index] = child.failure.caught_output();
  }
  const std::size_t total = parent.children.size();
  if (progress.tolerance.exceeded(progress.failed, total)) {
    fail_map_run(parent, &child);
    return;
  }
  launch_iterations(parent, parent.started_event);
  if (parent.done_children < total) return;
  close_map_run(parent, "SUCCEEDED");
  const std::int64_t succeeded =
      record_to(parent.events, progress.started_event, "MapRunSucceeded", "");
  record_to(parent.events, succeeded, "MapStateSucceeded", "");
  // Recorded on AWS since November 2024: MapStateExited links to MapRunStarted.
  parent.last_event = progress.started_event;
  json results = json::array();
  for (auto& r : parent.child_results) results.push_back(std::move(r));
  parent.child_results.clear();
  parent.result = std::move(results);
  parent.map_run.reset();
  parent.step = Step::kComplete;
  enqueue(parent);
}

void Execution::Impl::fail_map_run(Run& parent, const Run* finished) {
  const MapRunProgress& progress = *parent.map_run;
  for (auto& sibling : parent.children) {
    if (sibling.get() != finished) abort_run(*sibling, sibling->last_event);
  }
  close_map_run(parent, "FAILED");
  keep_for_redrive(parent);
  parent.child_results.clear();
  parent.failure =
      Failure::of(std::string(error_names::kExceedToleratedFailureThreshold), kThresholdCause);
  const std::int64_t failed = record_to(parent.events, progress.started_event, "MapRunFailed",
                                        "mapRunFailedEventDetails", error_details(parent.failure));
  parent.last_event =
      retrier_for(parent) ? failed : record_to(parent.events, failed, "MapStateFailed", "");
  parent.map_run.reset();
  parent.step = Step::kFail;
  enqueue(parent);
}

Run* Execution::Impl::find_map_run(Run& run, const std::string& arn) {
  if (run.map_run && run.map_run->arn == arn) return &run;
  for (auto& child : run.children) {
    if (!child->active) continue;
    if (Run* found = find_map_run(*child, arn)) return found;
  }
  return nullptr;
}

bool Execution::Impl::on_update_map_run(const std::string& arn, const MapRunUpdate& update) {
  if (status != ExecutionStatus::kRunning || !root) return false;
  Run* run = find_map_run(*root, arn);
  if (run == nullptr) return false;
  MapRunProgress& progress = *run->map_run;
  MapRunSummary& summary = map_runs[progress.summary];
  const std::size_t total = run->children.size();
  if (update.max_concurrency) {
    summary.max_concurrency = std::max<std::int64_t>(*update.max_concurrency, 0);
    run->max_running = running_limit(summary.max_concurrency, total);
  }
  if (update.tolerated_failure_count) {
    progress.tolerance.count = *update.tolerated_failure_count;
    summary.tolerated_failure_count = *update.tolerated_failure_count;
  }
  if (update.tolerated_failure_percentage) {
    progress.tolerance.percentage = *update.tolerated_failure_percentage;
    summary.tolerated_failure_percentage = *update.tolerated_failure_percentage;
  }
  if (progress.tolerance.exceeded(progress.failed, total)) {
    fail_map_run(*run, nullptr);
  } else {
    // Room made by a higher MaxConcurrency: the waiting children start now,
    // linked to MapStateStarted as the first ones were.
    launch_iterations(*run, run->started_event);
  }
  pump();
  return true;
}

}  // namespace loveless::asl
