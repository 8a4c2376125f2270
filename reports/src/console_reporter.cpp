#include "console_reporter.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include "loveless/reports/atomic_file.hpp"

#include "report_support.hpp"

namespace loveless::reports {
namespace {

constexpr std::size_t kEvidenceLines = 8;

/// `850 ms` below a second, else `12.3 s`.
std::string duration_text(std::chrono::milliseconds duration) {
  if (duration.count() < 1000) return std::to_string(duration.count()) + " ms";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(duration.count()) / 1000.0);
  return text;
}

std::string padded(const std::string& text, std::size_t width, bool right) {
  if (text.size() >= width) return text;
  const std::string pad(width - text.size(), ' ');
  return right ? pad + text : text + pad;
}

}  // namespace

ConsoleReporter::ConsoleReporter(std::ostream& out, bool verbose) : out_(&out), verbose_(verbose) {}

ConsoleReporter::ConsoleReporter(std::filesystem::path file, std::ostream* notices, bool verbose)
    : buffer_(std::make_unique<std::ostringstream>()),
      out_(buffer_.get()),
      file_(std::move(file)),
      notices_(notices),
      verbose_(verbose) {}

void ConsoleReporter::suite_started(const SuiteInfo& /*suite*/) {}

void ConsoleReporter::scenario_started(const ScenarioInfo& /*scenario*/) {}

void ConsoleReporter::scenario_ended(const ScenarioInfo& scenario, const ScenarioResult& result) {
  auto& out = *out_;
  for (const auto& verdict : result.verdicts) {
    out << "  " << checks::to_string(verdict.outcome) << "  " << verdict.check << ": "
        << verdict.summary << "\n";
    const auto shown =
        verbose_ ? verdict.evidence.size() : std::min(verdict.evidence.size(), kEvidenceLines);
    for (std::size_t i = 0; i < shown; ++i) out << "          " << verdict.evidence[i].text << "\n";
    if (shown < verdict.evidence.size()) {
      out << "          ... " << verdict.evidence.size() - shown << " more (-v shows all)\n";
    }
  }
  out << (result.passed ? "PASSED" : "FAILED") << "  " << scenario.name;
  if (scenario.should_fail) {
    out << (result.passed ? " (expected to fail, and a check failed)"
                          : " (expected to fail, but no check failed" +
                                undecided_checks_note(result.verdicts) + ")");
  }
  if (result.history.partial) out << " (partial: the run was cut short)";
  out << "\n";
  out.flush();

  Row row;
  row.scenario = scenario.name;
  row.outcome = std::string(result.passed ? "passed" : "failed") +
                (result.history.partial ? " (partial)" : "");
  row.pass = count_outcome(result.verdicts, checks::Outcome::kPass);
  row.fail = count_outcome(result.verdicts, checks::Outcome::kFail);
  row.unknown = count_outcome(result.verdicts, checks::Outcome::kUnknown);
  row.executions = result.history.executions.size();
  row.faults = applied_faults(result.history);
  row.duration = duration_text(run_duration(result.history));
  rows_.push_back(std::move(row));
}

void ConsoleReporter::print_table() {
  const std::vector<std::string> headers = {"scenario", "outcome",    "pass",   "fail",
                                            "unknown",  "executions", "faults", "duration"};
  std::vector<std::vector<std::string>> cells;
  for (const auto& row : rows_) {
    cells.push_back({row.scenario, row.outcome, std::to_string(row.pass), std::to_string(row.fail),
                     std::to_string(row.unknown), std::to_string(row.executions),
                     std::to_string(row.faults), row.duration});
  }
  std::vector<std::size_t> widths;
  for (const auto& header : headers) widths.push_back(header.size());
  for (const auto& line : cells) {
    for (std::size_t i = 0; i < line.size(); ++i) widths[i] = std::max(widths[i], line[i].size());
  }
  const auto print = [&](const std::vector<std::string>& line) {
    std::string text = " ";
    // Names and outcomes read left to right; figures line up on the right.
    for (std::size_t i = 0; i < line.size(); ++i) text += " " + padded(line[i], widths[i], i >= 2);
    while (!text.empty() && text.back() == ' ') text.pop_back();
    *out_ << text << "\n";
  };
  *out_ << "summary (checks: pass, fail, unknown; faults applied):\n";
  print(headers);
  for (const auto& line : cells) print(line);
}

void ConsoleReporter::suite_ended(const SuiteTotals& totals) {
  if (!rows_.empty()) print_table();
  *out_ << totals.selected << " scenario(s): " << totals.passed << " passed, " << totals.failed
        << " failed\n";
  if (totals.interrupted) *out_ << "interrupted: the verdicts above are partial\n";
  out_->flush();
  if (!buffer_) return;
  write_atomically(file_, buffer_->str());
  if (notices_ != nullptr) *notices_ << "  report " << file_.string() << "\n";
}

}  // namespace loveless::reports
