// A state's failure: Retry with backoff, Catch, or the end of its run; error details.

#include <string>
#include <utility>

#include "loveless/asl/error_matching.hpp"

#include "execution_impl.hpp"

namespace loveless::asl {

namespace detail {

json error_details(const std::string& error, const std::string& cause) {
  json details = json::object();
  if (!error.empty()) details["error"] = error;
  if (!cause.empty()) details["cause"] = cause;
  return details;
}

json error_details(const Failure& failure) {
  return error_details(failure.error, failure.cause.value_or(""));
}

}  // namespace detail

std::optional<std::size_t> Execution::Impl::retrier_for(const Run& run) const {
  const State& s = state_of(run);
  for (std::size_t i = 0; i < s.retriers.size(); ++i) {
    const Retrier& retrier = s.retriers[i];
    if (!error_equals_matches(*retrier.error_equals, run.failure.error, run.failure.heartbeat)) {
      continue;
    }
    // The first matching retrier decides, even when its attempts are spent.
    if (i < run.retry_counters.size() && run.retry_counters[i] < retrier.max_attempts) return i;
    return std::nullopt;
  }
  return std::nullopt;
}

void Execution::Impl::handle_failure(Run& run) {
  const State& s = state_of(run);
  run.children.clear();
  if (!run.in_state) {
    run.step = Step::kDone;
    return;
  }
  set_state_context(run, s);
  const Failure& failure = run.failure;
  if (const auto i = retrier_for(run)) {
    const Retrier& retrier = s.retriers[*i];
    double delay = retrier.delay_seconds(run.retry_counters[*i]);
    if (retrier.full_jitter) delay *= host.random().next_unit();
    ++run.retry_counters[*i];
    ++run.retry_count;
    run.timer = start_timer(&run, TimerKind::kRetry, host.now() + seconds_to_duration(delay));
    run.step = Step::kBlocked;
    return;
  }
  for (const Catcher& catcher : s.catchers) {
    if (!error_equals_matches(*catcher.error_equals, failure.error, failure.heartbeat)) continue;
    json error_output = failure.caught_output();
    // An error while applying the catcher (ResultPath, Output, Assign, size)
    // fails the state without a second round of Retry/Catch: drive() turns a
    // throw in kFail into the end of the run. Recorded on AWS: the catcher's
    // Assign replaces the state's own.
    run.pending_assign.reset();
    if (s.jsonata) {
      const json bindings = jsonata_bindings(run, nullptr, &error_output);
      if (catcher.assign != nullptr) prepare_assign(run, *catcher.assign, &bindings, error_output);
      json out = jsonata_output(run, catcher.output, bindings, error_output);
      exit_state(run, std::move(out), catcher.next);
      return;
    }
    if (catcher.assign != nullptr) prepare_assign(run, *catcher.assign, nullptr, error_output);
    exit_state(run, apply_result_path(run, catcher.result_path, std::move(error_output)),
               catcher.next);
    return;
  }
  run.in_state = false;
  run.succeeded = false;
  run.step = Step::kDone;
}

}  // namespace loveless::asl
