// The aws stack's pools and workers (core/stacks/aws) against the FAKE AWS
// control plane on loopback: what each primitive sends, what the fake then
// holds, and what the pool reports. No real AWS endpoint is ever addressed:
// every client's endpoint is the fake's, set explicitly.
#include <algorithm>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "loveless/aws_api/call_guard.hpp"
#include "loveless/stacks/aws/arn.hpp"
#include "loveless/stacks/aws/ecs_service_pool.hpp"
#include "loveless/stacks/aws/fis_experiments.hpp"
#include "loveless/stacks/aws/lambda_function_pool.hpp"

#include "aws_test_support.hpp"

namespace {

using namespace loveless;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;
using loveless::testing::eventually;
using loveless::testing::FakeAwsControlPlane;
using loveless::testing::FakeAwsOptions;
using stacks::PoolEvent;
using stacks::Primitive;


FakeAwsOptions fast_options() {
  FakeAwsOptions options;
  options.replacement_delay = 100ms;
  options.lambda_update_time = 50ms;
  options.experiment_transition_time = 30ms;
  return options;
}

std::shared_ptr<stacks::aws::EcsServicePool> ecs_pool(const std::string& service_arn,
                                                      const stacks::aws::AwsFleetContext& context) {
  const auto name = stacks::aws::ecs_service_name(*stacks::aws::parse_arn(service_arn));
  stacks::PoolSpec spec;
  spec.name = "work";
  spec.kind = stacks::PoolKind::kActivity;
  auto pool = std::make_shared<stacks::aws::EcsServicePool>(spec, service_arn, name->cluster,
                                                            name->service, context);
  pool->start();
  return pool;
}

std::shared_ptr<stacks::aws::LambdaFunctionPool> lambda_pool(
    const std::string& function_arn, const stacks::aws::AwsFleetContext& context) {
  stacks::PoolSpec spec;
  spec.name = "fn";
  spec.kind = stacks::PoolKind::kFunction;
  auto pool = std::make_shared<stacks::aws::LambdaFunctionPool>(
      spec, function_arn, *stacks::aws::lambda_function_name(*stacks::aws::parse_arn(function_arn)),
      context);
  pool->start();
  return pool;
}

std::set<std::string> ids(const std::vector<std::shared_ptr<stacks::Worker>>& workers) {
  std::set<std::string> found;
  for (const auto& worker : workers) found.insert(worker->id());
  return found;
}

std::set<std::string> task_ids(const std::vector<std::string>& arns) {
  std::set<std::string> found;
  for (const auto& arn : arns) found.insert(stacks::aws::last_resource_part(arn));
  return found;
}

std::vector<PoolEvent> events_of(const stacks::Pool& pool, PoolEvent::Kind kind) {
  std::vector<PoolEvent> found;
  for (const auto& event : pool.events()) {
    if (event.kind == kind) found.push_back(event);
  }
  return found;
}

}  // namespace

TEST_CASE("an ECS service pool's workers are the service's running tasks named by task id",
          "[aws][ecs]") {
  FakeAwsControlPlane fake(fast_options());
  const auto service = fake.add_ecs_service("chaos", "workers", 2);
  auto pool = ecs_pool(service, testing::fake_fleet_context(fake, {service}, testing::kFisRole));

  const auto running = fake.running_tasks("chaos", "workers");
  REQUIRE(running.size() == 2);
  CHECK(ids(pool->workers()) == task_ids(running));
  CHECK(ids(pool->live_workers()) == task_ids(running));
  for (const auto& worker : pool->workers()) {
    CHECK(worker->pool() == "work");
    CHECK(std::find(running.begin(), running.end(), worker->platform_handle()) != running.end());
    CHECK(stacks::aws::last_resource_part(worker->platform_handle()) == worker->id());
    CHECK(worker->capabilities() == std::set<Primitive>{Primitive::kKill, Primitive::kStop,
                                                        Primitive::kRestart, Primitive::kLatency});
  }
  CHECK(events_of(*pool, PoolEvent::Kind::kStarted).size() == 2);
  // Listing is all the pool did: ListTasks and DescribeTasks, nothing mutating.
  for (const auto& request : fake.requests()) {
    CHECK((request.operation == "ListTasks" || request.operation == "DescribeTasks"));
  }
  pool->stop();
}

