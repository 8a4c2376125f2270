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
#include "corpus_files.hpp"

namespace {

namespace fs = std::filesystem;
using loveless::fidelity::CaseOutcome;
using loveless::fidelity::CorpusCase;

/// Cases mostly wait on timers: several run at once on a 2-core machine.
constexpr unsigned kCasesAtOnce = 8;

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
    for (const auto& file : loveless::fidelity::case_files({argv + 1, argv + argc})) {
      cases.push_back(loveless::fidelity::load_case(file, loveless::fidelity::root_of(file)));
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
  std::vector<loveless::fidelity::CaseReport> reports;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    reports.push_back({cases[i].name, cases[i].recording, cases[i].known_difference,
                       outcomes[i].differences, outcomes[i].seconds});
  }
  return loveless::fidelity::print_report(reports);
}
