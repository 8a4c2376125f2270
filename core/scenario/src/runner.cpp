#include "loveless/scenario/runner.hpp"

#include <algorithm>
#include <future>
#include <iomanip>
#include <mutex>
#include <set>
#include <system_error>

#include "loveless/asl/definition_substitutions.hpp"
#include "loveless/history/task_derivation.hpp"
#include "loveless/injectors/fault_types.hpp"
#include "loveless/scenario/detail/call_pacer.hpp"
#include "loveless/scenario/detail/resolved_scenario.hpp"
#include "loveless/scenario/host_file_audit.hpp"
#include "loveless/scenario/scratch_audit.hpp"

#include "distributed_map_notes.hpp"
#include "execution_tracker.hpp"
#include "history_collector.hpp"
#include "nemesis.hpp"
#include "worker_name_notes.hpp"
#include "workflow_order.hpp"
#include "working_directory_note.hpp"
#include "workload_runner.hpp"

namespace loveless::scenario {
namespace {

using SteadyClock = std::chrono::steady_clock;

/// How long a warm worker retired before the cold phase may take to exit.
constexpr std::chrono::milliseconds kColdGrace{500};
/// Inputs the cold phase runs twice at least (cold_replicates).
constexpr std::size_t kColdReplicatedInputs = 3;
/// Inputs the control phase runs again on warm workers when the scenario's
/// executions would run none twice (warm_repeats).
constexpr std::size_t kWarmRepeatedInputs = 3;

std::string join(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += "\n  - " + line;
  return text;
}

/// Brings the stack down however the run ends.
class StackSession {
 public:
  explicit StackSession(ScenarioStack& stack) : stack_(stack) { stack_.up(); }
  ~StackSession() { stack_.down(); }
  StackSession(const StackSession&) = delete;
  StackSession& operator=(const StackSession&) = delete;

 private:
  ScenarioStack& stack_;
};

/// Feeds the engine's notices to the tracker while it lives: the notices
/// stop before the tracker and its sinks are destroyed.
class ObservationScope {
 public:
  ObservationScope(ScenarioStack& stack, detail::ExecutionTracker& tracker)
      : stack_(stack), live_(stack.observe([&tracker](const notices::ExecutionNotice& notice) {
          tracker.on_notice(notice);
        })) {}
  ~ObservationScope() { stack_.stop_observing(); }
  ObservationScope(const ObservationScope&) = delete;
  ObservationScope& operator=(const ObservationScope&) = delete;
  [[nodiscard]] bool live() const { return live_; }

 private:
  ScenarioStack& stack_;
  bool live_;
};

/// The deployed scenario: pools by name and the resources they serve.
struct Deployment {
  std::vector<std::shared_ptr<stacks::Pool>> pools;
  std::map<std::string, std::string> pool_of_resource;
  std::map<std::string, std::string> activity_arns;
  std::string state_machine_arn;
  /// State machine name -> the scenario's workflow deployed as it.
  std::map<std::string, std::string> workflow_of_state_machine;
};

class ScenarioRun {
 public:
  ScenarioRun(const ScenarioSpec& spec, ScenarioStack& stack, const RunOptions& options,
              detail::ResolvedScenario resolved)
      : spec_(spec), stack_(stack), options_(options), resolved_(std::move(resolved)) {}

