// Parallel and Map states: child runs, how a finished child ends its parent, aborting a subtree.

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "loveless/asl/errors.hpp"

#include "execution_impl.hpp"
#include "execution_util.hpp"
#include "json_text.hpp"

namespace loveless::asl {

namespace {

bool has_aborted_event(StateType type) {
  return type == StateType::kTask || type == StateType::kParallel || type == StateType::kMap ||
         type == StateType::kWait;
}

}  // namespace

void Execution::Impl::attempt_parallel(Run& run, const State& s) {
  if (run.resume_children) return resume_children(run, s);
  drop_kept(run);
  json branch_input;
  if (s.jsonata) {
    const json bindings = jsonata_bindings(run, nullptr, nullptr);
    branch_input = s.arguments != nullptr
                       ? evaluate_jsonata_template(run, *s.arguments, bindings, "Arguments")
                       : run.input;
  } else {
    json scratch;
    const json& effective = effective_input(run, s, scratch);
    branch_input =
        s.parameters != nullptr ? evaluate_template(run, *s.parameters, effective) : effective;
  }
  run.children.clear();
  run.started_event = record_in(run, "ParallelStateStarted", "");
  const std::size_t count = s.branches.size();
  run.child_results.assign(count, json());
  run.done_children = 0;
  run.running_children = count;
  run.step = Step::kBlocked;
  for (std::size_t i = 0; i < count; ++i) {
    auto child = std::make_unique<Run>();
    child->machine = s.branches[i].get();
    child->parent = &run;
    child->child_index = i;
    child->state = child->machine->start;
    child->input = i + 1 == count ? std::move(branch_input) : branch_input;
    child->variables = run.variables;
    child->last_event = run.started_event;
    child->events = run.events;
    child->child_owner = run.child_owner;
    run.children.push_back(std::move(child));
  }
  for (auto& child : run.children) enqueue(*child);
  if (count == 0) {
    record_in(run, "ParallelStateSucceeded", "");
    run.result = json::array();
    run.step = Step::kComplete;
  }
}

std::vector<json> Execution::Impl::jsonata_map_inputs(Run& run, const State& s,
                                                      std::int64_t& max_concurrency,
                                                      const json* read_items) {
  const json bindings = jsonata_bindings(run, nullptr, nullptr);
  // Recorded on AWS: an Items array literal may hold expressions of its own
  // (`[1, "{% $number('2') %}", 3]`), evaluated like Arguments.
  json items = read_items != nullptr ? *read_items : run.input;
  if (s.items != nullptr && read_items == nullptr) {
    items = s.items->is_structured() ? evaluate_jsonata_template(run, *s.items, bindings, "Items")
                                     : evaluate_jsonata(run, *s.items, bindings, "Items");
  }
  if (!items.is_array()) {
    if (s.items != nullptr) {
      expect_jsonata_type(run, *s.items, std::move(items), "Items", json::value_t::array, "array");
    }
    // Recorded on AWS: no location for a Map input that is not an array.
    throw query_failure(run, "",
                        "Map state input must be an array but was: " + to_json_text(items));
  }
  if (s.max_concurrency_expression != nullptr) {
    max_concurrency =
        jsonata_whole_number(run, *s.max_concurrency_expression, bindings, "MaxConcurrency", true);
  }
  std::vector<json> inputs;
  inputs.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (s.parameters == nullptr) {
      inputs.push_back(std::move(items[i]));
      continue;
    }
    context["Map"] = json{{"Item", {{"Index", i}, {"Value", items[i]}}}};
    try {
      const json item_bindings = jsonata_bindings(run, nullptr, nullptr);
      inputs.push_back(
          evaluate_jsonata_template(run, *s.parameters, item_bindings, "ItemSelector"));
    } catch (...) {
      context.erase("Map");
      throw;
    }
  }
  context.erase("Map");
  return inputs;
}

