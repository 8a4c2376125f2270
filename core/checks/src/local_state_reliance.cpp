// no_local_state_reliance: no task opened a scratch file that an earlier
// task left behind, or if one did, nothing failed or diverged because of it.

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "loveless/checks/builtin.hpp"

#include "check_support.hpp"

namespace loveless::checks {

namespace {

using scenario::ScratchAccess;
using scenario::ScratchOperation;
using scenario::TaskOutcome;
using scenario::TaskRecord;
using scenario::TimePoint;

/// The audit timestamps an access when it reads the inotify event, a little
/// after the access: a write recorded this long after a task ended (before
/// the worker's next task started) still counts as that task's.
constexpr std::chrono::milliseconds kWriteGrace{250};

bool running_at(const TaskRecord& task, TimePoint at) {
  return task.started && *task.started <= at && (!task.ended || at <= *task.ended);
}

bool failed(const TaskRecord& task) {
  return task.outcome == TaskOutcome::kFailed || task.outcome == TaskOutcome::kTimedOut;
}

/// Of several candidates, the one that started last.
const TaskRecord* latest_started(const std::vector<const TaskRecord*>& candidates) {
  const TaskRecord* best = nullptr;
  for (const auto* task : candidates) {
    if (best == nullptr || *best->started < *task->started) best = task;
  }
  return best;
}

/// One reliance: `reader` (or nobody known) opened `path` in `worker`'s
/// scratch after `writer`, which wrote it, had ended.
struct Reliance {
  std::string worker;
  std::string path;
  const TaskRecord* writer = nullptr;
  const TaskRecord* reader = nullptr;
  TimePoint written{};
  TimePoint opened{};
  std::size_t opens = 0;
  std::vector<std::string> harm;
};

class Auditor {
 public:
  explicit Auditor(const scenario::History& history) : history_(history) {
    for (const auto& task : history.tasks) {
      if (!task.started) continue;
      started_.push_back(&task);
      if (!task.worker.empty()) by_worker_[task.worker].push_back(&task);
    }
    for (auto& [worker, tasks] : by_worker_) {
      std::stable_sort(tasks.begin(), tasks.end(),
                       [](const auto* a, const auto* b) { return *a->started < *b->started; });
    }
  }

  std::vector<Reliance> find() {
    // Accesses per worker, in time order (the audit's order among equal times).
    std::map<std::string, std::vector<const ScratchAccess*>> accesses;
    for (const auto& access : history_.scratch_accesses) {
      if (!access.path.empty()) accesses[access.worker].push_back(&access);
    }
    std::vector<Reliance> found;
    std::map<std::tuple<std::string, std::string, const TaskRecord*, const TaskRecord*>,
             std::size_t>
        index;
    for (auto& [worker, list] : accesses) {
      std::stable_sort(list.begin(), list.end(),
                       [](const auto* a, const auto* b) { return a->at < b->at; });
      struct Write {
        TimePoint at{};
        const TaskRecord* writer = nullptr;
      };
      std::map<std::string, Write> last_write;
      for (const auto* access : list) {
        const auto when = detail::round_ms(access->at);
        switch (access->operation) {
          case ScratchOperation::kCreated:
          case ScratchOperation::kModified:
            last_write[access->path] = Write{when, writer_of(worker, when)};
            break;
          case ScratchOperation::kDeleted: {
            // The file, and everything under it when it was a directory.
            const std::string prefix = access->path + "/";
            for (auto it = last_write.begin(); it != last_write.end();) {
              if (it->first == access->path || it->first.rfind(prefix, 0) == 0) {
                it = last_write.erase(it);
              } else {
                ++it;
              }
            }
            break;
          }
          case ScratchOperation::kOpened: {
            const auto write = last_write.find(access->path);
            if (write == last_write.end() || write->second.writer == nullptr) break;
            const TaskRecord* writer = write->second.writer;
            if (!writer->ended || when <= *writer->ended) break;
            const TaskRecord* reader = reader_of(*writer, worker, when);
            const auto key = std::make_tuple(worker, access->path, writer, reader);
            const auto [it, inserted] = index.emplace(key, found.size());
            if (inserted) {
              Reliance reliance;
              reliance.worker = worker;
              reliance.path = access->path;
              reliance.writer = writer;
              reliance.reader = reader;
              reliance.written = write->second.at;
              reliance.opened = when;
              found.push_back(std::move(reliance));
            }
            ++found[it->second].opens;
            break;
          }
        }
      }
    }
    return found;
  }

