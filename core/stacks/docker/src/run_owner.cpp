#include "run_owner.hpp"

#include <array>
#include <fstream>
#include <sstream>
#include <vector>

#include <unistd.h>

namespace loveless::stacks::docker {
namespace {

std::string host_name() {
  std::array<char, 256> buffer{};
  if (::gethostname(buffer.data(), buffer.size() - 1) != 0) return "unknown-host";
  return buffer.data();
}

// Field 22 of /proc/<pid>/stat; empty when there is no such process. The
// command name (field 2) may hold spaces, so fields are counted after its ')'.
std::string process_start_ticks(long pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return {};
  const auto close = line.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream fields(line.substr(close + 1));
  std::string field;
  // After ')' come field 3 (state) onwards; field 22 is the 20th of those.
  for (int i = 3; i <= 22; ++i) {
    if (!(fields >> field)) return {};
  }
  return field;
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

}  // namespace

std::string current_run_owner() {
  const long pid = ::getpid();
  return host_name() + "/" + std::to_string(pid) + "/" + process_start_ticks(pid);
}

OwnerLiveness owner_liveness(std::string_view owner) {
  const auto parts = split(owner, '/');
  if (parts.size() != 3 || parts[1].empty() || parts[2].empty()) return OwnerLiveness::kUnknown;
  if (parts[0] != host_name()) return OwnerLiveness::kUnknown;
  long pid = 0;
  try {
    std::size_t used = 0;
    pid = std::stol(parts[1], &used);
    if (used != parts[1].size() || pid <= 0) return OwnerLiveness::kUnknown;
  } catch (const std::exception&) {
    return OwnerLiveness::kUnknown;
  }
  return process_start_ticks(pid) == parts[2] ? OwnerLiveness::kAlive : OwnerLiveness::kDead;
}

}  // namespace loveless::stacks::docker