bool Execution::Impl::stalls_on_negative_concurrency(const Run& run, const State& s) const {
  if (s.type != StateType::kMap || s.jsonata || !s.max_concurrency_path) return false;
  try {
    json scratch;
    const json value =
        evaluate_path(run, *s.max_concurrency_path, effective_input(run, s, scratch));
    const auto limit = detail::whole_number(value);  // -0.5 is no integer: an error
    return limit && *limit < 0;
  } catch (const std::exception&) {
    return false;  // the state fails as it enters, with AWS's error (attempt_map)
  }
}

void Execution::Impl::attempt_map(Run& run, const State& s) {
  if (run.resume_children) return resume_children(run, s);
  drop_kept(run);
  if (s.jsonata) {
    std::int64_t max_concurrency = s.max_concurrency;
    std::vector<json> inputs;
    std::optional<FailureTolerance> tolerance;
    std::size_t length = 0;
    try {
      inputs = jsonata_map_inputs(run, s, max_concurrency);
      length = inputs.size();
      if (s.distributed) {
        const json bindings = jsonata_bindings(run, nullptr, nullptr);
        tolerance = failure_tolerance(run, s, nullptr, &bindings);
        inputs = batch_items(run, s, std::move(inputs), nullptr, &bindings);
      }
    } catch (const StatesError& e) {
      // Recorded on AWS: EvaluationFailed, then MapStateFailed.
      if (e.error() == error_names::kQueryEvaluationError) {
        record_in(run, "MapStateFailed", "");
      }
      throw;
    }
    start_iterations(run, s, std::move(inputs), max_concurrency, std::move(tolerance), length);
    return;
  }
  json scratch;
  const json& effective = effective_input(run, s, scratch);
  json items = map_items(run, s, effective);
  const std::int64_t max_concurrency = jsonpath_max_concurrency(run, s, effective);
  const std::size_t count = items.size();
  std::vector<json> inputs = select_items(run, s, std::move(items), effective);
  if (!s.distributed) return start_iterations(run, s, std::move(inputs), max_concurrency);
  FailureTolerance tolerance = failure_tolerance(run, s, &effective, nullptr);
  inputs = batch_items(run, s, std::move(inputs), &effective, nullptr);
  start_iterations(run, s, std::move(inputs), max_concurrency, std::move(tolerance), count);
}

json Execution::Impl::map_items(const Run& run, const State& s, const json& effective) const {
  json items = effective;
  if (s.items_path.mode == PathField::Mode::kPath && !s.items_path.is_identity()) {
    items = evaluate_path(run, *s.items_path.path, effective);
  }
  if (!items.is_array()) {
    // AWS's cause, as recorded (TestState): the path as written, where a
    // context path (`$$...`) loses its first `$`.
    std::string path =
        s.items_path.mode == PathField::Mode::kPath ? s.items_path.path->text() : "$";
    if (path.starts_with("$$")) path.erase(0, 1);
    throw StatesError(
        std::string(error_names::kRuntime),
        state_error_prefix(run) + "Reference path \"" + path + "\" must point to array.");
  }
  return items;
}

std::int64_t Execution::Impl::jsonpath_max_concurrency(const Run& run, const State& s,
                                                       const json& effective) const {
  if (!s.max_concurrency_path) return s.max_concurrency;
  const json value = evaluate_path(run, *s.max_concurrency_path, effective);
  // Recorded on AWS: a string holding an integer ("1") is taken.
  const auto parsed = detail::whole_number(value);
  if (!parsed || *parsed < 0) {
    // AWS's cause, as recorded.
    throw StatesError(std::string(error_names::kRuntime),
                      state_error_prefix(run) + "The MaxConcurrencyPath field refers to value \"" +
                          raw_text(value) +
                          "\" which is not a valid integer: " + s.max_concurrency_path->text());
  }
  return *parsed;
}

std::vector<json> Execution::Impl::select_items(Run& run, const State& s, json items,
                                                const json& effective) {
  std::vector<json> inputs;
  inputs.reserve(items.size());
  if (s.parameters == nullptr) {
    for (auto& item : items) inputs.push_back(std::move(item));
    return inputs;
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    context["Map"] = json{{"Item", {{"Index", i}, {"Value", items[i]}}}};
    try {
      inputs.push_back(evaluate_template(run, *s.parameters, effective));
    } catch (...) {
      context.erase("Map");
      throw;
    }
  }
  context.erase("Map");
  return inputs;
}

