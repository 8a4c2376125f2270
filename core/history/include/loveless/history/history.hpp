#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace loveless::history {

/// Wall-clock time, as Step Functions timestamps its history events.
using TimePoint = std::chrono::system_clock::time_point;

/// Control: no faults, warm reused workers. Chaos: the same inputs with faults
/// on. Cold: the same inputs as control, no faults, every task on a fresh
/// worker with empty scratch (run when a check needs it, between control and
/// chaos; docs/checks.md, "no_local_state_reliance").
enum class Phase { kControl, kChaos, kCold };
/// `control`, `chaos`, `cold`.
std::string_view to_string(Phase phase);
/// The phase `to_string` names `name`; nullopt for any other text.
std::optional<Phase> phase_named(std::string_view name);

/// One execution as the runner saw it: what it started, how it ended, and its
/// history as GetExecutionHistory returned it.
struct ExecutionRecord {
  Phase phase = Phase::kControl;
  /// Position of the input in the scenario's input list; the control and
  /// chaos executions of one input share it.
  std::size_t input_index = 0;
  /// The workflow's name in the scenario.
  std::string workflow;
  std::string name;
  std::string arn;
  nlohmann::json input;
  /// SUCCEEDED, FAILED, TIMED_OUT or ABORTED; RUNNING when the run's deadline
  /// passed first; NOT_STARTED when StartExecution itself failed (see `error`).
  std::string status;
  /// The output when SUCCEEDED (parsed JSON), else null.
  nlohmann::json output;
  std::string error;
  std::string cause;
  TimePoint start{};
  std::optional<TimePoint> stop;
  /// The history events in the API's shape (`{"id", "previousEventId",
  /// "timestamp", "type", "<xxx>EventDetails"}`), oldest first.
  std::vector<nlohmann::json> events;

  [[nodiscard]] bool succeeded() const { return status == "SUCCEEDED"; }
  /// stop - start, or nullopt while it has no stop.
  [[nodiscard]] std::optional<std::chrono::milliseconds> duration() const;
};

/// How a task ended.
enum class TaskOutcome { kOpen, kSucceeded, kFailed, kTimedOut };
/// `open`, `succeeded`, `failed`, `timed-out`.
std::string_view to_string(TaskOutcome outcome);

/// One task: an activity task or one Lambda invocation, from its *Scheduled
/// event, with the worker that ran it.
struct TaskRecord {
  Phase phase = Phase::kControl;
  std::string execution_arn;
  /// The Task state that scheduled it.
  std::string state_name;
  /// The pool of the activity or function (empty when no pool serves the resource).
  std::string pool;
  /// The worker that took it (ActivityStarted's workerName, or the local
  /// Lambda environment); empty when it never started.
  std::string worker;
  std::int64_t scheduled_event_id = 0;
  std::int64_t started_event_id = 0;
  TimePoint scheduled{};
  std::optional<TimePoint> started;
  std::optional<TimePoint> ended;
  TaskOutcome outcome = TaskOutcome::kOpen;
  /// Error and cause of a failed or timed-out task (`States.Timeout`, ...).
  std::string error;
  std::string cause;
};

/// The faults the injectors can apply.
enum class FaultKind { kKill, kRestart, kPause, kLatency, kWipeScratch, kStop };
/// `kill`, `restart`, `pause`, `latency`, `wipe-scratch`, `stop`.
std::string_view to_string(FaultKind kind);

/// One fault the runner applied (or tried to) on one worker.
struct FaultRecord {
  /// 1, 2, ... in the order the runner applied them.
  std::uint64_t id = 0;
  FaultKind kind = FaultKind::kKill;
  /// The injector's description (`kill on task started in count-words after 200 ms`).
  std::string injector;
  /// When the trigger fired and when the primitive was called / returned.
  TimePoint triggered{};
  TimePoint applied{};
  /// For pause and latency: how long the fault lasts; zero otherwise.
  std::chrono::milliseconds duration{0};
  std::string pool;
  std::string worker;
  /// For a trigger on a task event: the execution and state of that task.
  std::string execution_arn;
  std::string state_name;
  /// False when the primitive failed (`error` says why): the worker died
  /// meanwhile, or the stack refused.
  bool applied_ok = true;
  std::string error;
};

/// Something that happened to a worker: `started`, `died`, `replaced`,
/// `killed`, `paused`, ... (the fleet's pool events).
struct WorkerEvent {
  TimePoint at{};
  std::string kind;
  std::string pool;
  std::string worker;
  std::string detail;
};

