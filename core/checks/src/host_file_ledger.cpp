#include "host_file_ledger.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "check_support.hpp"

namespace loveless::checks::detail {

namespace {

using history::ScratchOperation;
using history::TaskRecord;
using history::TimePoint;

struct LastWrite {
  TimePoint at{};
  const TaskRecord* writer = nullptr;
};

}  // namespace

std::vector<HostFileReliance> host_file_reliances(const history::History& history,
                                                  const ScratchLedger& tasks) {
  std::vector<const history::HostFileAccess*> accesses;
  for (const auto& access : history.host_file_accesses) accesses.push_back(&access);
  std::stable_sort(accesses.begin(), accesses.end(),
                   [](const auto* a, const auto* b) { return a->at < b->at; });
  std::map<std::string, LastWrite> written;
  std::set<std::tuple<std::string, const TaskRecord*, const TaskRecord*>> seen;
  std::vector<HostFileReliance> reliances;
  for (const auto* access : accesses) {
    const auto* task = tasks.task_on(access->worker, round_ms(access->at));
    // The file, not its name: a write to x.tmp renamed to x is read as x.
    const auto& file = access->file.empty() ? access->path : access->file;
    if (access->operation == ScratchOperation::kModified) {
      written[file] = {access->at, task};
      continue;
    }
    if (access->operation != ScratchOperation::kRead || task == nullptr) continue;
    const auto last = written.find(file);
    if (last == written.end() || last->second.writer == nullptr) continue;
    const auto* writer = last->second.writer;
    if (writer == task || !(*writer->started < *task->started)) continue;
    if (!seen.insert({file, writer, task}).second) continue;
    reliances.push_back({access->path, writer, task, last->second.at, access->at});
  }
  return reliances;
}

std::vector<Evidence> cold_host_file_evidence(const history::History& history,
                                              const std::vector<HostFileReliance>& reliances) {
  const auto origin = origin_of(history);
  std::vector<Evidence> items;
  for (const auto& reliance : reliances) {
    if (reliance.reader->phase != history::Phase::kCold) continue;
    std::string text = "file " + reliance.path + " (outside every scratch directory): written at " +
                       relative_time(reliance.written, origin) + " by " +
                       task_label(history, *reliance.writer) + " on " + reliance.writer->worker +
                       ", read at " + relative_time(reliance.read, origin) + " by " +
                       task_label(history, *reliance.reader) + " on " + reliance.reader->worker +
                       ": that worker was fresh, the file was not";
    items.push_back({std::move(text),
                     {{"verdict", "not cold"},
                      {"file", reliance.path},
                      {"writer", task_data(*reliance.writer, origin)},
                      {"reader", task_data(*reliance.reader, origin)},
                      {"written_s", relative_seconds(reliance.written, origin)},
                      {"read_s", relative_seconds(reliance.read, origin)}}});
  }
  return items;
}

}  // namespace loveless::checks::detail
