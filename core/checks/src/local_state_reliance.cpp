// no_local_state_reliance: the disposability verdict. A component relies on
// local state when a task's outcome depends on what earlier tasks left in a
// worker's memory or scratch; the warm/cold differential proves it, the
// scratch audit explains it (docs/checks.md).

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "loveless/checks/builtin.hpp"

#include "chaos_failures.hpp"
#include "check_support.hpp"
#include "host_file_ledger.hpp"
#include "local_state_differential.hpp"
#include "scratch_ledger.hpp"

namespace loveless::checks {

namespace {

using detail::Divergence;
using detail::ScratchReliance;
using history::TaskOutcome;
using history::TaskRecord;
using history::TimePoint;

/// Reads (and listings) shown in one evidence item.
constexpr std::size_t kReadsListed = 3;

bool failed(const TaskRecord& task) {
  return task.outcome == TaskOutcome::kFailed || task.outcome == TaskOutcome::kTimedOut;
}

std::string join_states(const std::map<std::string, std::size_t>& counts) {
  std::string text;
  for (const auto& [state, count] : counts) {
    text += (text.empty() ? "" : ", ") + (state.empty() ? "(no state)" : state) + " " +
            std::to_string(count);
  }
  return text;
}

class Explainer {
 public:
  Explainer(const history::History& history, const detail::ScratchLedger& ledger)
      : history_(history), ledger_(ledger), origin_(detail::origin_of(history)) {}

  /// The reads of scratch an earlier task left, by tasks of `arn`.
  [[nodiscard]] std::vector<const ScratchReliance*> reads_by(const std::string& arn) const {
    std::vector<const ScratchReliance*> found;
    for (const auto& reliance : ledger_.reliances()) {
      if (reliance.reader != nullptr && reliance.reader->execution_arn == arn) {
        found.push_back(&reliance);
      }
    }
    return found;
  }

  [[nodiscard]] std::string read_text(const ScratchReliance& r) const {
    std::string what = r.directory ? "listed " +
                                         (r.path == "." ? std::string("the scratch directory")
                                                        : "directory " + r.path) +
                                         " (holding " + left_names(r.left) + ")"
                                   : "file " + r.path;
    std::string text = what + " in " + r.worker + "'s scratch: written at " +
                       detail::relative_time(r.written, origin_) + " by " +
                       detail::task_label(history_, *r.writer) + ", read at " +
                       detail::relative_time(r.read, origin_) + " (after the writer ended at " +
                       detail::relative_time(*r.writer->ended, origin_) + ") by ";
    if (r.reader == nullptr) {
      text += "no known task";
    } else {
      text += detail::task_label(history_, *r.reader);
      if (!r.reader->worker.empty() && r.reader->worker != r.worker) {
        text += " on " + r.reader->worker;
      }
    }
    return text;
  }

  [[nodiscard]] nlohmann::json read_data(const ScratchReliance& r) const {
    nlohmann::json left = nlohmann::json::array();
    for (const auto& file : r.left) left.push_back(file.path);
    return {{"file", r.path},
            {"directory", r.directory},
            {"left", left},
            {"worker", r.worker},
            {"written_s", detail::relative_seconds(r.written, origin_)},
            {"read_s", detail::relative_seconds(r.read, origin_)},
            {"reads", r.reads},
            {"writer", detail::task_data(*r.writer, origin_)},
            {"reader", r.reader == nullptr ? nlohmann::json(nullptr)
                                           : detail::task_data(*r.reader, origin_)}};
  }

