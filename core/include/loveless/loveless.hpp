#pragma once
// Everything a scenario file needs: `#include <loveless/loveless.hpp>`.
//
//   LOVELESS_SCENARIO("indexing survives workers killed mid-task", "[demo][kill]") {
//     auto wf = s.workflow("index", "index.asl.json");
//     s.activity_pool("count-words").command("demo-worker count-words").replicas(3);
//     s.executions(wf).count(20).concurrency(5);
//     s.inject(kill().on_task_started("count-words").after(200ms).at_most(10));
//     s.check(all_executions_succeed());
//   }
//
// See docs/scenarios.md.

#include <chrono>

#include "loveless/checks/builtin.hpp"
#include "loveless/injectors/injector.hpp"
#include "loveless/scenario/registry.hpp"
#include "loveless/scenario/scenario.hpp"

namespace loveless::scenario_definitions {
// Scenario bodies are members of classes in this namespace: these names are
// what they see unqualified.
using namespace std::chrono_literals;  // NOLINT(google-build-using-namespace)
using checks::all_executions_end_in;
using checks::all_executions_succeed;
using checks::duration_inflation;
using checks::no_local_state_reliance;
using checks::OutputComparison;
using checks::outputs_match_control;
using checks::recovery_time;
using checks::time_to_detect;
using injectors::disposable;
using injectors::jitter;
using injectors::kill;
using injectors::latency;
using injectors::pause;
using injectors::restart;
using injectors::stop;
using injectors::wipe_scratch;
using scenario::activity_arn;
using scenario::function_arn;
}  // namespace loveless::scenario_definitions
