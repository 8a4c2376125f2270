// The disposability zoo (docs/zoo.md): every behaviour of zoo-worker under
// each of four injectors, one scenario each, judged by no_local_state_reliance()
// alone. A flawed behaviour relies on local state and must fail the check
// (its scenarios are [!shouldfail]); a clean one must pass under every fault.
// A host-state one keeps state outside scratch, where only the stack decides
// (unknown on the process fleet, which fails its scenario as a gate must;
// nothing kept in a container's read-only root).
//
//   build/bin/zoo-scenarios --list
//   build/bin/zoo-scenarios --scenario "[zoo][kill]"
//   build/bin/zoo-scenarios --scenario "[stale-disk-cache]" -v
//   build/bin/zoo-scenarios --stack docker --scenario "[disposable]"
//
// Every scenario runs one worker (an activity pool of one replica, or a
// function of concurrency 1) and executions one at a time, more of them than
// there are inputs: warm tasks land on the worker that ran the earlier ones,
// which is what the flaws need to show; the runner's cold phase runs each
// task on a fresh worker. Tasks take ~150 ms (ZOO_TASK_MS), so a fault lands
// mid-task, and the workflows retry a broken task within a second or two.
#include <algorithm>
#include <array>
#include <cstddef>
#include <filesystem>
#include <string>
#include <utility>

#include <loveless/loveless.hpp>
#include <unistd.h>