  /// Why reliance read by `reader` did harm; empty when it did none.
  std::vector<std::string> harm_of(const TaskRecord& reader) {
    std::vector<std::string> harm;
    const std::string state = reader.state_name.empty() ? "the reader" : reader.state_name;
    if (failed(reader)) {
      harm.push_back("the reader " + std::string(scenario::to_string(reader.outcome)) +
                     (reader.error.empty() ? "" : " with " + reader.error));
    }
    const auto* execution = history_.execution(reader.execution_arn);
    if (execution == nullptr) return harm;
    if (!execution->succeeded()) {
      harm.push_back("its execution ended " + execution->status);
    }
    const auto other_phase = execution->phase == scenario::Phase::kControl
                                 ? scenario::Phase::kChaos
                                 : scenario::Phase::kControl;
    const auto* other = history_.execution(other_phase, execution->input_index);
    const auto* control = execution->phase == scenario::Phase::kControl ? execution : other;
    const auto* chaos = execution->phase == scenario::Phase::kChaos ? execution : other;
    if (control != nullptr && chaos != nullptr) {
      const auto pair = detail::compare_pair(control, chaos, OutputComparison{});
      if (pair.state == detail::PairState::kDiverged) {
        harm.push_back("the chaos output diverged from control (" + pair.reason + ")");
      }
    }
    if (other == nullptr) return harm;
    const std::string label = detail::execution_label(*other) + " (same input)";
    std::size_t failures = 0;
    const TaskRecord* first_failure = nullptr;
    for (const auto* task : history_.tasks_of(other->arn)) {
      if (task->state_name != reader.state_name || !failed(*task)) continue;
      if (first_failure == nullptr) first_failure = task;
      ++failures;
    }
    if (first_failure != nullptr) {
      harm.push_back("in " + label + " " + state + " " +
                     std::string(scenario::to_string(first_failure->outcome)) +
                     (first_failure->error.empty() ? "" : " with " + first_failure->error) +
                     (failures > 1 ? " (" + std::to_string(failures) + " times)" : ""));
    }
    if (!other->succeeded()) harm.push_back(label + " ended " + other->status);
    return harm;
  }

 private:
  /// The task on `worker` that wrote at `at`: the one running then (the
  /// latest started), else the one that ended last, at most kWriteGrace
  /// before (the worker ran nothing since).
  const TaskRecord* writer_of(const std::string& worker, TimePoint at) const {
    const auto it = by_worker_.find(worker);
    if (it == by_worker_.end()) return nullptr;
    const TaskRecord* running = nullptr;
    const TaskRecord* recent = nullptr;
    for (const auto* task : it->second) {
      if (*task->started > at) break;
      if (running_at(*task, at)) {
        running = task;
      } else if (task->ended && *task->ended < at) {
        if (recent == nullptr || *recent->ended < *task->ended) recent = task;
      }
    }
    if (running != nullptr) return running;
    // `recent` ended last, so no task of this worker started since it ended.
    if (recent == nullptr || at - *recent->ended > kWriteGrace) return nullptr;
    return recent;
  }

  /// Who opened a file `writer` left in `worker`'s scratch, at `at`: a task
  /// of the writer's execution running then (on `worker` first), else the
  /// task running on `worker`, else nobody known.
  const TaskRecord* reader_of(const TaskRecord& writer, const std::string& worker,
                              TimePoint at) const {
    std::vector<const TaskRecord*> same_execution;
    std::vector<const TaskRecord*> on_worker;
    for (const auto* task : started_) {
      if (task == &writer || !running_at(*task, at)) continue;
      if (task->execution_arn == writer.execution_arn) same_execution.push_back(task);
      if (task->worker == worker) on_worker.push_back(task);
    }
    std::vector<const TaskRecord*> same_execution_on_worker;
    for (const auto* task : same_execution) {
      if (task->worker == worker) same_execution_on_worker.push_back(task);
    }
    if (!same_execution_on_worker.empty()) return latest_started(same_execution_on_worker);
    if (!same_execution.empty()) return latest_started(same_execution);
    return latest_started(on_worker);
  }

  const scenario::History& history_;
  std::vector<const TaskRecord*> started_;
  std::unordered_map<std::string, std::vector<const TaskRecord*>> by_worker_;
};

class NoLocalStateReliance final : public Check {
 public:
  [[nodiscard]] std::string name() const override { return "no local-state reliance"; }

