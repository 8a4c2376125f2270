// Bring your own worker (docs/bring-your-own-worker.md): an activity worker
// on the AWS SDK for JavaScript v3 (worker.mjs) and a Lambda function on the
// Runtime API (function.mjs), run as Loveless pools with their own command
// lines. Loveless gives them the endpoint, credentials, activity ARN and
// Runtime API in their environment; nothing in them knows about Loveless.
//
//   cd examples/node-worker && npm install
//   ../../build/bin/node-worker-scenarios              # from this directory
//
// Workers start in the runner's working directory, so `node worker.mjs`
// finds the script when the suite runs from here (CTest does the same).
#include <filesystem>

#include <loveless/loveless.hpp>

namespace {

using loveless::checks::all_executions_succeed;
using loveless::checks::no_local_state_reliance;
using loveless::checks::outputs_match_control;
using loveless::scenario::Scenario;

/// The order workflow, its two pools and three orders. `numbering` is the
/// worker's INVOICE_NUMBERING: "per-order" is correct, "per-process" the flaw.
void orders(Scenario& s, const std::string& numbering) {
  auto wf = s.workflow("orders", "orders.asl.json")
                .bind("QuoteFunctionArn", loveless::scenario::function_arn("quote"))
                .bind("InvoiceActivityArn", loveless::scenario::activity_arn("invoice"));
  // On the docker stack the image's WORKDIR holds the scripts (README.md).
  s.activity_pool("invoice")
      .command("node worker.mjs")
      .image("loveless-example/node-worker", "/usr/local/bin/node")
      .replicas(2)
      .env("INVOICE_NUMBERING", numbering);
  s.function_pool("quote")
      .command("node function.mjs")
      .image("loveless-example/node-worker", "/usr/local/bin/node")
      .concurrency(2);
  s.executions(wf).count(3).concurrency(3).inputs({
      {{"order", "A-100"}, {"lines", {{{"sku", "tea"}, {"qty", 2}, {"unit_cents", 450}}}}},
      {{"order", "A-101"},
       {"lines",
        {{{"sku", "mug"}, {"qty", 1}, {"unit_cents", 1200}},
         {{"sku", "tea"}, {"qty", 3}, {"unit_cents", 450}}}}},
      {{"order", "A-102"}, {"lines", {{{"sku", "pot"}, {"qty", 1}, {"unit_cents", 3900}}}}},
  });
  // worker.mjs, function.mjs and node_modules are in the runner's working
  // directory (CTest starts the suite here). Workers get a private /tmp, so a
  // checkout under /tmp would be invisible to them: the directory is given to
  // every worker read-only, at the same path (docs/bring-your-own-worker.md).
  s.read_only_directory(std::filesystem::current_path(), "NODE_WORKER_DIR");
  s.deadline(std::chrono::minutes(2));
}

void judged(Scenario& s) {
  s.check(all_executions_succeed());
  s.check(outputs_match_control());
  s.check(no_local_state_reliance());
}

}  // namespace

LOVELESS_SCENARIO("node workers survive being killed mid-task", "[byo][kill]") {
  orders(s, "per-order");
  // Kill the invoice worker 100 ms into a task (it takes 300 ms), and a quote
  // environment as its invocation starts: the activity task times out after
  // HeartbeatSeconds and is retried on a replacement; the invocation fails
  // with Lambda.Unknown and is retried in a new environment.
  s.inject(kill().on_task_started("invoice").after(100ms).at_most(2));
  s.inject(kill().on_task_started("quote").at_most(1));
  judged(s);
}

LOVELESS_SCENARIO("node workers are disposable", "[byo][disposable]") {
  orders(s, "per-order");
  // After every task: scratch wiped, worker stopped (SIGTERM, then SIGKILL
  // after 500 ms) and replaced.
  s.inject(disposable());
  judged(s);
}

LOVELESS_SCENARIO("a node worker numbering invoices in memory is caught",
                  "[byo][flawed][!shouldfail]") {
  // The flaw: invoice numbers from a per-process counter. Warm workers number
  // an order after the tasks they ran before; fresh ones always say INV-1.
  orders(s, "per-process");
  s.inject(disposable("invoice"));
  s.check(no_local_state_reliance());
}
