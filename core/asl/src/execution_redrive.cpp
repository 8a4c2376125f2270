// RedriveExecution: resuming an unsuccessful execution from the states that
// did not succeed (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html).
//
// When a run ends, its Run keeps the state it stopped in and that state's
// input, so a redrive only has to enter that state again. A Parallel or Map
// that failed keeps its children (keep_for_redrive), and one that was aborted
// (StopExecution, the execution timeout) still holds them, so that a redrive
// reruns only the branches and iterations that did not succeed, each from the
// state where it stopped, while the results of the others stand.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "execution_impl.hpp"
#include "execution_util.hpp"

namespace loveless::asl {

void Execution::Impl::drop_kept(Run& run) {
  run.kept_children.clear();
  run.kept_results.clear();
  run.kept_entered_event = 0;
}

void Execution::Impl::keep_for_redrive(Run& parent) {
  parent.kept_children = std::move(parent.children);
  parent.children.clear();
  parent.kept_results = std::move(parent.child_results);
  parent.child_results.clear();
  parent.kept_entered_event = parent.entered_event;
}

void Execution::Impl::prepare_redrive(Run& run) {
  // The children of the interrupted attempt: still in place when the run was
  // aborted, kept aside when the Parallel/Map failed (and perhaps waited for
  // a retry since). Kept children of an earlier entry of the state do not count.
  std::vector<std::unique_ptr<Run>> children;
  std::vector<json> results;
  if (!run.children.empty()) {
    children = std::move(run.children);
    results = std::move(run.child_results);
  } else if (run.kept_entered_event != 0 && run.kept_entered_event == run.entered_event) {
    children = std::move(run.kept_children);
    results = std::move(run.kept_results);
  }
  run.children.clear();
  run.child_results.clear();
  drop_kept(run);
  run.resume_children = false;

  const State& s = state_of(run);
  // A distributed Map's Map Run is run again whole (AWS redrives only its
  // unsuccessful child executions; docs/engine.md).
  const bool has_children =
      s.type == StateType::kParallel || (s.type == StateType::kMap && !s.distributed);
  if (has_children && !children.empty() && results.size() >= children.size()) {
    for (auto& child : children) {
      if (!child->succeeded) run.kept_children.push_back(std::move(child));
    }
    // All succeeded: the state failed after its children (ResultSelector,
    // ResultPath), so it runs again whole.
    if (!run.kept_children.empty()) {
      run.kept_results = std::move(results);
      run.resume_children = true;
    }
  }

  run.active = true;
  run.queued = false;
  run.in_state = false;
  run.succeeded = false;
  run.step = Step::kEnter;
  run.failure = Failure{};
  run.result = json();
  run.task_id = 0;
  run.task_started = false;
  run.timer = 0;
  run.timeout_timer = 0;
  run.heartbeat_timer = 0;
  run.next_child = 0;
  run.running_children = 0;
  run.done_children = 0;
}

void Execution::Impl::resume_children(Run& run, const State& s) {
  run.resume_children = false;
  auto children = std::move(run.kept_children);
  run.kept_children.clear();
  run.child_results = std::move(run.kept_results);
  run.kept_results.clear();
  run.kept_entered_event = 0;
  run.children.clear();
  run.next_child = 0;
  run.done_children = 0;
  run.running_children = 0;
  run.step = Step::kBlocked;

  if (s.type == StateType::kParallel) {
    run.started_event = record_in(run, "ParallelStateStarted", "");
    run.running_children = children.size();
    for (auto& child : children) {
      prepare_redrive(*child);
      child->parent = &run;
      child->last_event = run.started_event;
      run.children.push_back(std::move(child));
    }
    for (auto& child : run.children) enqueue(*child);
    return;
  }
  // A Map: MapStateStarted reports every item, and the iterations to rerun
  // start in index order within the state's MaxConcurrency (kept in
  // `max_running` from the first attempt).
  run.started_event = record_in(run, "MapStateStarted", "mapStateStartedEventDetails",
                                json{{"length", run.child_results.size()}});
  for (auto& child : children) {
    prepare_redrive(*child);
    child->parent = &run;
    child->active = false;  // until its MapIterationStarted
    run.children.push_back(std::move(child));
  }
  launch_iterations(run, run.started_event);
}

bool Execution::Impl::on_redrive() {
  if (!started || status == ExecutionStatus::kRunning || status == ExecutionStatus::kSucceeded) {
    return false;
  }
  ++redrive_count;
  redrive_date = host.now();
  status = ExecutionStatus::kRunning;
  error.clear();
  cause.clear();
  stop_date.reset();
  output.reset();
  use_context_of(nullptr);
  json& execution_context = context["Execution"];
  execution_context["RedriveCount"] = redrive_count;
  execution_context["RedriveTime"] = detail::format_context_time(*redrive_date);

  const std::int64_t redriven =
      record(last_event_id(), "ExecutionRedriven", "executionRedrivenEventDetails",
             json{{"redriveCount", redrive_count}});
  if (!compiled) {
    fail_internally("The definition could not be compiled: " + compile_error);
    return true;
  }
  // AWS resets the execution's TimeoutSeconds on redrive: it counts anew.
  if (const std::int64_t timeout = compiled->definition->timeout_seconds(); timeout > 0) {
    execution_timer =
        start_timer(nullptr, TimerKind::kExecutionTimeout,
                    *redrive_date + seconds_to_duration(static_cast<double>(timeout)));
  }
  if (root) {
    prepare_redrive(*root);
  } else {
    root = std::make_unique<Run>();
    root->machine = &compiled->root;
    root->state = compiled->root.start;
    root->input = input;
  }
  root->last_event = redriven;
  enqueue(*root);
  pump();
  return true;
}

bool Execution::redrive() {
  // As `guarded` (execution.cpp) does for the other entry points: nothing
  // unexpected escapes to the engine.
  try {
    return impl_->on_redrive();
  } catch (const detail::HistoryLimitReached& reached) {
    impl_->fail_for_history_limit(reached);
  } catch (const std::exception& e) {
    impl_->fail_internally(e.what());
  } catch (...) {
    impl_->fail_internally("unknown exception");
  }
  return true;
}

std::int64_t Execution::redrive_count() const noexcept { return impl_->redrive_count; }

const std::optional<TimePoint>& Execution::redrive_date() const noexcept {
  return impl_->redrive_date;
}

}  // namespace loveless::asl