TEST_CASE("kill sends StopTask and the service's replacement becomes a new worker", "[aws][ecs]") {
  FakeAwsControlPlane fake(fast_options());
  const auto service = fake.add_ecs_service("chaos", "workers", 2);
  auto pool = ecs_pool(service, testing::fake_fleet_context(fake, {service}));
  const auto victim = pool->workers().front();
  const auto survivor = pool->workers().back()->id();

  victim->kill();
  CHECK(victim->state() == stacks::WorkerState::kDead);
  const auto stops = fake.requests_for("StopTask");
  REQUIRE(stops.size() == 1);
  CHECK(stops[0].status == 200);
  CHECK(stops[0].body["task"] == victim->platform_handle());
  CHECK(stops[0].body["cluster"] == "chaos");
  CHECK_THAT(stops[0].body["reason"].get<std::string>(),
             Contains("run-awsstack-test") && Contains("kill"));

  // The pool sees the replacement on a later listing.
  REQUIRE(eventually([&] { return pool->live_workers().size() == 2; }));
  const auto live = ids(pool->live_workers());
  CHECK_FALSE(live.contains(victim->id()));
  CHECK(live.contains(survivor));
  CHECK(live == task_ids(fake.running_tasks("chaos", "workers")));
  std::string replacement;
  for (const auto& id : live) {
    if (id != survivor) replacement = id;
  }
  const auto killed = events_of(*pool, PoolEvent::Kind::kKilled);
  REQUIRE(killed.size() == 1);
  CHECK(killed[0].worker_id == victim->id());
  const auto replaced = events_of(*pool, PoolEvent::Kind::kReplaced);
  REQUIRE(replaced.size() == 1);
  CHECK(replaced[0].worker_id == victim->id());
  CHECK(replaced[0].detail == replacement);
  const auto started = events_of(*pool, PoolEvent::Kind::kStarted);
  REQUIRE(started.size() == 3);
  CHECK(started.back().worker_id == replacement);

  // A second kill of the same worker sends nothing.
  victim->kill();
  CHECK(fake.requests_for("StopTask").size() == 1);
  pool->stop();
}

TEST_CASE("restart returns once the service's replacement task runs", "[aws][ecs]") {
  FakeAwsControlPlane fake(fast_options());
  const auto service = fake.add_ecs_service("chaos", "workers", 1);
  auto context = testing::fake_fleet_context(fake, {service});
  context.ecs_poll_interval = 1s;  // the restart's own wait must find the replacement
  auto pool = ecs_pool(service, context);
  const auto worker = pool->workers().front();

  const auto before = std::chrono::steady_clock::now();
  worker->restart(0ms);
  CHECK(std::chrono::steady_clock::now() - before >= fast_options().replacement_delay);

  const auto running = fake.running_tasks("chaos", "workers");
  REQUIRE(running.size() == 1);
  const auto replacement = stacks::aws::last_resource_part(running.front());
  CHECK(replacement != worker->id());
  // Seen at once (restart lists the tasks), not at the next poll a second later.
  CHECK(ids(pool->live_workers()) == std::set<std::string>{replacement});
  const auto restarted = events_of(*pool, PoolEvent::Kind::kRestarted);
  REQUIRE(restarted.size() == 1);
  CHECK(restarted[0].worker_id == worker->id());
  CHECK(restarted[0].detail == "replaced by task " + replacement);
  CHECK_THAT(fake.requests_for("StopTask").at(0).body["reason"].get<std::string>(),
             Contains("restart"));
  // A stopped task cannot be restarted again.
  CHECK_THROWS_AS(worker->restart(0ms), stacks::UnsupportedPrimitive);
  pool->stop();
}

TEST_CASE("pause and resume and wipe-scratch of an ECS task are refused with a reason",
          "[aws][ecs]") {
  FakeAwsControlPlane fake(fast_options());
  const auto service = fake.add_ecs_service("chaos", "workers", 1);
  auto pool = ecs_pool(service, testing::fake_fleet_context(fake, {service}));
  const auto worker = pool->workers().front();
  fake.clear_requests();

  CHECK_THROWS_WITH(worker->pause(), Contains("pause on ECS task " + worker->id()) &&
                                         Contains("ECS cannot freeze a task"));
  CHECK_THROWS_WITH(worker->resume(), Contains("resume on ECS task"));
  CHECK_THROWS_WITH(worker->wipe_scratch(),
                    Contains("wipe-scratch on ECS task") && Contains("restart()"));
  // Without a FIS role there is no latency either.
  CHECK_THROWS_WITH(worker->set_latency(100ms), Contains("no FIS role is bound"));
  CHECK_FALSE(worker->capabilities().contains(Primitive::kLatency));
  CHECK(worker->state() == stacks::WorkerState::kRunning);
  pool->stop();
  for (const auto& request : fake.requests()) {
    CHECK((request.operation == "ListTasks" || request.operation == "DescribeTasks"));
  }
}

