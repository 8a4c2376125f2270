#include "families.hpp"

namespace loveless::metrics {

Families::Families(prometheus::Registry& registry)
    : faults_injected(prometheus::BuildCounter()
                          .Name("loveless_faults_injected_total")
                          .Help("Faults applied to a worker, by scenario, pool and fault kind.")
                          .Register(registry)),
      faults_failed(prometheus::BuildCounter()
                        .Name("loveless_faults_failed_total")
                        .Help("Faults whose primitive failed (the worker was gone, the stack "
                              "refused): they did not happen.")
                        .Register(registry)),
      executions(prometheus::BuildCounter()
                     .Name("loveless_executions_total")
                     .Help("Executions by phase and final status (SUCCEEDED, FAILED, TIMED_OUT, "
                           "ABORTED; RUNNING or NOT_STARTED when the run ended first).")
                     .Register(registry)),
      execution_duration(prometheus::BuildHistogram()
                             .Name("loveless_execution_duration_seconds")
                             .Help("Execution duration from start to close, in seconds.")
                             .Register(registry)),
      task_attempts(prometheus::BuildCounter()
                        .Name("loveless_task_attempts_total")
                        .Help("Task attempts (activity tasks, Lambda invocations) that ended, by "
                              "phase, pool and outcome.")
                        .Register(registry)),
      task_retries(prometheus::BuildCounter()
                       .Name("loveless_task_retries_total")
                       .Help("Task attempts the orchestrator scheduled again after an earlier "
                             "attempt of the same state failed or timed out.")
                       .Register(registry)),
      disrupted_tasks(prometheus::BuildCounter()
                          .Name("loveless_disrupted_tasks_total")
                          .Help("Tasks a fault hit while they ran, by whether the work "
                                "recovered.")
                          .Register(registry)),
      recovery_time(prometheus::BuildHistogram()
                        .Name("loveless_recovery_time_seconds")
                        .Help("From a fault to the disrupted work succeeding again, in seconds.")
                        .Register(registry)),
      time_to_detect(prometheus::BuildHistogram()
                         .Name("loveless_time_to_detect_seconds")
                         .Help("From a fault to the orchestrator recording the disrupted task "
                               "failed or timed out, in seconds.")
                         .Register(registry)),
      local_state_findings(prometheus::BuildCounter()
                               .Name("loveless_local_state_findings_total")
                               .Help("Reliances on scratch left by an earlier task, by verdict "
                                     "(harmful, harmless, reader_unknown).")
                               .Register(registry)),
      check_verdict(prometheus::BuildGauge()
                        .Name("loveless_check_verdict")
                        .Help("1 for the outcome (pass, fail, unknown) of a check in the "
                              "scenario's last run, 0 for the other two.")
                        .Register(registry)),
      scenario_passed(prometheus::BuildGauge()
                          .Name("loveless_scenario_passed")
                          .Help("1 when the scenario's last run passed, else 0.")
                          .Register(registry)),
      phase_active(prometheus::BuildGauge()
                       .Name("loveless_phase_active")
                       .Help("1 while the phase (control, chaos) of the scenario runs, else 0.")
                       .Register(registry)),
      last_run(prometheus::BuildGauge()
                   .Name("loveless_scenario_last_run_timestamp_seconds")
                   .Help("When the scenario's last run ended, in seconds since the epoch.")
                   .Register(registry)) {}

const prometheus::Histogram::BucketBoundaries& duration_buckets() {
  static const prometheus::Histogram::BucketBoundaries buckets = {
      0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60, 120, 300, 600};
  return buckets;
}

}  // namespace loveless::metrics