  RunResult run() {
    RunResult result;
    auto& history = result.history;
    history.scenario = spec_.name;
    history.stack = std::string(stack_.name());
    history.seed = options_.seed;
    const auto deadline = SteadyClock::now() + spec_.deadline;
    {
      std::set<stacks::Primitive> primitives;
      for (const auto& injector : spec_.injectors) {
        const auto& needed = injectors::fault_definition(injector.fault).primitives;
        primitives.insert(needed.begin(), needed.end());
      }
      stack_.prepare(primitives);
      StackSession session(stack_);
      history.run_id = stack_.run_id();
      say("scenario \"" + spec_.name + "\" on the " + history.stack + " stack, seed " +
          std::to_string(options_.seed) + ", run directory " + stack_.run_dir().string());
      for (const auto& line : stack_.startup_notes()) say(line);
      say_distributed_map_notes();
      start_audit(history);
      start_host_file_audit();
      deploy_or_explain();

      detail::Nemesis nemesis(spec_.injectors, options_.seed, deployment_.pools, options_.console,
                              options_.verbose, options_.observer);
      // The cold phase's own nemesis: it disposes of every activity worker
      // after its one task. Each nemesis acts only while its phase runs.
      detail::Nemesis cold_disposer(cold_disposers(), options_.seed, deployment_.pools,
                                    options_.console, options_.verbose, options_.observer);
      const auto retire = [this](const std::string& worker) { stack_.retire_worker(worker); };
      nemesis.retire_with(retire);
      cold_disposer.retire_with(retire);
      detail::WorkloadRunner workload(stack_, options_.interrupted, options_.console);
      detail::ExecutionTracker tracker(
          deployment_.pool_of_resource,
          [&nemesis, &cold_disposer](const injectors::TriggerEvent& event) {
            cold_disposer.post(event);
            nemesis.post(event);
          },
          [&workload](const std::string& arn) { workload.closed(arn); }, options_.observer);
      ObservationScope observation(stack_, tracker);
      workload.use_live_notices(observation.live());

      std::vector<detail::StartedExecution> started;
      run_phase(history::Phase::kControl, workload, nullptr, deadline, history, started);
      // Before any fault (the cold phase's disposals included): a worker
      // faults cannot reach is said loudly.
      detail::WorkerNameNotes worker_names(deployment_.pools);
      for (const auto& line : worker_names.take(tracker)) say(line);
      if (needs_cold_phase() && !interrupted() && !aborted()) {
        run_cold_phase(workload, cold_disposer, deadline, history, started);
      }
      if (!interrupted() && !aborted()) {
        run_phase(history::Phase::kChaos, workload, &nemesis, deadline, history, started);
      }
      for (const auto& line : worker_names.take(tracker)) say(line);
      nemesis.stop_and_heal();
      cold_disposer.stop_and_heal();
      history.partial = interrupted() || aborted() || workload.cut_short();

      say("collecting the history of " + std::to_string(started.size()) + " executions");
      collect(history, started, tracker, {&cold_disposer, &nemesis});
    }
    say("run files kept in " + stack_.run_dir().string());
    for (const auto& check : spec_.checks)
      result.verdicts.push_back(checks::judge(*check, history));
    if (const auto reason = stack_.stop_reason()) {
      // Not a check of the history but the stack's guard rail: it fails the
      // scenario whatever the checks say ([!shouldfail] included).
      result.verdicts.push_back({"stop conditions",
                                 checks::Outcome::kFail,
                                 "the run was aborted: " + *reason,
                                 {},
                                 nlohmann::json::object(),
                                 {history::Phase::kChaos}});
      result.passed = false;
      return result;
    }
    result.passed = passed(result.verdicts);
    return result;
  }

 private:
  /// The stack's stop condition tripped (aws guard rails).
  [[nodiscard]] bool aborted() const { return stack_.stop_reason().has_value(); }

  [[nodiscard]] bool interrupted() const {
    return options_.interrupted != nullptr && options_.interrupted->load();
  }

  /// Calls a hook of the observer, if any; what it throws is dropped.
  template <typename Hook>
  void observe(const Hook& hook) const {
    if (options_.observer == nullptr) return;
    try {
      hook(*options_.observer);
    } catch (...) {
    }
  }

  void say(const std::string& line) const {
    if (options_.console != nullptr) *options_.console << line << "\n" << std::flush;
  }

  [[nodiscard]] bool passed(const std::vector<checks::Verdict>& verdicts) const {
    bool all_pass = true;
    bool any_fail = false;
    for (const auto& verdict : verdicts) {
      all_pass = all_pass && verdict.outcome == checks::Outcome::kPass;
      any_fail = any_fail || verdict.outcome == checks::Outcome::kFail;
    }
    return spec_.should_fail() ? any_fail : all_pass;
  }

