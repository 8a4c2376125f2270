#pragma once

#include <filesystem>
#include <ostream>

#include "loveless/scenario/runner.hpp"
#include "loveless/scenario/scenario.hpp"

namespace loveless::cli {

/// Prints a scenario's verdicts: one line per check, then its evidence
/// (at most `evidence_lines` per check unless `verbose`).
void print_verdicts(std::ostream& out, const scenario::ScenarioSpec& spec,
                    const scenario::RunResult& result, bool verbose);

/// Writes `<dir>/<scenario slug>.json` ({scenario, passed, should_fail,
/// verdicts, history}) through a temporary file renamed into place, so a
/// report is never half-written. Returns its path.
std::filesystem::path write_json_report(const std::filesystem::path& dir,
                                        const scenario::ScenarioSpec& spec,
                                        const scenario::RunResult& result);

}  // namespace loveless::cli