/// What a process did to a file in a worker's scratch directory. `kOpened` is
/// any open (for reading, writing or both); `kRead` is data actually read from
/// a file, or a directory listed (inotify IN_ACCESS), which an open to
/// overwrite never produces.
enum class ScratchOperation { kCreated, kOpened, kModified, kDeleted, kRead };
/// `created`, `opened`, `modified`, `deleted`, `read`.
std::string_view to_string(ScratchOperation operation);

/// One scratch access seen by the audit (inotify on the host side of the
/// worker's scratch directory).
struct ScratchAccess {
  TimePoint at{};
  std::string worker;
  /// Relative to the worker's scratch directory (`chunk-3.txt`, `cache/a`);
  /// `.` for the scratch directory itself (listed).
  std::string path;
  ScratchOperation operation = ScratchOperation::kOpened;
};

/// A file outside every worker's scratch that a worker's process wrote
/// (`kModified`), or read (`kRead`) after a worker had written it: the host
/// file audit of the process stack (fanotify; docs/checks.md, "State outside
/// scratch"). Such a file outlives the worker that wrote it, so a fresh worker
/// finds it too.
struct HostFileAccess {
  TimePoint at{};
  std::string worker;
  /// Absolute, as the host sees it (`/home/ci/project/cache/report.json`),
  /// at the time of the access.
  std::string path;
  ScratchOperation operation = ScratchOperation::kModified;
  /// The file itself, whatever its name (the kernel's file handle, in hex):
  /// a cache written to `x.tmp` and renamed to `x` is one file. Empty when
  /// unknown; the path stands for the file then.
  std::string file;
};

/// When a phase ran.
struct PhaseWindow {
  Phase phase = Phase::kControl;
  TimePoint start{};
  TimePoint end{};
};

/// Everything that happened in one run of one scenario: the single timeline
/// the checks judge and the reporters read.
struct History {
  std::string scenario;
  /// `process`, `docker` or `aws`.
  std::string stack;
  std::uint64_t seed = 0;
  std::string run_id;
  /// True when the run was interrupted (SIGINT, deadline): verdicts are partial.
  bool partial = false;
  std::vector<PhaseWindow> phases;
  std::vector<ExecutionRecord> executions;
  /// Executions that `executions` started (states:startExecution, nested
  /// workflows), with the phase and input index of the one that started
  /// them. Not workload executions: checks that count executions leave them
  /// out; their tasks are in `tasks`.
  std::vector<ExecutionRecord> child_executions;
  std::vector<TaskRecord> tasks;
  std::vector<FaultRecord> faults;
  std::vector<WorkerEvent> worker_events;
  /// True when the stack audited scratch directories (local stacks).
  bool scratch_audited = false;
  std::vector<ScratchAccess> scratch_accesses;
  /// True when the host file audit ran (process stack, a cold phase, a host
  /// that allows fanotify) and lost no event.
  bool host_files_audited = false;
  std::vector<HostFileAccess> host_file_accesses;

  /// The executions of one phase, in input order.
  [[nodiscard]] std::vector<const ExecutionRecord*> executions_in(Phase phase) const;
  /// The first execution of `phase` for input `index`, or nullptr.
  [[nodiscard]] const ExecutionRecord* execution(Phase phase, std::size_t index) const;
  /// Every execution of `phase` for input `index` (inputs are reused when a
  /// phase runs more executions than there are inputs), in start order.
  [[nodiscard]] std::vector<const ExecutionRecord*> executions_of(Phase phase,
                                                                  std::size_t index) const;
  /// The execution (or child execution) with this ARN, or nullptr.
  [[nodiscard]] const ExecutionRecord* execution(std::string_view arn) const;
  /// The tasks of one execution, in scheduling order.
  [[nodiscard]] std::vector<const TaskRecord*> tasks_of(std::string_view execution_arn) const;
  [[nodiscard]] const PhaseWindow* window(Phase phase) const;
};

/// Seconds since the epoch with millisecond precision, as the Step Functions
/// API writes timestamps (`1700000000.123`).
double to_epoch_seconds(TimePoint at);
TimePoint from_epoch_seconds(double seconds);

}  // namespace loveless::history

namespace loveless::history {

/// The history as JSON (docs/report-schema.md, "history"): times as epoch
/// seconds with milliseconds, enums as their `to_string` names, executions
/// with their raw history events.
nlohmann::json to_json(const History& history);

/// The inverse of `to_json`: a history from its JSON (as a report keeps it),
/// so reports can be rendered again (`loveless report`). Absent members keep
/// their defaults; an unknown enum name or a member of the wrong type throws
/// `std::invalid_argument` naming the member.
History history_from_json(const nlohmann::json& json);

}  // namespace loveless::history
