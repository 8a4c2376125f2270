#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loveless/aws/json_client.hpp"
#include "loveless/engine/http_server.hpp"
#include "loveless/engine/service.hpp"
#include "loveless/stacks/fleet.hpp"
#include "loveless/stacks/pool.hpp"
#include "loveless/stacks/runs_root.hpp"

namespace loveless::stacks {

class ConnectionOwners;
class LatencyRoutes;

/// Where a local stack's workers run.
enum class FleetPlatform {
  kProcess,  ///< local processes (`make_process_fleet`), the default
  kDocker,   ///< containers on the local Docker engine (`make_docker_fleet`)
};
/// `process` or `docker`.
std::string_view to_string(FleetPlatform platform);
/// The platform named `process` or `docker`; nullopt for anything else.
std::optional<FleetPlatform> parse_fleet_platform(std::string_view name);

/// Settings of a `LocalStack`.
struct LocalStackOptions {
  /// Identifies the run; empty: `run-<UTC yyyymmdd-hhmmss>-<pid>`.
  std::string run_id;
  /// Runs live in `<runs_root>/<run_id>`; empty: `default_runs_root()`
  /// (`$LOVELESS_RUNS_DIR`, else `$TMPDIR/loveless-runs-<uid>`). `up` refuses
  /// a root that is not safe (`secure_runs_root`).
  std::filesystem::path runs_root;
  /// Run directories `up` keeps in `runs_root`, this run's included (older
  /// ones are removed, `prune_runs`); nullopt: `kept_runs_from_environment()`.
  std::optional<std::size_t> kept_runs;
  /// The in-process engine's settings (ARN region and account, poll timeout, seed).
  engine::ServiceOptions service;
  /// The fleet the workers run on. Docker needs an engine on DOCKER_HOST (a
  /// unix socket) or /var/run/docker.sock, and pools with an image.
  FleetPlatform platform = FleetPlatform::kProcess;
  /// Routes every worker's traffic to the engine through a `LatencyProxy` of
  /// its own (`LatencyRoutes`), so `Worker::set_latency` works: one extra
  /// thread and loopback port per worker while it lives. Off: workers talk
  /// to the engine directly and do not support the latency primitive.
  bool latency_proxies = false;
};

/// The local stack: an in-process Step Functions engine served on
/// 127.0.0.1:<ephemeral port>, and a fleet whose workers reach it there
/// (activity workers poll it, Lambda environments talk to the Runtime API it
/// hosts, one 127.0.0.1 port per environment): a process fleet by default, or
/// a docker fleet (`LocalStackOptions::platform`), whose containers use the
/// host network and so reach the same 127.0.0.1 ports. Pools on the docker
/// fleet name an image (`PoolSpec::image`) and the binary inside it
/// (`PoolSpec::command`); on either fleet `PoolSpec::mounts` share host
/// directories with the workers (docs/stacks.md).
///
/// Each GetActivityTask is attributed to the activity worker whose process
/// made it (`ConnectionOwners`, installed as the engine's `WorkerResolver`),
/// so `ExecutionNotice::worker` is a fleet worker id even for a worker that
/// polls with a `workerName` of its own; a call no worker owns keeps its
/// `workerName`.
///
/// Life cycle: `up()`, then pools, functions and workflows, then `down()` (also
/// run by the destructor), which kills every worker and stops the server.
/// Thread-safety: set-up (`up`, `add_*`, `deploy`, `down`) from one thread;
/// `endpoint`, `client` and the engine's own calls from any.
class LocalStack {
 public:
  explicit LocalStack(LocalStackOptions options = {});
  ~LocalStack();
  LocalStack(const LocalStack&) = delete;
  LocalStack& operator=(const LocalStack&) = delete;

  /// First sweeps what earlier runs of this user left running (worker
  /// processes recorded under `runs_root`; on the docker platform, containers
  /// whose owner is gone: docs/stacks.md, "Crash recovery"), then starts the
  /// server and the fleet. Throws `std::runtime_error` when the
  /// server cannot bind, the run directory cannot be created or (docker
  /// platform) no Docker engine answers; `std::logic_error` when called twice.
  void up();
  /// Kills every worker, stops the engine and the server. Idempotent.
  void down();
  /// Lines for the run's console from `up`: what its sweep ended (`swept 3
  /// worker processes left by an earlier run (pid 4242, ...)`); empty when
  /// nothing was left.
  [[nodiscard]] const std::vector<std::string>& startup_notes() const noexcept {
    return startup_notes_;
  }

