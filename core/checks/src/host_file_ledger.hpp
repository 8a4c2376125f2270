#pragma once

// Files outside scratch that one task wrote and a later task read: what the
// host file audit (process stack, fanotify) says the cold phase could not hide
// from its fresh workers (docs/checks.md, "State outside scratch").

#include <vector>

#include "loveless/checks/check.hpp"
#include "loveless/history/history.hpp"

#include "scratch_ledger.hpp"

namespace loveless::checks::detail {

/// `reader` read `path` (outside every scratch directory) after `writer`, a
/// task that started before it, had written it.
struct HostFileReliance {
  std::string path;
  const history::TaskRecord* writer = nullptr;
  const history::TaskRecord* reader = nullptr;
  history::TimePoint written{};
  history::TimePoint read{};
};

/// Replays `history.host_file_accesses` in time order (a file is its `file`
/// identity, or its path where that is empty), attributing each write and
/// read to the task its worker ran then, as the scratch ledger attributes
/// scratch accesses (`ScratchLedger::task_on`). One reliance per (file,
/// writer, reader), in read order. Reads and writes outside every task (a
/// worker's start-up) are not a task's and are left out. Holds pointers into
/// `history`, which must outlive the result.
std::vector<HostFileReliance> host_file_reliances(const history::History& history,
                                                  const ScratchLedger& tasks);

/// One evidence item per reliance whose reader ran in the cold phase (data:
/// `verdict: "not cold"`, `file`, `writer`, `reader`, `written_s`, `read_s`):
/// the cold phase was not cold for those files.
std::vector<Evidence> cold_host_file_evidence(const history::History& history,
                                              const std::vector<HostFileReliance>& reliances);

}  // namespace loveless::checks::detail
