#pragma once

#include <cstddef>
#include <string>

#include "loveless/reports/reporter.hpp"

namespace loveless::reports {

/// What the HTML report shows of one scenario beside its timeline.
struct HtmlScenarioLimits {
  /// Evidence items listed per check; the rest are counted (the JSON report has them).
  std::size_t evidence = 100;
};

/// `scenario` outcome in words, as the summary and the section show it:
/// `passed`, `failed`, `passed (expected to fail: a check failed)`,
/// `failed (expected to fail, but no check failed)`.
std::string html_outcome(const ScenarioInfo& scenario, const ScenarioResult& result);

/// One scenario's `<section class="scenario" id="<prefix>">`: its outcome
/// (with `[!shouldfail]` and `partial` shown), tags, source, run id, seed and
/// fault plan; a table of its checks (outcome, name, summary, evidence, all
/// escaped); its timeline (`timeline_svg`); and its failed and divergent
/// executions (`id="<prefix>-exec-<index>"`), each with links to its
/// attributed faults' markers (`#<prefix>-fault-<id>`).
std::string html_scenario_section(const std::string& prefix, const ScenarioInfo& scenario,
                                  const ScenarioResult& result,
                                  const HtmlScenarioLimits& limits = {});

}  // namespace loveless::reports