TEST_CASE("a Lambda function pool recycles environments and restore puts the variables back",
          "[aws][lambda]") {
  FakeAwsControlPlane fake(fast_options());
  const std::map<std::string, std::string> original = {{"TABLE", "orders"}, {"MODE", "strict"}};
  const auto function = fake.add_lambda_function("merge", original);
  auto pool = lambda_pool(function, testing::fake_fleet_context(fake, {function}));
  REQUIRE(pool->workers().size() == 1);
  const auto worker = pool->workers().front();
  CHECK(worker->id() == "merge");
  CHECK(worker->platform_handle() == function);
  CHECK(worker->capabilities() ==
        std::set<Primitive>{Primitive::kStop, Primitive::kRestart, Primitive::kWipeScratch});

  worker->restart(0ms);
  auto variables = fake.lambda_environment("merge");
  CHECK(variables.at("LOVELESS_RECYCLE") == "run-awsstack-test-1");
  CHECK(variables.at("TABLE") == "orders");
  CHECK(variables.at("MODE") == "strict");
  CHECK(fake.lambda_environment_generations("merge") == 1);

  worker->wipe_scratch();
  worker->stop(0ms);
  CHECK(fake.lambda_environment("merge").at("LOVELESS_RECYCLE") == "run-awsstack-test-3");
  CHECK(fake.lambda_environment_generations("merge") == 3);
  CHECK(events_of(*pool, PoolEvent::Kind::kRestarted).size() == 1);
  CHECK(events_of(*pool, PoolEvent::Kind::kScratchWiped).size() == 1);
  CHECK(events_of(*pool, PoolEvent::Kind::kStopped).size() == 1);
  // Every update locked on the revision it read (optimistic locking).
  for (const auto& update : fake.requests_for("UpdateFunctionConfiguration")) {
    CHECK(update.status == 200);
    CHECK(update.body.contains("RevisionId"));
  }

  CHECK_THROWS_WITH(worker->kill(), Contains("kill on Lambda function merge"));
  CHECK_THROWS_WITH(worker->pause(), Contains("Lambda cannot freeze"));

  CHECK(pool->restore().empty());
  CHECK(fake.lambda_environment("merge") == original);
  CHECK(fake.lambda_environment_generations("merge") == 4);
  // Nothing left to restore: no further update.
  CHECK(pool->restore().empty());
  CHECK(fake.requests_for("UpdateFunctionConfiguration").size() == 4);
}

TEST_CASE("latency goes through an AWS FIS experiment and healing stops it", "[aws][fis]") {
  FakeAwsControlPlane fake(fast_options());
  const auto service = fake.add_ecs_service("chaos", "workers", 1);
  const auto function = fake.add_lambda_function("merge", {{"A", "1"}});
  const auto context = testing::fake_fleet_context(fake, {service, function}, testing::kFisRole);
  auto ecs = ecs_pool(service, context);
  auto lambda = lambda_pool(function, context);
  const auto task = ecs->workers().front();

  task->set_latency(250ms);
  auto created = fake.requests_for("CreateExperimentTemplate");
  REQUIRE(created.size() == 1);
  CHECK(created[0].status == 200);
  const auto& body = created[0].body;
  CHECK(body["roleArn"] == testing::kFisRole);
  CHECK(body["tags"]["loveless:run"] == "run-awsstack-test");
  CHECK(body["actions"]["LovelessFault"]["actionId"] == "aws:ecs:task-network-latency");
  CHECK(body["actions"]["LovelessFault"]["parameters"]["delayMilliseconds"] == "250");
  // One task, not the whole service.
  CHECK(body["targets"]["LovelessTargets"]["resourceArns"] ==
        nlohmann::json::array({task->platform_handle()}));
  REQUIRE(fake.requests_for("StartExperiment").size() == 1);
  CHECK(fake.experiment_template_count() == 1);

  task->set_latency(0ms);
  const auto stops = fake.requests_for("StopExperiment");
  REQUIRE(stops.size() == 1);
  const auto experiment = stops[0].path.substr(stops[0].path.rfind('/') + 1);
  CHECK(eventually([&] { return fake.experiment_status(experiment) == "stopped"; }));

  lambda->workers().front()->set_latency(400ms);
  created = fake.requests_for("CreateExperimentTemplate");
  REQUIRE(created.size() == 2);
  CHECK(created[1].body["actions"]["LovelessFault"]["actionId"] ==
        "aws:lambda:invocation-add-delay");
  CHECK(created[1].body["actions"]["LovelessFault"]["parameters"]["startupDelayMilliseconds"] ==
        "400");
  CHECK(created[1].body["targets"]["LovelessTargets"]["resourceArns"] ==
        nlohmann::json::array({function}));
  lambda->workers().front()->set_latency(0ms);
  REQUIRE(fake.requests_for("StopExperiment").size() == 2);

  const auto latency_events = events_of(*ecs, PoolEvent::Kind::kLatencySet);
  REQUIRE(latency_events.size() == 2);
  CHECK(latency_events[0].detail == "250 ms");
  CHECK(latency_events[1].detail == "0 ms");
  ecs->stop();
  // The templates stay until clean-up.
  CHECK(fake.experiment_template_count() == 2);
  CHECK(context.fis->clean_up().empty());
  CHECK(fake.experiment_template_count() == 0);
}

