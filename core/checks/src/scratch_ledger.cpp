#include "scratch_ledger.hpp"

#include <algorithm>
#include <chrono>
#include <tuple>

#include "check_support.hpp"

namespace loveless::checks::detail {

namespace {

using history::ScratchOperation;
using history::TaskRecord;
using history::TimePoint;

/// A write recorded this long after a task ended (before the worker started
/// another) still counts as that task's: the audit timestamps an access when
/// it reads the inotify event, a little after the access.
constexpr std::chrono::milliseconds kWriteGrace{250};
/// A listing this close to a wipe-scratch fault on the worker is the wipe's.
constexpr std::chrono::milliseconds kWipeWindow{100};

bool running_at(const TaskRecord& task, TimePoint at) {
  return task.started && *task.started <= at && (!task.ended || at <= *task.ended);
}

const TaskRecord* latest_started(const std::vector<const TaskRecord*>& candidates) {
  const TaskRecord* best = nullptr;
  for (const auto* task : candidates) {
    if (best == nullptr || *best->started < *task->started) best = task;
  }
  return best;
}

bool under(const std::string& path, const std::string& directory) {
  return directory == "." ||
         (path.size() > directory.size() && path.compare(0, directory.size(), directory) == 0 &&
          path[directory.size()] == '/');
}

struct Write {
  TimePoint at{};
  const TaskRecord* writer = nullptr;
};

/// The last write of each file still present, as a replay reaches it.
class ScratchState {
 public:
  void apply(const history::ScratchAccess& access, TimePoint when, const TaskRecord* writer) {
    switch (access.operation) {
      case ScratchOperation::kCreated:
      case ScratchOperation::kModified:
        files_[access.path] = Write{when, writer};
        break;
      case ScratchOperation::kDeleted:
        // The file, and everything under it when it was a directory.
        for (auto it = files_.begin(); it != files_.end();) {
          if (it->first == access.path || under(it->first, access.path)) {
            it = files_.erase(it);
          } else {
            ++it;
          }
        }
        break;
      case ScratchOperation::kOpened:
      case ScratchOperation::kRead:
        break;
    }
  }

  [[nodiscard]] bool is_directory(const std::string& path) const {
    if (path == ".") return true;
    return std::any_of(files_.begin(), files_.end(),
                       [&](const auto& file) { return under(file.first, path); });
  }

  [[nodiscard]] const Write* file(const std::string& path) const {
    const auto it = files_.find(path);
    return it == files_.end() ? nullptr : &it->second;
  }

  /// Files under `directory` (the file itself when it is one) whose writer
  /// had ended before `at`.
  [[nodiscard]] std::vector<LeftFile> left(const std::string& directory, TimePoint at) const {
    std::vector<LeftFile> found;
    for (const auto& [path, write] : files_) {
      if (path != directory && !under(path, directory)) continue;
      if (write.writer == nullptr || !write.writer->ended || at < *write.writer->ended) continue;
      found.push_back({path, write.writer, write.at});
    }
    return found;
  }

