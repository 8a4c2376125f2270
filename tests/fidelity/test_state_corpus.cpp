// test_state_corpus: runs the corpus of TestState calls recorded against AWS
// (tests/fidelity/README.md, "TestState cases") against the local engine.
// Usage: test_state_corpus PATH...   (case files, or folders searched recursively)
// Exit: 0 every case passed (or differs only where it is marked
// known_difference), 1 some case failed, 2 a malformed case or bad arguments.

#include <chrono>
#include <iostream>
#include <vector>

#include "loveless/engine/service.hpp"

#include "corpus_case.hpp"
#include "corpus_files.hpp"
#include "test_state_case.hpp"

int main(int argc, char** argv) {
  using loveless::fidelity::TestStateCase;
  if (argc < 2) {
    std::cerr << "usage: test_state_corpus PATH...  (case files or folders of them)\n";
    return 2;
  }
  std::vector<TestStateCase> cases;
  try {
    for (const auto& file : loveless::fidelity::case_files({argv + 1, argv + argc})) {
      cases.push_back(
          loveless::fidelity::load_test_state_case(file, loveless::fidelity::root_of(file)));
    }
  } catch (const loveless::fidelity::CaseFormatError& e) {
    std::cerr << "test_state_corpus: malformed case: " << e.what() << "\n";
    return 2;
  }
  if (cases.empty()) {
    std::cerr << "test_state_corpus: no case files (*.json) found\n";
    return 2;
  }
  loveless::engine::ServiceOptions options;
  options.region = "us-east-1";
  options.account_id = "123456789012";
  options.seed = 42;
  loveless::engine::StepFunctionsService service(options);
  std::vector<loveless::fidelity::CaseReport> reports;
  for (const auto& test_case : cases) {
    const auto started = std::chrono::steady_clock::now();
    auto differences = loveless::fidelity::run_test_state_case(test_case, service);
    const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - started;
    reports.push_back({test_case.name, test_case.recording, test_case.known_difference,
                       std::move(differences), seconds.count()});
  }
  return loveless::fidelity::print_report(reports);
}
