#pragma once

// Figures of this process the benchmarks print, read from /proc/self.

#include <fstream>
#include <string>

namespace loveless::bench {

/// A numeric field of /proc/self/status (`Threads:`, `VmRSS:` in KiB), or -1.
inline long status_field(const std::string& name) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(name, 0) == 0) return std::stol(line.substr(name.size()));
  }
  return -1;
}

}  // namespace loveless::bench
