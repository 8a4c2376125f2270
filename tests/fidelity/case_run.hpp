#pragma once

// Runs one corpus case against a fresh in-process engine and compares.

#include <string>
#include <vector>

#include "corpus_case.hpp"

namespace loveless::fidelity {

struct CaseOutcome {
  /// Every way the engine differed from the recording; empty: the case passes.
  std::vector<std::string> differences;
  double seconds = 0;
};

/// Runs `corpus_case`: registers its functions and activities, creates the
/// state machine, starts the execution, stops it if the case says so, waits
/// for it to end (at most `kCaseDeadline`) and compares history and
/// DescribeExecution with the recording. Never throws for an engine error:
/// that is a difference.
CaseOutcome run_case(const CorpusCase& corpus_case);

}  // namespace loveless::fidelity