namespace {

using loveless::scenario::Scenario;
using nlohmann::json;

/// kFaultRevealed: relies on local state that only a fault breaking a task
/// mid-way reveals (a retry that resumes from what the broken attempt kept):
/// `fail` under kill and restart, `pass` under wipe and disposable, which
/// break no task.
enum class Expected { kFlawed, kClean, kHostState, kFaultRevealed };
enum class Role { kActivity, kLambda };
/// What a behaviour's executions get.
enum class Inputs {
  /// Two versions of one document (same name, other content), three
  /// executions: v1, v2, then v2 (the warm phase's second round starts one
  /// input later).
  kVersions,
  /// The same two inputs, one execution each: the behaviour's own retry is
  /// the reuse that matters.
  kRetried,
  /// The files of data/ (read-only host data), three executions.
  kHostFiles,
};

struct Behaviour {
  const char* name;
  Expected expected;
  Role role;
  /// 1: the state Work; 2: First then Second, on the same pool.
  int steps;
  Inputs inputs;
  int line;
};

constexpr auto kFlawed = Expected::kFlawed;
constexpr auto kClean = Expected::kClean;
constexpr auto kHostState = Expected::kHostState;
constexpr auto kActivity = Role::kActivity;
constexpr auto kLambda = Role::kLambda;

// The expected verdict of each, and why, is written above its handler in
// src/flawed.cpp and src/clean.cpp.
constexpr std::array kBehaviours = {
    Behaviour{"stale-disk-cache", kFlawed, kActivity, 1, Inputs::kVersions, __LINE__},
    Behaviour{"stale-memory-cache", kFlawed, kLambda, 1, Inputs::kVersions, __LINE__},
    Behaviour{"lost-checkpoint-memory", kFlawed, kActivity, 1, Inputs::kRetried, __LINE__},
    Behaviour{"lost-checkpoint-disk", kFlawed, kLambda, 1, Inputs::kRetried, __LINE__},
    Behaviour{"resume-from-memory", Expected::kFaultRevealed, kActivity, 1, Inputs::kVersions,
              __LINE__},
    Behaviour{"scratch-handoff", kFlawed, kActivity, 2, Inputs::kVersions, __LINE__},
    Behaviour{"memory-handoff", kFlawed, kLambda, 2, Inputs::kVersions, __LINE__},
    Behaviour{"lock-file-excl", kFlawed, kActivity, 1, Inputs::kVersions, __LINE__},
    Behaviour{"done-marker-access", kFlawed, kLambda, 1, Inputs::kVersions, __LINE__},
    Behaviour{"idempotency-set", kFlawed, kActivity, 1, Inputs::kVersions, __LINE__},
    Behaviour{"counter-in-output", kFlawed, kLambda, 1, Inputs::kVersions, __LINE__},
    Behaviour{"scratch-listing", kFlawed, kActivity, 1, Inputs::kVersions, __LINE__},
    Behaviour{"literal-tmp-cache", kFlawed, kActivity, 1, Inputs::kVersions, __LINE__},
    Behaviour{"working-dir-cache", kHostState, kActivity, 1, Inputs::kVersions, __LINE__},
    Behaviour{"resize-tmp", kClean, kActivity, 1, Inputs::kVersions, __LINE__},
    Behaviour{"hash-validated-cache", kClean, kActivity, 1, Inputs::kVersions, __LINE__},
    Behaviour{"write-only-log", kClean, kLambda, 1, Inputs::kVersions, __LINE__},
    Behaviour{"durable-handoff", kClean, kActivity, 2, Inputs::kVersions, __LINE__},
    Behaviour{"read-only-data", kClean, kLambda, 1, Inputs::kHostFiles, __LINE__},
    Behaviour{"pure-memo", kClean, kActivity, 1, Inputs::kVersions, __LINE__},
    Behaviour{"temp-file-in-task", kClean, kLambda, 1, Inputs::kVersions, __LINE__},
    Behaviour{"clean-scratch-first", kClean, kActivity, 1, Inputs::kVersions, __LINE__},
    Behaviour{"global-from-env", kClean, kLambda, 1, Inputs::kVersions, __LINE__},
    Behaviour{"literal-tmp-scoped", kClean, kActivity, 1, Inputs::kVersions, __LINE__},
    Behaviour{"lazy-crc-table", kClean, kLambda, 1, Inputs::kVersions, __LINE__},
    Behaviour{"validated-checkpoint", kClean, kActivity, 1, Inputs::kRetried, __LINE__},
    Behaviour{"self-reporting", kClean, kActivity, 1, Inputs::kVersions, __LINE__},
};

/// The injectors each behaviour runs under, by tag.
enum class Fault { kKill, kRestart, kWipe, kDisposable };
constexpr std::array kFaults = {Fault::kKill, Fault::kRestart, Fault::kWipe, Fault::kDisposable};

const char* tag_of(Fault fault) {
  switch (fault) {
    case Fault::kKill:
      return "kill";
    case Fault::kRestart:
      return "restart";
    case Fault::kWipe:
      return "wipe";
    case Fault::kDisposable:
      return "disposable";
  }
  return "";
}

/// One task state of a zoo workflow. Its parameters are what every zoo
/// handler takes (scenarios/zoo/src/support.hpp). An activity task sends
/// heartbeats, so a killed worker's task times out after 1 s; every broken
/// task is retried 1 s later, except for the errors a retry cannot repair.
json task_state(Role role, const std::string& step) {
  json state = {
      {"Type", "Task"},
      {"Resource", "${ZooArn}"},
      {"Parameters",
       {{"step", step},
        {"input.$", "$"},
        {"attempt.$", "$$.State.RetryCount"},
        {"execution.$", "$$.Execution.Name"}}},
      {"TimeoutSeconds", 10},
      {"Retry", json::array({{{"ErrorEquals",
                               {"Zoo.InvalidInput", "Zoo.CheckpointMissing", "Zoo.HandoffMissing",
                                "Zoo.Locked"}},
                              {"MaxAttempts", 0}},
                             {{"ErrorEquals", {"States.TaskFailed", "States.Timeout"}},
                              {"IntervalSeconds", 1},
                              {"BackoffRate", 1},
                              {"MaxAttempts", 4}}})},
  };
  if (role == Role::kActivity) state["HeartbeatSeconds"] = 1;
  return state;
}

/// Work (End), or First (its output kept as `$.first`) then Second.
std::string zoo_definition(Role role, int steps) {
  json definition = {{"Comment", "A zoo workflow (docs/zoo.md)"}, {"TimeoutSeconds", 60}};
  if (steps == 1) {
    auto work = task_state(role, "work");
    work["End"] = true;
    definition["StartAt"] = "Work";
    definition["States"] = {{"Work", work}};
  } else {
    auto first = task_state(role, "first");
    first["ResultPath"] = "$.first";
    first["Next"] = "Second";
    auto second = task_state(role, "second");
    second["End"] = true;
    definition["StartAt"] = "First";
    definition["States"] = {{"First", first}, {"Second", second}};
  }
  return definition.dump(2);
}

void declare_zoo_scenario(Scenario& s, const Behaviour& behaviour, Fault fault, std::size_t index) {
  namespace dsl = loveless::scenario_definitions;
  using namespace std::chrono_literals;
  const bool lambda = behaviour.role == Role::kLambda;
  auto wf = s.workflow_text("zoo", zoo_definition(behaviour.role, behaviour.steps))
                .bind("ZooArn", lambda ? dsl::function_arn("zoo") : dsl::activity_arn("zoo"));
  auto pool = lambda ? s.function_pool("zoo") : s.activity_pool("zoo");
  pool.command(std::string("zoo-worker ") + behaviour.name)
      .image("loveless/zoo", "/zoo-worker-static")
      .env("ZOO_TASK_MS", "150")
      .env("LOVELESS_HEARTBEAT_INTERVAL_MS", "300")
      .env("ZOO_GREETING", "hello from the zoo")
      // Names this run's directory in the literal /tmp (literal-tmp-cache).
      .env("ZOO_RUN", std::to_string(::getpid()) + "-" + std::to_string(index));
  if (lambda) {
    pool.concurrency(1).timeout(5s);
  } else {
    pool.replicas(1);
  }
  s.durable_directory("store", "ZOO_STORE");

  auto executions = s.executions(wf);
  executions.concurrency(1);
  switch (behaviour.inputs) {
    case Inputs::kVersions:
    case Inputs::kRetried:
      executions.count(behaviour.inputs == Inputs::kRetried ? 2 : 3)
          .inputs({json{{"id", "v1"}, {"name", "report"}, {"content", "alpha beta gamma delta"}},
                   json{{"id", "v2"},
                        {"name", "report"},
                        {"content", "alpha beta gamma delta epsilon zeta eta"}}});
      break;
    case Inputs::kHostFiles: {
      // The files come from the host as read-only data (same path on
      // processes, /loveless/data/<n> in containers); inputs name them.
      // (Not inputs_from_dir: on docker an input directory is mounted at its
      // own path, which a checkout under /tmp cannot be.)
      const auto data = std::filesystem::path(__FILE__).parent_path() / "data";
      s.read_only_directory(data, "ZOO_DATA");
      std::vector<json> inputs;
      for (const auto& entry : std::filesystem::directory_iterator(data)) {
        inputs.push_back(
            {{"id", entry.path().stem().string()}, {"file", entry.path().filename().string()}});
      }
      std::sort(inputs.begin(), inputs.end(),
                [](const json& a, const json& b) { return a["id"] < b["id"]; });
      executions.count(3).inputs(std::move(inputs));
      break;
    }
  }

  switch (fault) {
    case Fault::kKill:
      s.inject(dsl::kill().on_task_started("zoo").after(50ms).at_most(1));
      break;
    case Fault::kRestart:
      s.inject(dsl::restart(300ms).on_task_started("zoo").after(50ms).at_most(1));
      break;
    case Fault::kWipe:
      s.inject(dsl::wipe_scratch().on_task_ended("zoo"));
      break;
    case Fault::kDisposable:
      s.inject(dsl::disposable());
      break;
  }
  s.check(dsl::no_local_state_reliance());
  s.deadline(90s);
}

template <std::size_t Index>
void zoo_scenario(Scenario& s) {
  declare_zoo_scenario(s, kBehaviours[Index / kFaults.size()], kFaults[Index % kFaults.size()],
                       Index);
}

/// Registers every (behaviour, fault) pair with the registrar LOVELESS_SCENARIO
/// uses, as `zoo: <behaviour> under <fault>` tagged
/// `[zoo][flawed|clean][<fault>][<behaviour>][activity|lambda]`.
class ZooRegistrar {
 public:
  template <std::size_t... Index>
  explicit ZooRegistrar(std::index_sequence<Index...> /*indices*/) noexcept {
    (add(Index, &zoo_scenario<Index>), ...);
  }

