#pragma once

// Command-line options the scenario benchmarks share.

#include <string>

namespace loveless::bench {

/// The integer after `name` on the command line (`--executions 20`), else `fallback`.
inline int int_option(int argc, char** argv, const std::string& name, int fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (argv[i] == name) return std::stoi(argv[i + 1]);
  }
  return fallback;
}

}  // namespace loveless::bench