  [[nodiscard]] bool needs_cold_phase() const {
    return std::any_of(spec_.checks.begin(), spec_.checks.end(),
                       [](const checks::CheckPtr& check) { return check->needs_cold_phase(); });
  }

  /// disposable() on every activity pool: the cold phase's worker after
  /// every task. Function pools need none: the engine itself discards a
  /// Lambda environment after its one invocation (single-use workers).
  [[nodiscard]] std::vector<injectors::InjectorSpec> cold_disposers() const {
    std::vector<injectors::InjectorSpec> disposers;
    for (const auto& pool : spec_.pools) {
      if (!pool.function) disposers.push_back(injectors::disposable(pool.name).spec());
    }
    return disposers;
  }

  /// The cold phase (docs/checks.md, no_local_state_reliance): the control
  /// phase's inputs again, without faults, every task on a fresh worker with
  /// empty scratch. The warm workers go first; from then on the engine gives
  /// each worker one task (single-use) and the disposer replaces it.
  void run_cold_phase(detail::WorkloadRunner& workload, detail::Nemesis& disposer,
                      SteadyClock::time_point deadline, history::History& history,
                      std::vector<detail::StartedExecution>& started) {
    if (!stack_.set_single_use_workers(true)) {
      say("no cold phase: the " + history.stack +
          " stack cannot run every task on a fresh worker; no_local_state_reliance will be "
          "unknown (run it on the process or docker stack)");
      return;
    }
    retire_warm_workers();
    // Again, now that the warm workers are gone: the engine answers the polls
    // they left behind, so no cold task goes to a dead worker's poll.
    stack_.set_single_use_workers(true);
    run_phase(history::Phase::kCold, workload, &disposer, deadline, history, started);
    stack_.set_single_use_workers(false);
  }

  /// Stops every live activity worker at once and waits for them to exit;
  /// their pools replace them with fresh ones.
  void retire_warm_workers() {
    std::vector<std::future<void>> stops;
    for (const auto& pool : deployment_.pools) {
      if (pool->spec().kind != stacks::PoolKind::kActivity) continue;
      for (const auto& worker : pool->live_workers()) {
        stops.push_back(std::async(std::launch::async, [worker] {
          try {
            worker->stop(kColdGrace);
          } catch (const std::exception&) {  // NOLINT(bugprone-empty-catch): it died meanwhile
          }
        }));
      }
    }
    for (auto& stop : stops) stop.wait();
  }

  void start_audit(history::History& history) {
    if (!stack_.audits_scratch()) return;
    try {
      audit_ = std::make_unique<ScratchAudit>();
      history.scratch_audited = true;
    } catch (const std::system_error& e) {
      say(std::string("warning: no scratch audit (") + e.what() +
          "); no_local_state_reliance will be unknown");
    }
  }

  /// Files process workers leave outside their scratch outlive them, so the
  /// cold phase's fresh workers would find them: with a cold phase on the
  /// process stack, fanotify records them (docs/checks.md, "State outside
  /// scratch"). Containers and AWS give each worker a file system of its own.
  /// Started before the pools, so it sees their workers' first tasks.
  void start_host_file_audit() {
    if (!needs_cold_phase() || stack_.name() != "process") return;
    // The run directory holds every scratch and durable directory; the
    // read-only data and inputs are the pools' other mounts.
    std::vector<std::filesystem::path> excluded = {stack_.run_dir()};
    if (!resolved_.input_dir.empty()) excluded.push_back(resolved_.input_dir);
    for (const auto& data : spec_.read_only_directories) excluded.push_back(data.host_path);
    try {
      host_audit_ = std::make_unique<HostFileAudit>(
          [this](int pid) -> std::string {
            const std::lock_guard lock(pools_mutex_);
            for (const auto& pool : deployment_.pools) {
              for (const auto& worker : pool->workers()) {
                if (worker->owns_process(pid)) return worker->id();
              }
            }
            return "";
          },
          std::move(excluded));
    } catch (const std::system_error& e) {
      say(std::string("note: files workers write outside their scratch are not audited (") +
          e.what() + "); no_local_state_reliance cannot tell if the cold phase found them");
    }
  }

