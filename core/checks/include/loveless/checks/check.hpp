#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/history/history.hpp"

namespace loveless::checks {

/// A verdict is three-valued: a check that cannot decide (no data, an
/// exception) says so instead of passing.
enum class Outcome { kPass, kFail, kUnknown };
/// `pass`, `fail`, `unknown`.
std::string_view to_string(Outcome outcome);

/// One piece of evidence: a sentence a person reads, and the same facts as
/// data for reports (`{"execution": ARN, "worker": "count-words-2", ...}`).
struct Evidence {
  std::string text;
  nlohmann::json data = nlohmann::json::object();
};

/// What one check concluded about one history.
struct Verdict {
  /// The check's name, e.g. `all executions succeeded`.
  std::string check;
  Outcome outcome = Outcome::kUnknown;
  /// One line: `20 of 20 chaos executions succeeded`.
  std::string summary;
  std::vector<Evidence> evidence;
  /// Figures the check measured (`{"p95_ms": 2100, "count": 14}`), for reports.
  nlohmann::json measurements = nlohmann::json::object();
  /// The phases whose executions the verdict judges (`judge` sets them from
  /// Check::phases): JUnit gives the check's testcase their wall time.
  std::vector<history::Phase> phases;
};

/// A check: a pure function from a history to a verdict. It must not throw;
/// `judge` turns an exception into an `unknown` verdict anyway.
class Check {
 public:
  virtual ~Check() = default;
  [[nodiscard]] virtual std::string name() const = 0;
  [[nodiscard]] virtual Verdict evaluate(const history::History& history) const = 0;
  /// True when the check judges the cold phase (every task on a fresh worker,
  /// `history::Phase::kCold`): a scenario with such a check gets one, run
  /// between control and chaos. The default: false.
  [[nodiscard]] virtual bool needs_cold_phase() const { return false; }
  /// The phases whose executions the check judges. The default: all three
  /// (control, cold, chaos).
  [[nodiscard]] virtual std::vector<history::Phase> phases() const;
};

using CheckPtr = std::shared_ptr<const Check>;

/// Runs `check` on `history`; an exception becomes `unknown` with the
/// exception's message as evidence. Never throws.
Verdict judge(const Check& check, const history::History& history) noexcept;

}  // namespace loveless::checks