void Execution::Impl::start_iterations(Run& run, const State& s, std::vector<json> inputs,
                                       std::int64_t max_concurrency,
                                       std::optional<FailureTolerance> tolerance,
                                       std::optional<std::size_t> length) {
  const std::size_t count = inputs.size();
  run.children.clear();
  run.map_run.reset();
  run.started_event = record_in(run, "MapStateStarted", "mapStateStartedEventDetails",
                                json{{"length", length.value_or(count)}});
  run.child_results.assign(count, json());
  run.next_child = 0;
  run.done_children = 0;
  run.running_children = 0;
  run.max_running = running_limit(max_concurrency, count);
  for (std::size_t i = 0; i < count; ++i) {
    auto child = std::make_unique<Run>();
    child->machine = s.processor.get();
    child->parent = &run;
    child->child_index = i;
    child->is_iteration = true;
    child->active = false;  // until its MapIterationStarted
    child->state = child->machine->start;
    child->input = std::move(inputs[i]);
    child->variables = run.variables;
    child->events = run.events;
    child->child_owner = run.child_owner;
    if (s.distributed) {
      child->is_child_execution = true;
    }
    run.children.push_back(std::move(child));
  }
  run.step = Step::kBlocked;
  if (tolerance) {
    return start_map_run(run, s, std::move(*tolerance), max_concurrency, length.value_or(count));
  }
  if (count == 0) {
    // Recorded on AWS: MapStateSucceeded and MapStateExited both link to
    // MapStateStarted, as they link to the last iteration's event otherwise.
    record_to(run.events, run.last_event, "MapStateSucceeded", "");
    run.result = json::array();
    run.step = Step::kComplete;
    return;
  }
  launch_iterations(run, run.started_event);
}

void Execution::Impl::launch_iterations(Run& map_run, std::int64_t link) {
  const State& s = state_of(map_run);
  while (map_run.next_child < map_run.children.size() &&
         map_run.running_children < map_run.max_running) {
    Run& child = *map_run.children[map_run.next_child++];
    child.active = true;
    if (child.is_child_execution) {
      MapRunSummary& summary = map_runs[map_run.map_run->summary];
      --summary.pending;
      ++summary.running;
      start_child_execution(map_run, child);
    } else {
      child.last_event =
          record_to(map_run.events, link, "MapIterationStarted", "mapIterationStartedEventDetails",
                    json{{"name", s.name}, {"index", child.child_index}});
    }
    ++map_run.running_children;
    enqueue(child);
  }
}

void Execution::Impl::finish_run(Run& run) {
  run.active = false;
  if (run.parent == nullptr) {
    if (run.succeeded) {
      std::string text = to_json_text(run.result);
      record(run.last_event, "ExecutionSucceeded", "executionSucceededEventDetails",
             json{{"output", std::move(text)}, {"outputDetails", payload_details()}});
      output = std::move(run.result);
      end_execution(ExecutionStatus::kSucceeded, "", "");
    } else {
      record(run.last_event, "ExecutionFailed", "executionFailedEventDetails",
             error_details(run.failure));
      end_execution(ExecutionStatus::kFailed, run.failure.error, run.failure.cause.value_or(""));
    }
    return;
  }
  if (run.child_execution != nullptr) {
    // A distributed Map's child workflow execution ends in its own history.
    ChildExecution& execution = *run.child_execution;
    execution.stop_date = host.now();
    if (run.succeeded) {
      record_to(run.events, run.last_event, "ExecutionSucceeded", "executionSucceededEventDetails",
                json{{"output", to_json_text(run.result)}, {"outputDetails", payload_details()}});
      execution.status = ExecutionStatus::kSucceeded;
      execution.output = run.result;
    } else {
      record_to(run.events, run.last_event, "ExecutionFailed", "executionFailedEventDetails",
                error_details(run.failure));
      execution.status = ExecutionStatus::kFailed;
      execution.error = run.failure.error;
      execution.cause = run.failure.cause.value_or("");
    }
  }
  child_finished(*run.parent, run);
}