TEST_CASE("FisExperiments clean_up stops the running experiments and deletes every template",
          "[aws][fis]") {
  FakeAwsControlPlane fake(fast_options());
  const auto service = fake.add_ecs_service("chaos", "workers", 1);
  const auto function = fake.add_lambda_function("merge", {});
  const auto context = testing::fake_fleet_context(fake, {service, function}, testing::kFisRole);
  auto& fis = *context.fis;
  const auto task = fake.running_tasks("chaos", "workers").front();

  const auto on_function = fis.delay_lambda(function, 300ms);
  const auto on_task = fis.delay_ecs_task(service, "chaos", "workers", task, 300ms);
  const auto healed = fis.delay_lambda(function, 500ms);
  fis.stop(healed);
  REQUIRE(eventually([&] {
    return fake.experiment_status(on_function) == "running" &&
           fake.experiment_status(on_task) == "running";
  }));
  CHECK(fake.experiment_template_count() == 3);

  CHECK(fis.clean_up().empty());
  CHECK(eventually([&] {
    return fake.experiment_status(on_function) == "stopped" &&
           fake.experiment_status(on_task) == "stopped";
  }));
  CHECK(fake.experiment_template_count() == 0);
  // The experiment healed before was not stopped a second time.
  std::set<std::string> stopped;
  for (const auto& request : fake.requests_for("StopExperiment")) {
    CHECK(request.status == 200);
    CHECK(stopped.insert(request.path).second);
  }
  CHECK(stopped.size() == 3);
  CHECK(fake.requests_for("DeleteExperimentTemplate").size() == 3);
  // Nothing is left to undo.
  CHECK(fis.clean_up().empty());
  CHECK(fake.requests_for("DeleteExperimentTemplate").size() == 3);
}

TEST_CASE("a call on a resource outside the allow-list is refused and never reaches the fake",
          "[aws][guard]") {
  FakeAwsControlPlane fake(fast_options());
  const auto bound = fake.add_ecs_service("chaos", "workers", 1);
  const auto other = fake.add_ecs_service("chaos", "someone-elses", 1);
  const auto function = fake.add_lambda_function("not-ours", {{"KEEP", "me"}});
  // The guard allows only the bound service.
  const auto context = testing::fake_fleet_context(fake, {bound}, testing::kFisRole);
  auto pool = ecs_pool(other, context);
  auto functions = lambda_pool(function, context);
  const auto task = pool->workers().front();

  CHECK_THROWS_AS(task->kill(), aws_api::ResourceNotAllowed);
  CHECK_THROWS_WITH(task->stop(0ms), Contains(other) && Contains("allow-list"));
  CHECK_THROWS_AS(task->restart(0ms), aws_api::ResourceNotAllowed);
  CHECK_THROWS_AS(task->set_latency(100ms), aws_api::ResourceNotAllowed);
  CHECK_THROWS_AS(functions->workers().front()->restart(0ms), aws_api::ResourceNotAllowed);
  CHECK_THROWS_AS(context.fis->delay_lambda(function, 100ms), aws_api::ResourceNotAllowed);

  CHECK(task->state() == stacks::WorkerState::kRunning);
  CHECK(fake.running_tasks("chaos", "someone-elses").size() == 1);
  CHECK(fake.lambda_environment("not-ours") == std::map<std::string, std::string>{{"KEEP", "me"}});
  CHECK(functions->restore().empty());
  for (const auto& request : fake.requests()) {
    INFO(request.operation);
    CHECK((request.operation == "ListTasks" || request.operation == "DescribeTasks" ||
           request.operation == "GetFunctionConfiguration"));
  }
  CHECK(context.guard->calls().empty());
  pool->stop();
}

TEST_CASE("healing and clean_up leave an FIS experiment that already ended alone", "[aws][fis]") {
  auto options = fast_options();
  options.experiment_time_scale = 0.001;  // PT1M lasts 60 ms
  FakeAwsControlPlane fake(options);
  const auto function = fake.add_lambda_function("merge", {});
  const auto context = testing::fake_fleet_context(fake, {function}, testing::kFisRole);
  auto& fis = *context.fis;

  const auto healed = fis.delay_lambda(function, 100ms);
  const auto left = fis.delay_lambda(function, 200ms);
  REQUIRE(eventually([&] {
    return fake.experiment_status(healed) == "completed" &&
           fake.experiment_status(left) == "completed";
  }));
  // FIS refuses to stop a completed experiment; there is nothing to undo.
  CHECK_NOTHROW(fis.stop(healed));
  CHECK(fis.clean_up().empty());
  CHECK(fake.experiment_template_count() == 0);
  CHECK(fake.experiment_status(healed) == "completed");
}
