// fidelity_corpus: runs the corpus of executions recorded against AWS
// (tests/fidelity/README.md) against the local engine.
// Usage: fidelity_corpus PATH...   (case files, or folders searched recursively)
// Exit: 0 every case passed (or differs only where it is marked
// known_difference), 1 some case failed, 2 a malformed case or bad arguments.

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>
#include <vector>

#include "case_run.hpp"
#include "corpus_case.hpp"

namespace {

namespace fs = std::filesystem;
using loveless::fidelity::CaseOutcome;
using loveless::fidelity::CorpusCase;

/// Cases mostly wait on timers: several run at once on a 2-core machine.
constexpr unsigned kCasesAtOnce = 8;

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
      throw loveless::fidelity::CaseFormatError(path.string() + ": no such case file or folder");
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// The folder names are relative to: the nearest `cases` folder above, else the file's own.
fs::path root_of(const fs::path& file) {
  for (auto dir = file.parent_path(); !dir.empty() && dir != dir.root_path();
       dir = dir.parent_path()) {
    if (dir.filename() == "cases") return dir;
  }
  return file.parent_path();
}

std::vector<CaseOutcome> run_all(const std::vector<CorpusCase>& cases) {
  std::vector<CaseOutcome> outcomes(cases.size());
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> threads;
  const auto workers = std::min<std::size_t>(kCasesAtOnce, cases.size());
  for (std::size_t t = 0; t < workers; ++t) {
    threads.emplace_back([&] {
      for (auto i = next++; i < cases.size(); i = next++) {
        outcomes[i] = loveless::fidelity::run_case(cases[i]);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  return outcomes;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: fidelity_corpus PATH...  (case files or folders of them)\n";
    return 2;
  }
  std::vector<CorpusCase> cases;
  try {
    for (const auto& file : case_files({argv + 1, argv + argc})) {
      cases.push_back(loveless::fidelity::load_case(file, root_of(file)));
    }
  } catch (const loveless::fidelity::CaseFormatError& e) {
    std::cerr << "fidelity_corpus: malformed case: " << e.what() << "\n";
    return 2;
  }
  if (cases.empty()) {
    std::cerr << "fidelity_corpus: no case files (*.json) found\n";
    return 2;
  }
  const auto outcomes = run_all(cases);
  int passed = 0;
  int failed = 0;
  int known = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& differences = outcomes[i].differences;
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.1f s", outcomes[i].seconds);
    if (cases[i].known_difference) {
      if (differences.empty()) {
        ++failed;
        std::cout << "FAIL " << cases[i].name << " (" << seconds
                  << "): marked known_difference but now matches AWS: remove the mark\n";
      } else {
        ++known;
        std::cout << "known " << cases[i].name << " (" << seconds
                  << "): " << *cases[i].known_difference << "\n";
      }
      continue;
    }
    if (differences.empty()) {
      ++passed;
      std::cout << "pass " << cases[i].name << " (" << seconds << ")\n";
      continue;
    }
    ++failed;
    std::cout << "FAIL " << cases[i].name << " (" << seconds << ") [" << cases[i].recording
              << "]\n";
    for (const auto& line : differences) std::cout << "    " << line << "\n";
  }
  std::cout << cases.size() << " cases: " << passed << " passed, " << failed << " failed, "
            << known << " known differences\n";
  return failed == 0 ? 0 : 1;
}