  /// Why `divergence` happened, from the audit: reads of left scratch by
  /// its tasks, else files left where its divergent task ran, else memory.
  void explain(const Divergence& divergence, std::string& text, nlohmann::json& data) const {
    const auto reads = reads_by(divergence.execution->arn);
    data["reads"] = nlohmann::json::array();
    if (!reads.empty()) {
      data["mechanism"] = "scratch-read";
      text += "; it read scratch an earlier task left: ";
      for (std::size_t i = 0; i < reads.size(); ++i) {
        data["reads"].push_back(read_data(*reads[i]));
        if (i < kReadsListed) text += (i > 0 ? "; " : "") + read_text(*reads[i]);
      }
      if (reads.size() > kReadsListed) {
        text += "; and " + std::to_string(reads.size() - kReadsListed) + " more reads";
      }
      return;
    }
    const TaskRecord* task = divergence.task ? divergence.task->task : nullptr;
    if (task == nullptr || task->worker.empty() || !task->started) {
      data["mechanism"] = "unknown";
      text += "; no task of it read scratch an earlier task left";
      return;
    }
    if (!history_.scratch_audited) {
      data["mechanism"] = "unknown";
      text += "; the stack did not audit scratch, so whether " + task->worker +
              " kept it on disk or in memory is not known";
      return;
    }
    const auto left = ledger_.left_at(task->worker, *task->started);
    if (!left.empty()) {
      data["mechanism"] = "left-behind-file";
      data["left"] = nlohmann::json::array();
      for (const auto& file : left) data["left"].push_back(file.path);
      text += "; no scratch read explains it, but when " + task->state_name + " started, " +
              task->worker + "'s scratch held what earlier tasks left: " + left_names(left) +
              ". The audit sees reads, not lookups (stat, access, an O_EXCL open that "
              "fails): a lookup of one of these, or state kept in memory, explains it";
      return;
    }
    const auto earlier = ledger_.earlier_tasks(*task);
    data["mechanism"] = "memory";
    text += "; no scratch read explains it: state kept in memory (" + task->worker + " had run " +
            std::to_string(earlier) + (earlier == 1 ? " task" : " tasks") + " before)";
  }

 private:
  [[nodiscard]] std::string left_names(const std::vector<detail::LeftFile>& files) const {
    std::string text;
    for (std::size_t i = 0; i < files.size() && i < kReadsListed; ++i) {
      text += (i > 0 ? ", " : "") + files[i].path + " (by " +
              detail::task_label(history_, *files[i].writer) + " at " +
              detail::relative_time(files[i].written, origin_) + ")";
    }
    if (files.size() > kReadsListed) {
      text += " and " + std::to_string(files.size() - kReadsListed) + " more";
    }
    return text;
  }

  const history::History& history_;
  const detail::ScratchLedger& ledger_;
  TimePoint origin_;
};

class NoLocalStateReliance final : public Check {
 public:
  explicit NoLocalStateReliance(OutputComparison comparison) : comparison_(std::move(comparison)) {}

  [[nodiscard]] std::string name() const override { return "no local-state reliance"; }
  [[nodiscard]] bool needs_cold_phase() const override { return true; }

  [[nodiscard]] Verdict evaluate(const history::History& history) const override {
    Verdict verdict;
    verdict.check = name();
    const auto differential = detail::run_differential(history, comparison_);
    if (differential.invalid) {
      verdict.summary = "an ignore path is invalid";
      verdict.evidence.push_back({*differential.invalid, nlohmann::json::object()});
      return verdict;
    }
    const bool cold_ran =
        history.window(history::Phase::kCold) != nullptr || differential.cold_executions > 0;
    const detail::ScratchLedger ledger(history);
    const Explainer explainer(history, ledger);
    const auto coverage = detail::measure_coverage(history, ledger);

    Findings findings = judge_divergences(history, explainer, differential);
    add_other_reads(ledger, explainer, cold_ran, findings);
    for (const auto& input : differential.unjudged) {
      findings.unjudged.push_back(
          {"input " + std::to_string(input.input_index) + " not judged: " + input.reason,
           {{"input_index", input.input_index}, {"reason", input.reason}}});
    }
    if (!differential.cold_varying_paths.empty()) {
      findings.notes.push_back(
          {"not compared: " + detail::join_paths(differential.cold_varying_paths) +
               ", where the cold executions of one input differed: each ran on fresh workers, "
               "so nothing an earlier task left explains it (a clock, a random value, a process "
               "id or host name, a durable store); the rest of each output was compared; "
               "declare ignore paths for them to say so yourself",
           {{"verdict", "cold-varying"}, {"paths", differential.cold_varying_paths}}});
    }
    if (!differential.run_varying_paths.empty()) {
      findings.notes.push_back(
          {"not compared: " + detail::join_paths(differential.run_varying_paths) +
               ", where outputs held timestamps or UUIDs that differ from run to run, which "
               "prove nothing about local state (the rest of each output was compared); "
               "declare ignore paths for them to say so yourself",
           {{"verdict", "run-varying"}, {"paths", differential.run_varying_paths}}});
    }
    verdict.measurements = measurements(history, differential, coverage, ledger, findings);
    summarise(history, differential, coverage, ledger, findings, cold_ran, verdict);
    auto not_cold = judge_host_files(history, ledger, verdict);
    for (auto* list : {&findings.harmful, &not_cold, &findings.unjudged, &findings.notes,
                       &findings.not_attributed, &findings.harmless}) {
      for (auto& item : *list) verdict.evidence.push_back(std::move(item));
    }
    detail::cap_evidence(verdict.evidence, detail::kEvidenceLimit, "items");
    return verdict;
  }