  /// The disposability check cannot count coverage inside a distributed
  /// Map's child executions: say so before the run, not only in the verdict.
  void say_distributed_map_notes() {
    if (!needs_cold_phase()) return;
    for (const auto& workflow : resolved_.workflows) {
      const auto document =
          nlohmann::json::parse(workflow.definition_template, nullptr, /*allow_exceptions=*/false);
      const auto note = detail::distributed_map_note(workflow.spec->name,
                                                     detail::distributed_map_states(document));
      if (!note.empty()) say(note);
    }
  }

  void watch(const std::string& worker) {
    if (!audit_) return;
    try {
      audit_->watch(worker, stack_.run_dir() / "scratch" / worker);
    } catch (const std::exception& e) {
      say("warning: cannot audit the scratch of " + worker + ": " + e.what());
    }
  }

  stacks::PoolSpec pool_spec(std::size_t index) {
    const auto& declared = spec_.pools[index];
    stacks::PoolSpec pool;
    pool.name = declared.name;
    pool.kind = declared.function ? stacks::PoolKind::kFunction : stacks::PoolKind::kActivity;
    pool.command = resolved_.commands.at(index);
    pool.image = declared.image;
    pool.replicas = declared.replicas;
    pool.replacement_delay = declared.replacement_delay;
    pool.environment = declared.environment;
    for (const auto& directory : spec_.directories) {
      const auto path = stack_.run_dir() / directory.name;
      std::filesystem::create_directories(path);
      // In a container the run directory (often under /tmp, which is the
      // container's scratch) is not visible: it is mounted at /loveless/<name>.
      const auto seen_at =
          stack_.runs_images() ? std::filesystem::path("/loveless") / directory.name : path;
      pool.environment[directory.environment_variable] = seen_at.string();
      pool.mounts.push_back({path, seen_at, false});
    }
    if (!resolved_.input_dir.empty()) {
      pool.mounts.push_back({resolved_.input_dir, resolved_.input_dir, true});
    }
    for (std::size_t n = 0; n < spec_.read_only_directories.size(); ++n) {
      const auto& data = spec_.read_only_directories[n];
      // In a container at a path of its own: the host path may be under /tmp.
      const auto seen_at = stack_.runs_images()
                               ? std::filesystem::path("/loveless/data") / std::to_string(n)
                               : data.host_path;
      pool.environment[data.environment_variable] = seen_at.string();
      // The input directory may be this very directory: mounted once.
      const bool mounted = std::any_of(pool.mounts.begin(), pool.mounts.end(), [&](const auto& m) {
        return m.host_path == data.host_path && m.container_path == seen_at && m.read_only;
      });
      if (!mounted) pool.mounts.push_back({data.host_path, seen_at, true});
    }
    // Said once, before any worker starts (the process fleet falling back to
    // the host's /tmp).
    if (index == 0) {
      const auto warnings = stack_.pool_warnings();
      for (const auto& warning : warnings) say("warning: " + warning);
      // With no warning the process fleet gives each worker a private /tmp.
      if (warnings.empty() && stack_.name() == "process") {
        if (const auto hidden = hidden_working_directory()) say("warning: " + *hidden);
      }
    }
    return pool;
  }

