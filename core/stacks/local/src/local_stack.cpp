#include "loveless/stacks/local_stack.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <stdexcept>
#include <utility>

#include "loveless/stacks/connection_owners.hpp"
#include "loveless/stacks/docker/docker_fleet.hpp"
#include "loveless/stacks/latency_routes.hpp"
#include "loveless/stacks/process_fleet.hpp"

#include "leftover_sweep.hpp"
#include <unistd.h>

namespace loveless::stacks {
namespace {

constexpr const char* kRoleArn = "arn:aws:iam::123456789012:role/loveless-local-stack";

std::string default_run_id() {
  const auto now = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &utc);
  return std::string("run-") + stamp + "-" + std::to_string(::getpid());
}

std::shared_ptr<Worker> find_worker(const Pool& pool, const std::string& id) {
  for (auto& worker : pool.workers()) {
    if (worker->id() == id) return worker;
  }
  return nullptr;
}

}  // namespace

std::string_view to_string(FleetPlatform platform) {
  return platform == FleetPlatform::kDocker ? "docker" : "process";
}

std::optional<FleetPlatform> parse_fleet_platform(std::string_view name) {
  if (name == "process") return FleetPlatform::kProcess;
  if (name == "docker") return FleetPlatform::kDocker;
  return std::nullopt;
}

LocalStack::LocalStack(LocalStackOptions options) : options_(std::move(options)) {
  if (options_.run_id.empty()) options_.run_id = default_run_id();
  if (options_.runs_root.empty()) options_.runs_root = default_runs_root();
  run_dir_ = options_.runs_root / options_.run_id;
}

LocalStack::~LocalStack() { down(); }

void LocalStack::up() {
  if (up_) throw std::logic_error("LocalStack::up called twice");
  const auto kept = options_.kept_runs ? *options_.kept_runs : kept_runs_from_environment();
  secure_runs_root(options_.runs_root);
  // Before this run's own directory exists, and before pruning removes the
  // records of an earlier run: what earlier runs left behind.
  startup_notes_ = sweep_leftovers(options_.runs_root, options_.platform);
  run_directory_.emplace(options_.runs_root, options_.run_id);
  prune_runs(options_.runs_root, kept);
  service_ = std::make_unique<engine::StepFunctionsService>(options_.service);
  server_ = std::make_unique<engine::HttpServer>(*service_);
  server_->start("127.0.0.1", 0);
  endpoint_ = server_->url();
  up_ = true;
  FleetOptions fleet_options;
  fleet_options.run_id = options_.run_id;
  fleet_options.run_dir = run_dir_;
  fleet_options.sfn_endpoint = endpoint_;
  fleet_options.region = options_.service.region;
  if (options_.latency_proxies) {
    routes_ = std::make_shared<LatencyRoutes>();
    traffic_ = routes_;
    fleet_options.traffic = traffic_;
  }
  if (options_.platform == FleetPlatform::kProcess) {
    fleet_ = make_process_fleet(std::move(fleet_options));
  } else {
    try {
      fleet_ = make_docker_fleet(std::move(fleet_options));
    } catch (const DockerError& error) {
      throw std::runtime_error("the docker fleet needs a Docker engine: " +
                               std::string(error.what()) + " (scripts/docker-engine starts one)");
    }
  }
  resolve_callers();
}

void LocalStack::resolve_callers() {
  auto candidates = [this] {
    std::vector<std::shared_ptr<Worker>> workers;
    const std::lock_guard lock(pools_mutex_);
    for (const auto& name : activity_pool_names_) {
      // The fleet knows a pool before its first worker starts (and polls).
      const auto pool = fleet_->pool(name);
      if (!pool) continue;
      for (auto& worker : pool->live_workers()) workers.push_back(std::move(worker));
    }
    return workers;
  };
  ConnectionOwners::Routes routes;
  if (routes_) {
    routes = [latency_routes = routes_](int client_port, int server_port) {
      return latency_routes->worker_of_upstream(static_cast<std::uint16_t>(client_port),
                                                static_cast<std::uint16_t>(server_port));
    };
  }
  owners_ = std::make_shared<ConnectionOwners>(std::move(candidates), std::move(routes));
  service_->set_worker_resolver([this, owners = owners_](const engine::CallerAddress& caller) {
    auto worker = owners->worker_of(caller.port, caller.server_port);
    // No owner because the poller has already hung up (stopped while its
    // poll waited for a server thread): no task for it, and no warning about
    // a worker faults cannot reach.
    if (worker.empty() && client_has_closed(caller.port, caller.server_port)) {
      return engine::kCallerGone;
    }
    // A worker that polls has started: its pool counts its death as no
    // failure to start (CrashLoopGuard).
    if (!worker.empty()) {
      if (const auto pool = pool_of_worker(worker)) pool->worker_served(worker);
    }
    return worker;
  });
}

std::shared_ptr<Pool> LocalStack::pool_of_worker(const std::string& worker_id) const {
  const std::lock_guard lock(pools_mutex_);
  for (const auto& name : activity_pool_names_) {
    // Worker ids are `<pool>-<n>`; the longest matching name wins ("a-b-1" of "a-b", not "a").
    if (worker_id.size() > name.size() + 1 && worker_id.starts_with(name + "-") &&
        worker_id.find('-', name.size() + 1) == std::string::npos && fleet_) {
      return fleet_->pool(name);
    }
  }
  return nullptr;
}