 private:
  /// The evidence, by how it is judged, and what the summary counts.
  struct Findings {
    std::vector<Evidence> harmful;
    std::vector<Evidence> not_attributed;
    std::vector<Evidence> harmless;
    std::vector<Evidence> unjudged;
    /// What was left out of the comparison (run-varying values).
    std::vector<Evidence> notes;
    std::set<std::string> divergent;  // execution ARNs
    std::size_t by_read = 0;          // harmful ones a scratch read explains
    std::size_t by_lost = 0;          // harmful ones a fault took with the worker
    std::size_t reader_unknown = 0;   // reads no task can be blamed for
  };

  /// A cold task that read a file outside scratch an earlier task wrote found
  /// what a fresh worker should not have: for that file the cold phase was not
  /// cold, so agreement proves nothing and a pass becomes unknown. Returns the
  /// evidence (one item per such read).
  static std::vector<Evidence> judge_host_files(const history::History& history,
                                                const detail::ScratchLedger& ledger,
                                                Verdict& verdict) {
    const auto reliances = detail::host_file_reliances(history, ledger);
    auto not_cold = detail::cold_host_file_evidence(history, reliances);
    verdict.measurements["host_files_audited"] = history.host_files_audited;
    verdict.measurements["host_file_accesses"] = history.host_file_accesses.size();
    verdict.measurements["host_file_reliances"] = reliances.size();
    verdict.measurements["not_cold_reads"] = not_cold.size();
    if (not_cold.empty() || verdict.outcome != Outcome::kPass) return not_cold;
    verdict.outcome = Outcome::kUnknown;
    verdict.summary = "the cold phase was not cold: " + std::to_string(not_cold.size()) +
                      " reads by cold tasks of files outside their scratch that earlier tasks "
                      "wrote (first " +
                      not_cold.front().data["file"].get<std::string>() +
                      "); such a file outlives its worker, so fresh workers found it and warm "
                      "and cold agreeing proves nothing about it. Keep per-task files in "
                      "$TMPDIR or /tmp, declare shared ones as mounts, or judge the worker on "
                      "the docker stack";
    return not_cold;
  }

  /// Warm divergences are harmful; chaos ones only when tied to a scratch read.
  static Findings judge_divergences(const history::History& history, const Explainer& explainer,
                                    const detail::DifferentialResult& differential) {
    Findings findings;
    for (const auto& divergence : differential.warm) {
      findings.divergent.insert(divergence.execution->arn);
      auto item = describe(divergence);
      explainer.explain(divergence, item.text, item.data);
      if (item.data["mechanism"] == "scratch-read") ++findings.by_read;
      item.data["verdict"] = "harmful";
      findings.harmful.push_back(std::move(item));
    }
    for (const auto& divergence : differential.chaos) {
      findings.divergent.insert(divergence.execution->arn);
      auto item = describe(divergence);
      if (tied_to_scratch(history, explainer, divergence)) {
        explainer.explain(divergence, item.text, item.data);
        ++findings.by_read;
        item.data["verdict"] = "harmful";
        findings.harmful.push_back(std::move(item));
        continue;
      }
      if (const auto failure = detail::unexplained_failure(history, *divergence.execution)) {
        explain_failure(history, explainer, divergence, *failure, item);
        if (item.data["mechanism"] == "scratch-read") ++findings.by_read;
        if (item.data["mechanism"] == "lost-with-worker") ++findings.by_lost;
        item.data["verdict"] = "harmful";
        findings.harmful.push_back(std::move(item));
        continue;
      }
      const auto faults = detail::summarize_attribution(history, *divergence.execution);
      item.data["faults"] = faults.data;
      item.data["verdict"] = "not attributed";
      item.text +=
          "; not counted against local state: under faults a difference counts only when "
          "the task that differs read scratch an earlier task left and no fault explains it, "
          "or a task failed with an error of its own while no fault touched its worker "
          "(faults change outputs too), and neither happened here (" +
          faults.text + ")";
      findings.not_attributed.push_back(std::move(item));
    }
    return findings;
  }