 private:
  std::map<std::string, Write> files_;
};

}  // namespace

ScratchLedger::ScratchLedger(const history::History& history) : history_(history) {
  for (const auto& task : history.tasks) {
    if (!task.started) continue;
    started_.push_back(&task);
    if (!task.worker.empty()) by_worker_[task.worker].push_back(&task);
  }
  for (auto& [worker, tasks] : by_worker_) {
    std::stable_sort(tasks.begin(), tasks.end(),
                     [](const auto* a, const auto* b) { return *a->started < *b->started; });
  }
  for (const auto& access : history.scratch_accesses) {
    if (!access.path.empty()) accesses_[access.worker].push_back(&access);
  }
  for (auto& [worker, list] : accesses_) {
    // The audit's order among equal times is the kernel's: keep it.
    std::stable_sort(list.begin(), list.end(),
                     [](const auto* a, const auto* b) { return a->at < b->at; });
    replay(worker, list);
  }
  std::stable_sort(reliances_.begin(), reliances_.end(),
                   [](const auto& a, const auto& b) { return a.read < b.read; });
}

void ScratchLedger::replay(const std::string& worker, const Accesses& accesses) {
  ScratchState state;
  std::map<std::tuple<std::string, const TaskRecord*, const TaskRecord*>, std::size_t> index;
  for (const auto* access : accesses) {
    const auto when = round_ms(access->at);
    if (access->operation != ScratchOperation::kRead) {
      state.apply(*access, when, task_on(worker, when));
      continue;
    }
    const bool directory = state.is_directory(access->path);
    if (directory && wiped_near(worker, when)) continue;
    std::vector<LeftFile> left;
    if (directory) {
      left = state.left(access->path, when);
    } else if (const auto* write = state.file(access->path);
               write != nullptr && write->writer != nullptr && write->writer->ended &&
               *write->writer->ended <= when) {
      left.push_back({access->path, write->writer, write->at});
    }
    if (left.empty()) continue;
    const TaskRecord* writer = left.front().writer;
    const TaskRecord* reader = reader_of(*writer, worker, when);
    // In the millisecond the writer ended, a read nobody else made is the
    // writer's own last one (history times have millisecond precision).
    if (reader == nullptr && *writer->ended == when) continue;
    const auto key = std::make_tuple(access->path, writer, reader);
    const auto [it, inserted] = index.emplace(key, reliances_.size());
    if (inserted) {
      ScratchReliance reliance;
      reliance.worker = worker;
      reliance.path = access->path;
      reliance.directory = directory;
      reliance.left = std::move(left);
      reliance.writer = writer;
      reliance.reader = reader;
      reliance.written = reliance.left.front().written;
      reliance.read = when;
      reliances_.push_back(std::move(reliance));
    }
    ++reliances_[it->second].reads;
  }
}

std::vector<LeftFile> ScratchLedger::left_at(const std::string& worker, TimePoint at) const {
  const auto found = accesses_.find(worker);
  if (found == accesses_.end()) return {};
  ScratchState state;
  for (const auto* access : found->second) {
    const auto when = round_ms(access->at);
    if (when >= at) break;
    state.apply(*access, when, task_on(worker, when));
  }
  return state.left(".", at);
}

std::size_t ScratchLedger::earlier_tasks(const TaskRecord& task) const {
  const auto found = by_worker_.find(task.worker);
  if (found == by_worker_.end() || !task.started) return 0;
  return static_cast<std::size_t>(
      std::count_if(found->second.begin(), found->second.end(),
                    [&](const auto* other) { return *other->started < *task.started; }));
}

const TaskRecord* ScratchLedger::task_on(const std::string& worker, TimePoint at) const {
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

/// Who read a file `writer` left in `worker`'s scratch, at `at`: a task of
/// the writer's execution running then (on `worker` first: a hand-off
/// between states), else the task running on `worker` (a cache), else nobody
/// known (the worker read it between tasks).
const TaskRecord* ScratchLedger::reader_of(const TaskRecord& writer, const std::string& worker,
                                           TimePoint at) const {
  std::vector<const TaskRecord*> same_execution;
  std::vector<const TaskRecord*> same_execution_on_worker;
  std::vector<const TaskRecord*> on_worker;
  for (const auto* task : started_) {
    if (task == &writer || !running_at(*task, at)) continue;
    const bool mine = task->worker == worker;
    if (task->execution_arn == writer.execution_arn) {
      same_execution.push_back(task);
      if (mine) same_execution_on_worker.push_back(task);
    }
    if (mine) on_worker.push_back(task);
  }
  if (!same_execution_on_worker.empty()) return latest_started(same_execution_on_worker);
  if (!same_execution.empty()) return latest_started(same_execution);
  return latest_started(on_worker);
}

bool ScratchLedger::wiped_near(const std::string& worker, TimePoint at) const {
  return std::any_of(history_.faults.begin(), history_.faults.end(), [&](const auto& fault) {
    if (fault.kind != history::FaultKind::kWipeScratch || fault.worker != worker) return false;
    const auto applied = round_ms(fault.applied);
    return applied - kWipeWindow <= at && at <= applied + kWipeWindow;
  });
}

}  // namespace loveless::checks::detail