 private:
  static void add(std::size_t index, void (*body)(Scenario&)) noexcept {
    try {
      const auto& behaviour = kBehaviours[index / kFaults.size()];
      const std::string fault = tag_of(kFaults[index % kFaults.size()]);
      const auto breaks_tasks = kFaults[index % kFaults.size()] == Fault::kKill ||
                                kFaults[index % kFaults.size()] == Fault::kRestart;
      const bool flawed = behaviour.expected == Expected::kFlawed ||
                          (behaviour.expected == Expected::kFaultRevealed && breaks_tasks);
      const char* category = behaviour.expected == Expected::kFaultRevealed ? "fault-revealed"
                             : flawed                                       ? "flawed"
                             : behaviour.expected == Expected::kHostState   ? "host-state"
                                                                            : "clean";
      const std::string name = std::string("zoo: ") + behaviour.name + " under " + fault;
      std::string tags = std::string("[zoo][") + category + "][" + fault + "][" + behaviour.name +
                         "][" + (behaviour.role == Role::kLambda ? "lambda" : "activity") + "]";
      if (flawed) tags += "[!shouldfail]";
      const loveless::scenario::ScenarioRegistrar registrar(name.c_str(), tags.c_str(), __FILE__,
                                                            behaviour.line, body);
    } catch (...) {
      // Out of memory before main: the scenario is missing from --list, and
      // the zoo tests' scenario count says so.
    }
  }
};

const ZooRegistrar kZooScenarios{std::make_index_sequence<kBehaviours.size() * kFaults.size()>{}};

}  // namespace