  /// Why a chaos task failed that no fault touched: what it read, else what
  /// the attempt a fault broke before it left on its worker (lost with it),
  /// else what its own worker kept.
  static void explain_failure(const history::History& history, const Explainer& explainer,
                              const Divergence& divergence,
                              const detail::UnexplainedFailure& failure, Evidence& item) {
    const auto& task = *failure.task;
    const auto* execution = divergence.execution;
    item.text += "; " + task.state_name + " on " + task.worker + " failed with " + task.error +
                 " while no fault touched " + task.worker + ", which no run of input " +
                 std::to_string(execution->input_index) + " without faults did";
    item.data["failed_task"] = detail::task_data(task, detail::origin_of(history));
    if (!explainer.reads_by(execution->arn).empty() || failure.broken_attempt == nullptr) {
      Divergence at_failure = divergence;
      at_failure.task = detail::TaskDifference{&task, nullptr, ""};
      explainer.explain(at_failure, item.text, item.data);
      return;
    }
    const auto& broken = *failure.broken_attempt;
    const auto& fault = *failure.fault;
    item.data["mechanism"] = "lost-with-worker";
    item.data["broken_attempt"] = detail::task_data(broken, detail::origin_of(history));
    item.data["fault"] = fault.id;
    item.text += ": it expected what the attempt before it left on " + broken.worker + " (" +
                 detail::task_label(history, broken) + ", broken by " +
                 std::string(history::to_string(fault.kind)) + " of " + fault.worker + " at " +
                 detail::relative_time(fault.applied, detail::origin_of(history)) +
                 "), state kept in memory or scratch that the fault took with the worker (a "
                 "retry must not need it: on AWS the retry lands on any worker)";
  }

  /// Reads of scratch earlier tasks left that no divergence explains.
  static void add_other_reads(const detail::ScratchLedger& ledger, const Explainer& explainer,
                              bool cold_ran, Findings& findings) {
    for (const auto& reliance : ledger.reliances()) {
      if (reliance.reader != nullptr &&
          findings.divergent.count(reliance.reader->execution_arn) > 0) {
        continue;  // Explained with its divergence.
      }
      auto data = explainer.read_data(reliance);
      std::string text = explainer.read_text(reliance);
      if (reliance.reader == nullptr) {
        ++findings.reader_unknown;
        text += " (no task of that execution, and none on " + reliance.worker +
                ", ran then): not judged";
        data["verdict"] = "reader unknown";
      } else {
        text += cold_ran ? ": harmless (that execution matched its input run cold)"
                         : ": not judged (no cold phase to compare with)";
        data["verdict"] = "harmless";
      }
      if (reliance.reads > 1) text += " [read " + std::to_string(reliance.reads) + " times]";
      findings.harmless.push_back({std::move(text), std::move(data)});
    }
  }

  static nlohmann::json measurements(const history::History& history,
                                     const detail::DifferentialResult& differential,
                                     const detail::ColdCoverage& coverage,
                                     const detail::ScratchLedger& ledger,
                                     const Findings& findings) {
    nlohmann::json cold_by_state = coverage.cold_by_state;
    nlohmann::json warm_by_state = coverage.warm_by_state;
    return {{"inputs", differential.inputs},
            {"judged_inputs", differential.judged_inputs},
            {"cold_executions", differential.cold_executions},
            {"fresh_control_executions", differential.fresh_control_executions},
            {"warm_compared", differential.warm_compared},
            {"chaos_compared", differential.chaos_compared},
            {"warm_diverged", differential.warm.size()},
            {"chaos_diverged", differential.chaos.size()},
            {"harmful", findings.harmful.size()},
            {"cold_tasks", coverage.cold_tasks},
            {"cold_tasks_by_state", cold_by_state},
            {"not_cold_tasks", coverage.not_cold},
            {"warm_tasks", coverage.warm_tasks},
            {"warm_tasks_by_state", warm_by_state},
            {"warm_reused_tasks", coverage.warm_reused},
            {"scratch_audited", history.scratch_audited},
            {"accesses", history.scratch_accesses.size()},
            {"reliances", ledger.reliances().size()},
            {"harmless", findings.harmless.size() - findings.reader_unknown},
            {"reader_unknown", findings.reader_unknown},
            {"run_varying_paths", differential.run_varying_paths},
            {"cold_varying_paths", differential.cold_varying_paths},
            {"warm_repeated_inputs", warm_repeated_inputs(history)},
            {"warm_cross_input_tasks", warm_cross_input_tasks(history)}};
  }

