#pragma once

// Headless Chromium for the HTML report's browser test: one run of the
// `chromium` command on a file:// URL, bounded in time, with a fresh profile
// and HOME under a temporary directory, no network (every host name resolves
// to nothing), and nothing left running afterwards.

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace loveless::testing {

struct ChromiumRun {
  /// The limit passed first and the process group was killed.
  bool timed_out = false;
  /// The exit code, or -1 when a signal ended it.
  int exit_code = -1;
  std::string out;
  std::string err;
  /// Processes that named `work` after the run (helpers that escaped the
  /// process group) and had to be killed: should be none.
  std::vector<int> orphans;
};

/// Runs `chromium --headless --no-sandbox --disable-gpu` with `args` in its
/// own process group, its profile (`--user-data-dir`) and HOME in `work`
/// (created), stdout and stderr to files there. After `limit` the group gets
/// SIGKILL; after it exits, too (a helper it left behind). Then it waits up
/// to 5 s for every process whose command line names `work` to go, and kills
/// and lists those that do not.
ChromiumRun run_chromium(const std::filesystem::path& chromium, const std::filesystem::path& work,
                         const std::vector<std::string>& args, std::chrono::seconds limit);

/// The pids of processes whose command line contains `text`.
std::vector<int> processes_naming(const std::string& text);

/// `file://` and the absolute path.
std::string file_url(const std::filesystem::path& file);

}  // namespace loveless::testing