  /// `http://127.0.0.1:<port>` (valid after `up`).
  [[nodiscard]] const std::string& endpoint() const;
  [[nodiscard]] const std::string& run_id() const noexcept { return options_.run_id; }
  /// `<runs_root>/<run_id>`: worker logs, scratch directories, pid files.
  /// Workers may see it only through their scratch and `PoolSpec::mounts`.
  [[nodiscard]] const std::filesystem::path& run_dir() const noexcept { return run_dir_; }
  /// A new client of the engine (one per thread, as `aws::JsonClient` requires).
  [[nodiscard]] aws::JsonClient client() const;
  [[nodiscard]] engine::StepFunctionsService& service() { return *service_; }
  [[nodiscard]] Fleet& fleet();
  /// The per-worker routes (`LatencyRoutes`) when `latency_proxies` is on,
  /// else null. Valid after `up` until `down`.
  [[nodiscard]] WorkerTraffic* traffic() const noexcept { return traffic_.get(); }

  /// The first pool's `Pool::failure` (a pool whose workers keep dying at
  /// start), or nothing; a scenario run on this stack stops with it. After
  /// `down`, the failure there was when it went down.
  [[nodiscard]] std::optional<std::string> failure() const;

  /// CreateActivity; returns the activity ARN.
  std::string create_activity(const std::string& name);
  /// Starts an activity pool; `spec.kind` must be kActivity and
  /// `spec.activity_arn` set (see `create_activity`). Throws
  /// `std::invalid_argument` otherwise.
  std::shared_ptr<Pool> add_activity_pool(PoolSpec spec);
  /// Hosts a Lambda function named `name` whose environments are workers of a
  /// new function pool (`spec.name` and `spec.kind` are set here): the engine
  /// launches environments on demand, at most `concurrency` at once, and fails
  /// an invocation whose environment dies. `timeout` is the function timeout.
  /// Returns the pool; the function's ARN is `function_arn(name)`.
  std::shared_ptr<Pool> add_function(const std::string& name, PoolSpec spec,
                                     std::chrono::milliseconds timeout, int concurrency);
  /// `arn:aws:lambda:<region>:<account>:function:<name>`.
  [[nodiscard]] std::string function_arn(const std::string& name) const;
  /// CreateStateMachine (STANDARD); returns its ARN. Throws `aws::AwsError`
  /// (`InvalidDefinition`, ...) as the engine answers.
  std::string deploy(const std::string& name, const std::string& definition);

 private:
  void require_up(const char* what) const;
  /// Installs `owners_` as the engine's worker resolver.
  void resolve_callers();
  /// The activity pool whose worker `worker_id` is, or null.
  [[nodiscard]] std::shared_ptr<Pool> pool_of_worker(const std::string& worker_id) const;

  LocalStackOptions options_;
  std::filesystem::path run_dir_;
  /// Held from `up` to `down`: marks the run directory as a live run's.
  std::optional<RunDirectory> run_directory_;
  std::unique_ptr<engine::StepFunctionsService> service_;
  std::unique_ptr<engine::HttpServer> server_;
  std::shared_ptr<WorkerTraffic> traffic_;
  std::shared_ptr<LatencyRoutes> routes_;
  std::unique_ptr<Fleet> fleet_;
  /// The activity pools' names, whose live workers `owners_` looks through
  /// (`Fleet::pool`); emptied when the stack goes down.
  mutable std::mutex pools_mutex_;
  std::vector<std::string> activity_pool_names_;
  std::vector<std::string> all_pool_names_;  ///< activity and function pools
  std::shared_ptr<ConnectionOwners> owners_;
  std::string endpoint_;
  std::vector<std::string> startup_notes_;
  std::optional<std::string> final_failure_;  ///< `failure()` when it went down
  bool up_ = false;
  bool down_ = false;
};

}  // namespace loveless::stacks
