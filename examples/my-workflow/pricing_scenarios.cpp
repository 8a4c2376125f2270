// The pricing workflow under faults. Each scenario runs the same orders
// three times: a control phase (warm workers, no faults), a cold phase (a
// fresh worker with empty scratch for every task) and a chaos phase (the
// faults below); the checks compare them.
//
//   build/pricing-scenarios --list
//   build/pricing-scenarios --scenario "[kill]" -v
#include <vector>

#include <loveless/loveless.hpp>

namespace {

using loveless::scenario::Scenario;

/// The workflow, its pool of two price-worker processes and six orders.
void pricing(Scenario& s) {
  auto wf = s.workflow("pricing", "pricing.asl.json")  // beside this file
                .bind("PriceActivityArn", loveless::scenario::activity_arn("price"));
  s.activity_pool("price")
      .command("price-worker price")  // beside the suite executable
      .replicas(2)
      .env("PRICE_DELAY_MS", "300");
  const auto orders = nlohmann::json::parse(R"([
    {"order": "A-1", "lines": [{"sku": "pen", "quantity": 2, "unit_cents": 150}]},
    {"order": "A-2", "lines": [{"sku": "ink", "quantity": 1, "unit_cents": 899},
                               {"sku": "pad", "quantity": 3, "unit_cents": 275}]},
    {"order": "A-3", "lines": []}
  ])");
  s.executions(wf).count(6).concurrency(3).inputs(orders.get<std::vector<nlohmann::json>>());
  s.deadline(std::chrono::minutes(2));
  s.check(loveless::checks::all_executions_succeed());
  s.check(loveless::checks::outputs_match_control());
  s.check(loveless::checks::no_local_state_reliance());
}

}  // namespace

LOVELESS_SCENARIO("pricing survives workers killed mid-task", "[pricing][kill]") {
  pricing(s);
  s.inject(kill().on_task_started("price").after(100ms).at_most(2));
}

LOVELESS_SCENARIO("pricing survives disposable workers", "[pricing][disposable]") {
  pricing(s);
  s.inject(disposable("price"));
}