  [[nodiscard]] Verdict evaluate(const scenario::History& history) const override {
    Verdict verdict;
    verdict.check = name();
    if (!history.scratch_audited) {
      verdict.summary = "the stack did not audit scratch (" +
                        (history.stack.empty() ? std::string("unknown stack") : history.stack) +
                        "): reliance cannot be judged";
      return verdict;
    }
    Auditor auditor(history);
    auto reliances = auditor.find();
    std::size_t harmful = 0;
    std::size_t unknown_reader = 0;
    for (auto& reliance : reliances) {
      if (reliance.reader == nullptr) {
        ++unknown_reader;
        continue;
      }
      reliance.harm = auditor.harm_of(*reliance.reader);
      if (!reliance.harm.empty()) ++harmful;
    }
    std::set<std::string> workers;
    for (const auto& access : history.scratch_accesses) workers.insert(access.worker);
    const std::size_t harmless = reliances.size() - harmful - unknown_reader;
    verdict.measurements = {{"accesses", history.scratch_accesses.size()},
                            {"workers", workers.size()},
                            {"reliances", reliances.size()},
                            {"harmful", harmful},
                            {"harmless", harmless},
                            {"reader_unknown", unknown_reader}};

    // Harmful first, then harmless caches, then readers nobody knows.
    const auto rank = [](const Reliance& r) {
      return r.reader == nullptr ? 2 : (r.harm.empty() ? 1 : 0);
    };
    std::stable_sort(reliances.begin(), reliances.end(), [&rank](const auto& a, const auto& b) {
      return std::make_tuple(rank(a), a.opened) < std::make_tuple(rank(b), b.opened);
    });
    const auto origin = detail::origin_of(history);
    std::vector<Evidence> evidence;
    evidence.reserve(reliances.size());
    for (const auto& reliance : reliances) evidence.push_back(describe(history, reliance, origin));
    detail::cap_evidence(evidence, detail::kEvidenceLimit, "reliances");
    verdict.evidence = std::move(evidence);

    // `workers` counts the workers that touched their scratch, not those watched.
    const std::string audited = std::to_string(history.scratch_accesses.size()) +
                                " scratch accesses recorded, by " +
                                std::to_string(workers.size()) + " workers";
    if (harmful > 0) {
      verdict.outcome = Outcome::kFail;
      verdict.summary = std::to_string(harmful) + " of " + std::to_string(reliances.size()) +
                        " reliances on scratch left by an earlier task did harm (a task failed "
                        "or an output diverged)";
    } else if (reliances.empty()) {
      verdict.outcome = Outcome::kPass;
      verdict.summary = "no task opened a scratch file an earlier task left (" + audited + ")";
    } else {
      verdict.outcome = Outcome::kPass;
      verdict.summary =
          std::to_string(reliances.size()) +
          " reliances on scratch left by an earlier task, none harmful: " +
          std::to_string(harmless) + " harmless caches" +
          (unknown_reader > 0 ? ", " + std::to_string(unknown_reader) + " opened by no known task"
                              : std::string());
    }
    return verdict;
  }

 private:
  static Evidence describe(const scenario::History& history, const Reliance& r, TimePoint origin) {
    std::string text = "file " + r.path + " in " + r.worker + "'s scratch: written at " +
                       detail::relative_time(r.written, origin) + " by " +
                       detail::task_label(history, *r.writer) + ", opened at " +
                       detail::relative_time(r.opened, origin) + " (after the writer ended at " +
                       detail::relative_time(*r.writer->ended, origin) + ") by ";
    nlohmann::json data = {{"file", r.path},
                           {"worker", r.worker},
                           {"written_s", detail::relative_seconds(r.written, origin)},
                           {"opened_s", detail::relative_seconds(r.opened, origin)},
                           {"opens", r.opens},
                           {"writer", detail::task_data(*r.writer, origin)},
                           {"reader", nullptr},
                           {"harm", r.harm}};
    std::set<std::string> executions = {r.writer->execution_arn};
    if (r.reader == nullptr) {
      text += "no known task (no task of that execution, and none on " + r.worker +
              ", ran then): not judged";
      data["verdict"] = "reader unknown";
    } else {
      text += detail::task_label(history, *r.reader);
      if (!r.reader->worker.empty() && r.reader->worker != r.worker) {
        text += " on " + r.reader->worker;
      }
      data["reader"] = detail::task_data(*r.reader, origin);
      executions.insert(r.reader->execution_arn);
      if (r.harm.empty()) {
        text += ": harmless cache (nothing failed or diverged)";
        data["verdict"] = "harmless";
      } else {
        text += ": HARMFUL: ";
        for (std::size_t i = 0; i < r.harm.size(); ++i) text += (i > 0 ? "; " : "") + r.harm[i];
        data["verdict"] = "harmful";
      }
    }
    if (r.opens > 1) text += " [opened " + std::to_string(r.opens) + " times]";
    data["executions"] = executions;
    return {std::move(text), std::move(data)};
  }
};

}  // namespace

CheckPtr no_local_state_reliance() { return std::make_shared<NoLocalStateReliance>(); }

}  // namespace loveless::checks