  /// `detail::hidden_working_directory_warning` for this run: the
  /// read-only directories and the input directory are what workers see.
  [[nodiscard]] std::optional<std::string> hidden_working_directory() const {
    std::error_code error;
    const auto cwd = std::filesystem::canonical(std::filesystem::current_path(error), error);
    if (error) return std::nullopt;
    // Only a pool that names a file relative to it depends on it by path
    // (a compiled worker started by its absolute path does not).
    const bool relative_file =
        std::any_of(spec_.pools.begin(), spec_.pools.end(), [&](const auto& p) {
          return std::any_of(p.command.begin(), p.command.end(), [&](const std::string& argument) {
            std::error_code missing;
            return !argument.empty() && argument.front() != '/' &&
                   std::filesystem::is_regular_file(cwd / argument, missing);
          });
        });
    if (!relative_file) return std::nullopt;
    std::vector<std::filesystem::path> visible;
    for (const auto& data : spec_.read_only_directories) {
      visible.push_back(std::filesystem::weakly_canonical(data.host_path, error));
    }
    if (!resolved_.input_dir.empty()) {
      visible.push_back(std::filesystem::weakly_canonical(resolved_.input_dir, error));
    }
    return detail::hidden_working_directory_warning(cwd, visible);
  }

  // A pool the fleet cannot start (no image, no engine) is the stack's
  // problem (exit 3); a workflow the orchestrator refuses is the scenario's (exit 2).
  void deploy_or_explain() {
    try {
      deploy();
    } catch (const aws::AwsError& e) {
      throw InvalidScenario({std::string("the stack refused a workflow: ") + e.what()});
    } catch (const InvalidScenario&) {
      throw;
    } catch (const std::exception& e) {
      throw StackUnavailable(std::string("cannot deploy the scenario's pools: ") + e.what());
    }
  }

  void deploy() {
    for (std::size_t i = 0; i < spec_.pools.size(); ++i) {
      const auto& declared = spec_.pools[i];
      auto pool = pool_spec(i);
      std::shared_ptr<stacks::Pool> added;
      if (declared.function) {
        added = stack_.add_function(declared.name, std::move(pool), declared.timeout,
                                    declared.concurrency);
        deployment_.pool_of_resource[stack_.function_arn(declared.name)] = declared.name;
        deployment_.pool_of_resource[declared.name] = declared.name;
      } else {
        const auto arn = stack_.create_activity(declared.name);
        pool.activity_arn = arn;
        added = stack_.add_activity_pool(std::move(pool));
        deployment_.activity_arns[declared.name] = arn;
        deployment_.pool_of_resource[arn] = declared.name;
      }
      // New workers (replacements, Lambda environments) are audited from
      // their start; the scratch directory's path is the fleets' convention.
      added->subscribe([this](const stacks::PoolEvent& event) {
        if (event.kind != stacks::PoolEvent::Kind::kStarted) return;
        watch(event.worker_id);
        if (host_audit_) host_audit_->forget_unknown_processes();
      });
      for (const auto& worker : added->workers()) watch(worker->id());
      const std::lock_guard lock(pools_mutex_);
      deployment_.pools.push_back(std::move(added));
      if (host_audit_) host_audit_->forget_unknown_processes();
    }
    // A workflow that starts another (state_machine_arn) is deployed after it;
    // validation has refused cycles.
    std::map<std::string, std::string> state_machine_arns;
    for (const auto index : detail::deployment_order(resolved_.workflows).order) {
      const auto& workflow = resolved_.workflows[index];
      std::map<std::string, std::string> values;
      for (const auto& [placeholder, resource] : workflow.spec->substitutions) {
        switch (resource.kind) {
          case ResourceRef::Kind::kActivity:
            values[placeholder] = deployment_.activity_arns.at(resource.name);
            break;
          case ResourceRef::Kind::kFunction:
            values[placeholder] = stack_.function_arn(resource.name);
            break;
          case ResourceRef::Kind::kStateMachine:
            values[placeholder] = state_machine_arns.at(resource.name);
            break;
        }
      }
      const auto arn = stack_.deploy(
          workflow.spec->name, asl::substitute_placeholders(workflow.definition_template, values));
      state_machine_arns[workflow.spec->name] = arn;
      deployment_.workflow_of_state_machine[arn.substr(arn.rfind(':') + 1)] = workflow.spec->name;
      if (workflow.spec->name == spec_.workload->workflow) deployment_.state_machine_arn = arn;
    }
  }

