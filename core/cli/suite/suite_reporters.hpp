#pragma once

#include <filesystem>
#include <vector>

#include "loveless/reports/reporter.hpp"
#include "loveless/reports/reporter_spec.hpp"
#include "loveless/scenario/scenario.hpp"

namespace loveless::cli {

/// The reportable parts of a declared scenario: name, tags, `[!shouldfail]`,
/// source, and the fault plan (each injector described).
reports::ScenarioInfo scenario_info(const scenario::ScenarioSpec& spec);

/// The reporters of `-r` (`specs`) and of `--report-dir` (`report_dir`,
/// empty: none), in that order, after the console on stdout unless a spec
/// writes to stdout. Throws
/// `reports::ReporterSpecError` when two write to one place or a directory
/// cannot be created.
reports::ReporterSet make_suite_reporters(const std::vector<reports::ReporterSpec>& specs,
                                          const std::filesystem::path& report_dir,
                                          const reports::ReporterContext& context);

/// True when a reporter other than the console writes to stdout: progress
/// lines then go to stderr, so stdout holds the report alone.
bool stdout_holds_a_report(const std::vector<reports::ReporterSpec>& specs);

}  // namespace loveless::cli
