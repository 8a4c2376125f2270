#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "loveless/reports/reporter.hpp"

namespace loveless::reports {

/// A reporter spec that cannot be used: an unknown reporter or option, an
/// empty file name, two reporters on stdout. The message says what to write
/// instead. The suite exits 2 on it.
class ReporterSpecError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// One `-r` argument, Catch2's syntax: `NAME[::out=FILE]`.
///
/// - NAME: `console`, `json`, `junit` or `html`;
/// - `out=FILE`: where the report goes; `-`, or no `out`, is stdout.
struct ReporterSpec {
  std::string name;
  /// Empty: stdout.
  std::filesystem::path out;
  [[nodiscard]] bool to_stdout() const { return out.empty(); }
};

/// The reporter names `parse_reporter_spec` accepts.
const std::vector<std::string>& reporter_names();

/// Parses `console`, `junit::out=report.xml`, `json::out=-`. Throws
/// `ReporterSpecError` for an unknown name or option, an empty or repeated
/// `out`, or a single `:` where `::` was meant.
ReporterSpec parse_reporter_spec(const std::string& text);

/// Throws `ReporterSpecError` when more than one spec writes to stdout (their
/// outputs would interleave), or two write the same file.
void check_outputs(const std::vector<ReporterSpec>& specs);

/// What reporters share with the suite.
struct ReporterContext {
  /// stdout (or a test's stream), for specs without a file.
  std::ostream* out = nullptr;
  /// Where a file reporter says `  report PATH` once it wrote PATH (nullptr: silent).
  std::ostream* notices = nullptr;
  /// The console prints every evidence item (otherwise at most 8 per check).
  bool verbose = false;
};

/// The reporter `spec` names. Creates the parent directory of `spec.out`;
/// throws `ReporterSpecError` if it cannot (before anything runs).
std::unique_ptr<Reporter> make_reporter(const ReporterSpec& spec, const ReporterContext& context);

/// `--report-dir DIR`: every file reporter with its standard name, as
/// docs/scenarios.md lists them: `DIR/<scenario slug>.json` per scenario
/// (written when the scenario ends), `DIR/report.json` (the whole suite),
/// `DIR/junit.xml` and `DIR/report.html` (written when the suite ends). Throws `ReporterSpecError`
/// when DIR cannot be created.
std::vector<std::unique_ptr<Reporter>> make_report_dir_reporters(const std::filesystem::path& dir,
                                                                 const ReporterContext& context);

}  // namespace loveless::reports