  /// The cold phase runs the inputs the control phase ran, and the first
  /// kColdReplicatedInputs of them at least twice: where two cold runs of one
  /// input differ, nothing a worker kept explains it, which tells
  /// no_local_state_reliance the values that vary by themselves (a duration,
  /// a process id) from state, for every input (docs/checks.md). A few
  /// replicated inputs find such places; replicating every one would double
  /// the phase's worker starts.
  static void cold_replicates(detail::PhasePlan& plan) {
    const auto distinct =
        std::min(static_cast<std::size_t>(std::max(plan.count, 0)), plan.inputs->size());
    plan.input_cycle = distinct;
    plan.count = std::max(plan.count,
                          static_cast<int>(distinct + std::min(distinct, kColdReplicatedInputs)));
  }

  /// When no input would run twice warm (no more executions than inputs),
  /// the control phase of a scenario judged by no_local_state_reliance runs
  /// the first kWarmRepeatedInputs of the inputs it ran once more, on the
  /// workers that ran them: state kept per input (an idempotency set, a
  /// cache keyed by the input) changes an outcome only when the same input
  /// comes back to the same worker, as a retried or redelivered message
  /// would. Returns how many were added.
  static int warm_repeats(detail::PhasePlan& plan) {
    const auto distinct =
        std::min(static_cast<std::size_t>(std::max(plan.count, 0)), plan.inputs->size());
    if (distinct == 0 || static_cast<std::size_t>(plan.count) > plan.inputs->size()) return 0;
    const auto added = static_cast<int>(std::min(distinct, kWarmRepeatedInputs));
    plan.input_cycle = distinct;
    plan.count += added;
    return added;
  }

  void run_phase(history::Phase phase, detail::WorkloadRunner& workload, detail::Nemesis* nemesis,
                 SteadyClock::time_point deadline, history::History& history,
                 std::vector<detail::StartedExecution>& started) {
    const auto& workload_spec = *spec_.workload;
    detail::PhasePlan plan;
    plan.phase = phase;
    plan.workflow = workload_spec.workflow;
    plan.state_machine_arn = deployment_.state_machine_arn;
    plan.inputs = &resolved_.inputs;
    plan.count = options_.executions.value_or(workload_spec.count);
    if (phase == history::Phase::kCold) cold_replicates(plan);
    plan.rotate_rounds = phase == history::Phase::kControl && needs_cold_phase();
    // Only where a cold phase can follow (asking to turn single-use workers
    // off, as they are, says whether the stack has them): on aws the verdict
    // is unknown anyway, and executions cost money.
    const int repeated =
        plan.rotate_rounds && stack_.set_single_use_workers(false) ? warm_repeats(plan) : 0;
    plan.concurrency = workload_spec.concurrency;
    plan.rate = workload_spec.rate;
    if (phase == history::Phase::kChaos)
      plan.duration = options_.duration ? options_.duration : workload_spec.duration;
    plan.deadline = deadline;
    const std::string faults_text =
        phase == history::Phase::kChaos
            ? ", " + std::to_string(spec_.injectors.size()) + " injectors"
        : phase == history::Phase::kCold ? ", no faults, every task on a fresh worker"
                                         : ", no faults";
    const std::string repeats_text =
        repeated == 0 ? ""
                      : " (" + std::to_string(plan.count - repeated) + " as declared, then " +
                            std::to_string(repeated) +
                            " of their inputs again on warm workers, for no local-state reliance)";
    say(std::string(to_string(phase)) + " phase: " +
        (plan.duration ? "executions for " + std::to_string(plan.duration->count()) + " ms"
                       : std::to_string(plan.count) + " executions") +
        repeats_text + ", " + std::to_string(plan.concurrency) + " at a time" + faults_text);
    history::PhaseWindow window;
    window.phase = phase;
    window.start = std::chrono::system_clock::now();
    if (nemesis != nullptr) nemesis->start(window.start);
    observe([phase](history::RunObserver& observer) { observer.phase_started(phase); });
    std::function<std::string()> faults;
    if (nemesis != nullptr && phase == history::Phase::kChaos) {
      faults = [nemesis] { return std::to_string(nemesis->fault_count()) + " faults"; };
    }
    auto phase_executions = workload.run(plan, faults);
    if (nemesis != nullptr) nemesis->stop_and_heal();
    window.end = std::chrono::system_clock::now();
    observe([phase](history::RunObserver& observer) { observer.phase_ended(phase); });
    history.phases.push_back(window);
    for (auto& execution : phase_executions) started.push_back(std::move(execution));
  }

