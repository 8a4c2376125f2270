#include "proc_stat.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

namespace loveless::stacks::process {

std::optional<ProcStat> read_proc_stat(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!in || !std::getline(in, line)) {
    return std::nullopt;
  }
  // The command name (field 2) may contain spaces and parentheses; the fields
  // after it start behind the last ')'.
  const auto close = line.rfind(')');
  if (close == std::string::npos) {
    return std::nullopt;
  }
  std::istringstream fields(line.substr(close + 1));
  ProcStat stat;
  std::uint64_t skip = 0;
  fields >> stat.state >> skip >> stat.pgid;  // fields 3, 4 (ppid), 5
  for (int field = 6; field < 22; ++field) {
    fields >> skip;
  }
  fields >> stat.start_time;
  if (!fields) {
    return std::nullopt;
  }
  return stat;
}

void for_each_live_process(const std::function<void(pid_t, const ProcStat&)>& visit) {
  const pid_t self = ::getpid();
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
    const auto name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const auto pid = static_cast<pid_t>(std::stol(name));
    if (pid == self) continue;
    const auto stat = read_proc_stat(pid);
    if (stat && stat->state != 'Z' && stat->state != 'X') visit(pid, *stat);
  }
}

}  // namespace loveless::stacks::process
