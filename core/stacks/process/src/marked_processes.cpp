#include "marked_processes.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string_view>

#include "proc_stat.hpp"

namespace loveless::stacks::process {

bool environment_holds(pid_t pid, const std::vector<std::string>& marks) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
  if (!in) return false;
  const std::string environ((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string_view> entries;
  for (std::size_t start = 0; start < environ.size();) {
    auto end = environ.find('\0', start);
    if (end == std::string::npos) end = environ.size();
    entries.emplace_back(environ.data() + start, end - start);
    start = end + 1;
  }
  return std::all_of(marks.begin(), marks.end(), [&](const std::string& mark) {
    return std::find(entries.begin(), entries.end(), mark) != entries.end();
  });
}

std::vector<pid_t> marked_processes(const std::vector<std::string>& marks,
                                    std::uint64_t started_at) {
  std::vector<pid_t> found;
  if (marks.empty()) return found;
  for_each_live_process([&](pid_t pid, const ProcStat& stat) {
    if (stat.start_time >= started_at && environment_holds(pid, marks)) found.push_back(pid);
  });
  return found;
}

}  // namespace loveless::stacks::process