  /// `nemeses` in the order their phases ran: their faults are numbered
  /// again in that order, one sequence for the run.
  void collect(history::History& history, const std::vector<detail::StartedExecution>& started,
               const detail::ExecutionTracker& tracker,
               std::initializer_list<const detail::Nemesis*> nemeses) {
    auto client = stack_.client();
    history::TaskContext context;
    context.pool_of_resource = deployment_.pool_of_resource;
    context.task_workers = tracker.task_workers();
    // Two calls an execution (DescribeExecution, a first history page).
    detail::CallPacer pacer(stack_.history_calls_per_second() / 2);
    std::set<std::string> children_seen;
    for (const auto& execution : started) {
      pacer.wait();
      history.executions.push_back(detail::collect_execution(client, execution));
      auto tasks = history::derive_tasks(history.executions.back(), context);
      for (auto& task : tasks) history.tasks.push_back(std::move(task));
      // Executions it started (states:startExecution): their tasks are the
      // workload's too, on the same pools.
      for (auto& child : detail::collect_children(client, history.executions.back(),
                                                  deployment_.workflow_of_state_machine,
                                                  children_seen, [&pacer] { pacer.wait(); })) {
        for (auto& task : history::derive_tasks(child, context)) {
          history.tasks.push_back(std::move(task));
        }
        history.child_executions.push_back(std::move(child));
      }
    }
    for (const auto* nemesis : nemeses) {
      for (auto& fault : nemesis->faults()) {
        fault.id = history.faults.size() + 1;
        history.faults.push_back(std::move(fault));
      }
    }
    for (const auto& pool : deployment_.pools) {
      for (const auto& event : pool->events()) {
        history.worker_events.push_back({event.at, std::string(stacks::to_string(event.kind)),
                                         event.pool, event.worker_id, event.detail});
      }
    }
    std::stable_sort(
        history.worker_events.begin(), history.worker_events.end(),
        [](const history::WorkerEvent& a, const history::WorkerEvent& b) { return a.at < b.at; });
    if (host_audit_) {
      history.host_file_accesses = host_audit_->take();
      history.host_files_audited = host_audit_->dropped() == 0;
      if (host_audit_->dropped() > 0) {
        say("warning: the host file audit lost events: its fanotify queue overflowed " +
            std::to_string(host_audit_->dropped()) + " times");
      }
    }
    if (audit_) {
      history.scratch_accesses = audit_->take();
      if (audit_->dropped() > 0) {
        say("warning: the scratch audit lost " + std::to_string(audit_->dropped()) +
            " events (inotify queue overflow)");
      }
    }
  }

  const ScenarioSpec& spec_;
  ScenarioStack& stack_;
  const RunOptions& options_;
  detail::ResolvedScenario resolved_;
  Deployment deployment_;
  std::unique_ptr<ScratchAudit> audit_;
  // After deployment_: its thread asks the pools who owns a process, under
  // pools_mutex_ while deployment adds them.
  std::mutex pools_mutex_;
  std::unique_ptr<HostFileAudit> host_audit_;
};

}  // namespace

InvalidScenario::InvalidScenario(std::vector<std::string> problems)
    : std::runtime_error("invalid scenario:" + join(problems)), problems_(std::move(problems)) {}

RunResult run_scenario(const ScenarioSpec& spec, ScenarioStack& stack, const RunOptions& options) {
  auto problems = validate(spec, stack, options);
  if (!problems.empty()) throw InvalidScenario(std::move(problems));
  return ScenarioRun(spec, stack, options,
                     detail::resolve(spec, options.binary_dir, detail::command_use(stack)))
      .run();
}

}  // namespace loveless::scenario