  /// The outcome and its sentence: harmful divergences fail; a pass needs a
  /// cold phase, judged inputs and coverage of every state.
  static void summarise(const history::History& history,
                        const detail::DifferentialResult& differential,
                        const detail::ColdCoverage& coverage, const detail::ScratchLedger& ledger,
                        const Findings& findings, bool cold_ran, Verdict& verdict) {
    const std::string covered = coverage_text(coverage);
    const auto uncovered = coverage.uncovered_states();
    const auto& harmful = findings.harmful;
    if (!harmful.empty()) {
      verdict.outcome = Outcome::kFail;
      verdict.summary = std::to_string(harmful.size()) +
                        " executions differ from the same input run on fresh "
                        "workers: their outcome depended on what earlier tasks left on a worker (" +
                        std::to_string(findings.by_read) + " by a scratch read, " +
                        (findings.by_lost == 0 ? std::string()
                                               : std::to_string(findings.by_lost) +
                                                     " by what a fault took with the worker, ") +
                        std::to_string(harmful.size() - findings.by_read - findings.by_lost) +
                        " without one: memory or a lookup)";
    } else if (!cold_ran) {
      verdict.summary = "no cold phase ran (the same inputs, every task on a fresh worker): the " +
                        (history.stack.empty() ? std::string("unknown") : history.stack) +
                        " stack cannot run one, or the run ended first; nothing proves that no "
                        "component relied on local state";
    } else if (differential.judged_inputs == 0) {
      verdict.summary = "no input could be judged: none had cold executions that ended and agree";
    } else if (!uncovered.empty()) {
      std::string states;
      for (const auto& state : uncovered) states += (states.empty() ? "" : ", ") + state;
      verdict.summary = "too little coverage: " + states +
                        " ran warm but never on a fresh worker, so nothing proves it (" + covered +
                        ")";
    } else if (coverage.warm_reused == 0) {
      verdict.summary =
          "too little coverage: no warm task ran on a worker that had run an "
          "earlier one, so nothing was left behind to rely on (" +
          covered + ")";
    } else {
      verdict.outcome = Outcome::kPass;
      verdict.summary = "warm and cold agree: " + std::to_string(differential.warm_compared) +
                        " warm executions of " + std::to_string(differential.judged_inputs) +
                        " inputs match " + std::to_string(differential.cold_executions) +
                        " cold ones; " + covered;
      if (!ledger.reliances().empty()) {
        verdict.summary += "; " + std::to_string(ledger.reliances().size()) +
                           " reads of scratch earlier tasks left, none harmful";
      }
      if (warm_repeated_inputs(history) == 0) {
        // Said, not failed: the claim holds for what ran, but a reader must
        // know what it could not have caught.
        verdict.summary +=
            "; no input came back warm to a worker that had run it, so state kept per input (an "
            "idempotency set, a cache keyed by the input) was not exercised: run more "
            "executions than inputs, or fewer workers";
      }
      if (differential.inputs > 1 && warm_cross_input_tasks(history) == 0) {
        verdict.summary +=
            "; no warm worker ran tasks of two different inputs, so state one input leaves for "
            "another (a cache keyed by a field they share) was not exercised: run fewer "
            "workers than inputs, or more executions";
      }
    }
    if (!findings.unjudged.empty() && cold_ran && verdict.outcome != Outcome::kFail) {
      verdict.summary += " (" + std::to_string(findings.unjudged.size()) + " inputs not judged)";
    }
  }

  /// The control phase's tasks that started on a named worker, by start.
  static std::vector<const history::TaskRecord*> control_tasks_by_start(
      const history::History& history) {
    std::vector<const history::TaskRecord*> tasks;
    for (const auto& task : history.tasks) {
      if (task.phase == history::Phase::kControl && task.started && !task.worker.empty()) {
        tasks.push_back(&task);
      }
    }
    std::sort(tasks.begin(), tasks.end(),
              [](const auto* a, const auto* b) { return *a->started < *b->started; });
    return tasks;
  }

