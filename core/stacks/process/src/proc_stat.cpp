#include "proc_stat.hpp"

#include <fstream>
#include <sstream>
#include <string>

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

}  // namespace loveless::stacks::process
