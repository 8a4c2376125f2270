#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace loveless::metrics {

/// The metric families of docs/metrics.md, registered in one registry.
struct Families {
  explicit Families(prometheus::Registry& registry);

  prometheus::Family<prometheus::Counter>& faults_injected;
  prometheus::Family<prometheus::Counter>& faults_failed;
  prometheus::Family<prometheus::Counter>& executions;
  prometheus::Family<prometheus::Histogram>& execution_duration;
  prometheus::Family<prometheus::Counter>& task_attempts;
  prometheus::Family<prometheus::Counter>& task_retries;
  prometheus::Family<prometheus::Counter>& disrupted_tasks;
  prometheus::Family<prometheus::Histogram>& recovery_time;
  prometheus::Family<prometheus::Histogram>& time_to_detect;
  prometheus::Family<prometheus::Counter>& local_state_findings;
  prometheus::Family<prometheus::Gauge>& check_verdict;
  prometheus::Family<prometheus::Gauge>& scenario_passed;
  prometheus::Family<prometheus::Gauge>& phase_active;
  prometheus::Family<prometheus::Gauge>& last_run;
};

/// Buckets of the duration histograms, in seconds: 50 ms to 10 min.
const prometheus::Histogram::BucketBoundaries& duration_buckets();

}  // namespace loveless::metrics