std::optional<std::string> LocalStack::failure() const {
  if (down_) return final_failure_;
  if (!up_ || !fleet_) return std::nullopt;
  std::vector<std::string> names;
  {
    const std::lock_guard lock(pools_mutex_);
    names = all_pool_names_;
  }
  for (const auto& name : names) {
    if (const auto pool = fleet_->pool(name)) {
      if (auto failure = pool->failure()) return failure;
    }
  }
  return std::nullopt;
}

void LocalStack::down() {
  if (!up_ || down_) {
    if (run_directory_) {
      // An `up` that failed before the engine served: leave no empty run directory.
      run_directory_.reset();
      remove_if_unused(run_dir_);
    }
    return;
  }
  // Kept for the verdict, which is judged after the stack is down.
  final_failure_ = failure();
  down_ = true;
  // The resolver refers to the fleet and routes released below; a resolution
  // already under way finds no pool names any more.
  service_->set_worker_resolver({});
  {
    const std::lock_guard lock(pools_mutex_);
    activity_pool_names_.clear();
  }
  // Workers first, while the engine can still record how their tasks ended;
  // then the engine, which wakes its long polls; the transport last.
  if (fleet_) fleet_->shutdown();
  service_->shutdown();
  server_->stop();
  // The pools' listeners call into the engine, so the fleet goes before it.
  fleet_.reset();
  owners_.reset();
  traffic_.reset();
  routes_.reset();
  server_.reset();
  service_.reset();
  // The run is over: its directory may be pruned by a later run.
  run_directory_.reset();
}

const std::string& LocalStack::endpoint() const {
  require_up("endpoint");
  return endpoint_;
}

aws::JsonClient LocalStack::client() const {
  require_up("client");
  aws::JsonClientOptions options;
  options.endpoint = endpoint_;
  return aws::JsonClient(std::move(options));
}

Fleet& LocalStack::fleet() {
  require_up("fleet");
  return *fleet_;
}

std::string LocalStack::create_activity(const std::string& name) {
  return client().call("CreateActivity", {{"name", name}})["activityArn"].get<std::string>();
}

std::shared_ptr<Pool> LocalStack::add_activity_pool(PoolSpec spec) {
  require_up("add_activity_pool");
  if (spec.kind != PoolKind::kActivity) {
    throw std::invalid_argument("add_activity_pool: pool '" + spec.name +
                                "' is not an activity pool");
  }
  if (spec.activity_arn.empty()) {
    throw std::invalid_argument("add_activity_pool: pool '" + spec.name +
                                "' needs an activity ARN (LocalStack::create_activity)");
  }
  // Named before the fleet starts the pool's workers: a worker polls as soon
  // as it runs, and its first poll must already be traced to it.
  const std::string name = spec.name;
  {
    const std::lock_guard lock(pools_mutex_);
    activity_pool_names_.push_back(name);
    all_pool_names_.push_back(name);
  }
  try {
    return fleet_->add_activity_pool(std::move(spec));
  } catch (...) {
    // Only the entry pushed above: a duplicate name's first pool stays.
    const std::lock_guard lock(pools_mutex_);
    const auto last = std::find(activity_pool_names_.rbegin(), activity_pool_names_.rend(), name);
    if (last != activity_pool_names_.rend()) activity_pool_names_.erase(std::next(last).base());
    throw;
  }
}

std::shared_ptr<Pool> LocalStack::add_function(const std::string& name, PoolSpec spec,
                                               std::chrono::milliseconds timeout, int concurrency) {
  require_up("add_function");
  spec.name = name;
  spec.kind = PoolKind::kFunction;
  auto pool = fleet_->add_function_pool(std::move(spec));
  {
    const std::lock_guard lock(pools_mutex_);
    all_pool_names_.push_back(name);
  }
  auto* service = service_.get();
  // A dead environment's invocation fails now rather than at the function timeout.
  pool->subscribe([service](const PoolEvent& event) {
    if (event.kind == PoolEvent::Kind::kDied) {
      service->environment_exited(event.worker_id, event.detail);
    }
  });
  engine::LocalFunctionConfig config;
  config.name = name;
  config.timeout = timeout;
  config.max_concurrency = concurrency;
  config.launch_environment = [pool](const std::string& runtime_api) {
    return pool->launch_environment(runtime_api)->id();
  };
  config.reset_environment = [pool](const std::string& environment_id) {
    if (auto worker = find_worker(*pool, environment_id)) worker->kill();
  };
  config.environment_served = [pool](const std::string& environment_id) {
    pool->worker_served(environment_id);
  };
  service_->register_function(std::move(config));
  return pool;
}

std::string LocalStack::function_arn(const std::string& name) const {
  return "arn:aws:lambda:" + options_.service.region + ":" + options_.service.account_id +
         ":function:" + name;
}

std::string LocalStack::deploy(const std::string& name, const std::string& definition) {
  return client()
      .call("CreateStateMachine",
            {{"name", name}, {"definition", definition}, {"roleArn", kRoleArn}})["stateMachineArn"]
      .get<std::string>();
}

void LocalStack::require_up(const char* what) const {
  if (!up_ || down_ || !fleet_) {
    throw std::logic_error(std::string("LocalStack::") + what + " needs a stack that is up");
  }
}

}  // namespace loveless::stacks