void Execution::Impl::child_finished(Run& parent, Run& child) {
  const State& s = state_of(parent);
  const bool is_map = s.type == StateType::kMap;
  if (parent.map_run) return map_run_child_finished(parent, child);
  --parent.running_children;
  if (child.succeeded) {
    parent.child_results[child.child_index] = std::move(child.result);
    const std::int64_t child_last = child.last_event;
    std::int64_t last = child_last;
    if (child.is_iteration) {
      last = record_to(parent.events, child_last, "MapIterationSucceeded",
                       "mapIterationSucceededEventDetails",
                       json{{"name", s.name}, {"index", child.child_index}});
    }
    ++parent.done_children;
    if (is_map) launch_iterations(parent, child_last);
    if (parent.done_children == parent.children.size()) {
      // Recorded on AWS: both MapStateSucceeded and the MapStateExited after
      // it link to the last iteration's (or branch's) event.
      record_to(parent.events, last, is_map ? "MapStateSucceeded" : "ParallelStateSucceeded", "");
      parent.last_event = last;
      json results = json::array();
      for (auto& r : parent.child_results) results.push_back(std::move(r));
      parent.child_results.clear();
      parent.result = std::move(results);
      parent.step = Step::kComplete;
      enqueue(parent);
    }
    return;
  }
  // Recorded on AWS: every event of a failing Map or Parallel links to the
  // event that failed inside it: MapIterationFailed, the failed Task's own
  // TaskStateAborted, each other running iteration's MapIterationAborted and
  // the aborted state in it, then MapStateFailed (no details); a Retry reruns
  // the state without a MapStateFailed, from a MapStateStarted linked there.
  const std::int64_t failing_event = child.last_event;
  if (child.is_iteration) {
    record_to(parent.events, failing_event, "MapIterationFailed", "mapIterationFailedEventDetails",
              json{{"name", s.name}, {"index", child.child_index}});
  }
  if (state_of(child).type == StateType::kTask) {
    record_to(child.events, failing_event, "TaskStateAborted", "");
  }
  for (auto& sibling : parent.children) {
    if (sibling.get() != &child) abort_run(*sibling, failing_event);
  }
  keep_for_redrive(parent);
  parent.child_results.clear();
  parent.failure = child.failure;
  if (retrier_for(parent)) {
    parent.last_event = failing_event;
  } else {
    parent.last_event = record_to(parent.events, failing_event,
                                  is_map ? "MapStateFailed" : "ParallelStateFailed", "");
  }
  parent.step = Step::kFail;
  enqueue(parent);
}

void Execution::Impl::abort_run(Run& run, std::optional<std::int64_t> link) {
  if (!run.active) return;
  run.active = false;
  if (run.queued) {
    std::erase(ready, &run);
    run.queued = false;
  }
  close_task(run, true);
  cancel_timer(run.timer);
  if (run.is_child_execution) {
    // A child workflow execution of a Map Run (its Map Run failed, or the
    // parent stopped): aborted in its own history.
    if (run.child_execution != nullptr) {
      run.last_event =
          record_to(run.events, run.last_event, "ExecutionAborted", "executionAbortedEventDetails");
      run.child_execution->status = ExecutionStatus::kAborted;
      run.child_execution->stop_date = host.now();
    }
    for (auto& child : run.children) abort_run(*child, std::nullopt);
    return;
  }
  if (run.map_run) {
    if (link) record_to(run.events, *link, "MapRunAborted", "");
    close_map_run(run, "ABORTED");
  }
  // Recorded on AWS: an aborted iteration's MapIterationAborted, then the
  // state it was in.
  if (link && run.is_iteration) {
    record_to(run.parent->events, *link, "MapIterationAborted", "mapIterationAbortedEventDetails",
              json{{"name", state_of(*run.parent).name}, {"index", run.child_index}});
  }
  for (auto& child : run.children) abort_run(*child, link);
  if (link && run.in_state && run.step != Step::kEnter) {
    const State& s = state_of(run);
    if (has_aborted_event(s.type)) {
      record_to(run.events, *link, std::string(detail::type_name(s.type)) + "StateAborted", "");
    }
  }
}

}  // namespace loveless::asl