  /// Control-phase tasks whose worker had run a task of another input
  /// before: only those can show state one input left for another.
  static std::size_t warm_cross_input_tasks(const history::History& history) {
    const auto tasks = control_tasks_by_start(history);
    std::map<std::string, std::set<std::size_t>> inputs_seen;
    std::size_t crossing = 0;
    for (const auto* task : tasks) {
      const auto* execution = history.execution(task->execution_arn);
      if (execution == nullptr) continue;
      auto& seen = inputs_seen[task->worker];
      if (std::any_of(seen.begin(), seen.end(),
                      [&](std::size_t input) { return input != execution->input_index; })) {
        ++crossing;
      }
      seen.insert(execution->input_index);
    }
    return crossing;
  }

  /// Inputs that came back warm to a worker that had run them: a control
  /// task whose worker had run a task of another execution of the same
  /// input before. Only then can state kept per input (an idempotency set,
  /// a cache keyed by the input) change an outcome.
  static std::size_t warm_repeated_inputs(const history::History& history) {
    const auto tasks = control_tasks_by_start(history);
    // Per worker, per input: the executions whose tasks it ran.
    std::map<std::string, std::map<std::size_t, std::set<std::string>>> ran;
    std::set<std::size_t> repeated;
    for (const auto* task : tasks) {
      const auto* execution = history.execution(task->execution_arn);
      if (execution == nullptr) continue;
      auto& executions = ran[task->worker][execution->input_index];
      if (std::any_of(executions.begin(), executions.end(),
                      [&](const std::string& arn) { return arn != execution->arn; })) {
        repeated.insert(execution->input_index);
      }
      executions.insert(execution->arn);
    }
    return repeated.size();
  }

  static std::string coverage_text(const detail::ColdCoverage& coverage) {
    return std::to_string(coverage.cold_tasks) + " tasks ran cold" +
           (coverage.cold_by_state.empty() ? ""
                                           : " (" + join_states(coverage.cold_by_state) + ")") +
           ", " + std::to_string(coverage.warm_reused) + " of " +
           std::to_string(coverage.warm_tasks) + " warm tasks reused a worker";
  }

  [[nodiscard]] static Evidence describe(const Divergence& divergence) {
    const auto& execution = *divergence.execution;
    std::string text = detail::execution_label(execution) + " (input " +
                       std::to_string(execution.input_index) + ") differs from " +
                       detail::execution_label(*divergence.cold) + ": " + divergence.difference;
    nlohmann::json data = {{"execution", detail::execution_data(execution)},
                           {"cold_execution", detail::execution_data(*divergence.cold)},
                           {"difference", divergence.difference},
                           {"task", nullptr},
                           {"cold_task", nullptr}};
    if (divergence.task) {
      text += "; first at " + divergence.task->text;
      data["task_difference"] = divergence.task->text;
      if (divergence.task->task != nullptr) data["task"] = divergence.task->task->state_name;
      if (divergence.task->cold != nullptr) data["cold_task"] = divergence.task->cold->state_name;
    }
    return {std::move(text), std::move(data)};
  }

  /// A chaos divergence is local state's doing only when its first task
  /// that differs from cold read scratch an earlier task left, and that task
  /// either succeeded with another output or failed without a fault hitting
  /// it (a fault's failure is recovery, whatever the task read).
  static bool tied_to_scratch(const history::History& history, const Explainer& explainer,
                              const Divergence& divergence) {
    if (!divergence.task || divergence.task->task == nullptr) return false;
    const auto* task = divergence.task->task;
    const auto reads = explainer.reads_by(divergence.execution->arn);
    const bool read_left =
        std::any_of(reads.begin(), reads.end(),
                    [&](const ScratchReliance* read) { return read->reader == task; });
    return read_left && (!failed(*task) || detail::disrupting_fault(history, *task) == nullptr);
  }

  OutputComparison comparison_;
};

}  // namespace

CheckPtr no_local_state_reliance(OutputComparison comparison) {
  return std::make_shared<NoLocalStateReliance>(std::move(comparison));
}

}  // namespace loveless::checks
