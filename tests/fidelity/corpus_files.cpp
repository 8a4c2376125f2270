#include "corpus_files.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "corpus_case.hpp"

namespace loveless::fidelity {

namespace fs = std::filesystem;

std::vector<fs::path> case_files(const std::vector<fs::path>& paths) {
  std::vector<fs::path> files;
  for (const auto& path : paths) {
    if (fs::is_directory(path)) {
      for (const auto& entry : fs::recursive_directory_iterator(path)) {
        if (entry.is_regular_file() && entry.path().extension() == ".json") {
          files.push_back(entry.path());
        }
      }
    } else if (fs::is_regular_file(path)) {
      files.push_back(path);
    } else {
      throw CaseFormatError(path.string() + ": no such case file or folder");
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

fs::path root_of(const fs::path& file) {
  for (auto dir = file.parent_path(); !dir.empty() && dir != dir.root_path();
       dir = dir.parent_path()) {
    if (dir.filename() == "cases") return dir;
  }
  return file.parent_path();
}

int print_report(const std::vector<CaseReport>& reports) {
  int passed = 0;
  int failed = 0;
  int known = 0;
  for (const auto& report : reports) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.1f s", report.seconds);
    if (report.known_difference) {
      if (report.differences.empty()) {
        ++failed;
        std::cout << "FAIL " << report.name << " (" << seconds
                  << "): marked known_difference but now matches AWS: remove the mark\n";
      } else {
        ++known;
        std::cout << "known " << report.name << " (" << seconds << "): " << *report.known_difference
                  << "\n";
      }
      continue;
    }
    if (report.differences.empty()) {
      ++passed;
      std::cout << "pass " << report.name << " (" << seconds << ")\n";
      continue;
    }
    ++failed;
    std::cout << "FAIL " << report.name << " (" << seconds << ") [" << report.recording << "]\n";
    for (const auto& line : report.differences) std::cout << "    " << line << "\n";
  }
  std::cout << reports.size() << " cases: " << passed << " passed, " << failed << " failed, "
            << known << " known differences\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace loveless::fidelity
