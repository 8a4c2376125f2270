#include "html_reporter.hpp"

#include <algorithm>
#include <sstream>

#include "loveless/injectors/fault_types.hpp"
#include "loveless/timestamps/timestamps.hpp"

#include "html_scenario.hpp"
#include "report_support.hpp"
#include "xml_text.hpp"

namespace loveless::reports {
namespace {

/// Inline, so the page needs nothing but itself: this, then each fault
/// kind's colours from the table of fault types (`fault_styles`), then
/// `kStyleEnd`.
constexpr const char* kStyle =
    R"css(body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1d1d1f;background:#fff}
h1{font-size:22px;margin:0 0 8px}h2{font-size:18px;margin:0 0 8px}h3{font-size:15px;margin:18px 0 6px}
table{border-collapse:collapse;margin:6px 0}th,td{border:1px solid #d8d8d8;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.n{text-align:right}
.badge{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;font-weight:600;color:#fff;background:#777}
.badge.passed,.badge.pass{background:#2e7d32}.badge.failed,.badge.fail{background:#c62828}
.badge.unknown{background:#8d6e00}.badge.partial{background:#6a1b9a}.badge.shouldfail,.badge.expected{background:#455a64}
.banner{padding:8px 12px;background:#f3e5f5;border-left:4px solid #6a1b9a}
.note{color:#444}dl.meta{display:grid;grid-template-columns:max-content auto;gap:0 12px;margin:6px 0}
dl.meta dt{color:#666}dl.meta dd{margin:0}
section.scenario{border-top:2px solid #ddd;padding-top:14px;margin-top:24px}
ul.evidence{margin:4px 0;padding-left:18px;font-size:13px}p.summary,p.measurements{margin:0}
code{font-size:12px;color:#555}
.timeline-box{overflow-x:auto}p.timeline-note{color:#8d6e00;font-size:13px;margin:2px 0}
svg text{font:11px system-ui,sans-serif;fill:#333}
.phase-control{fill:#e8f1fb}.phase-chaos{fill:#fdeee4}.phase-cold{fill:#e7f5ef}.phase-label{font-weight:600}
.tick{stroke:#000;stroke-opacity:.08}.tick-label{text-anchor:middle;fill:#666}
.row-bg{fill:none}.row-bg.even{fill:#000;fill-opacity:.035}
.lifeline{stroke:#9e9e9e;stroke-width:1}.death{stroke:#000;stroke-width:2}
.task{stroke:#fff;stroke-width:.5}.task.failed{stroke:#b71c1c;stroke-width:2;stroke-dasharray:3 2;fill-opacity:.5}
.task.timed-out{stroke:#b71c1c;stroke-width:2;stroke-dasharray:1 2;fill-opacity:.5}
.task.open{stroke:#616161;stroke-dasharray:4 2;fill-opacity:.35}
a.flagged .task{stroke:#000;stroke-width:1.5}
.recovery path{stroke:#00897b;stroke-width:2;fill:none}.recovery.unrecovered path{stroke:#c62828;stroke-dasharray:5 3}
.recovery .detected{fill:#00897b}
.mark{stroke-width:2.5}.fault .duration{stroke-width:3;stroke-opacity:.45}
)css";

/// After the fault kinds' rules, which it overrides.
constexpr const char* kStyleEnd =
    R"css(.fault.not-applied .mark{fill:none;stroke:#9e9e9e;stroke-dasharray:2 1}
:target .mark{stroke-width:5}
.swatch{display:inline-block;width:12px;height:12px;margin-right:6px;vertical-align:-1px;border-radius:2px}
svg.legend{vertical-align:middle}
)css";

/// The key to the timeline's marks, once per page: this, `legend_marks()`,
/// then `kLegendEnd`.
constexpr const char* kLegendStart =
    R"html(<details class="legend" open><summary>How to read the timelines</summary>
<p>x is seconds since the scenario's run started; the control, cold and chaos phases are shaded and labelled. Each row is one worker, from its start to its death (a black tick). Bars are tasks on that worker, coloured by execution (the same colour for all tasks of one execution); a dashed red outline is a failed attempt, a dotted one a timed-out attempt, a grey dashed one a task still open when the history ended. A bar with a black outline belongs to a failed or divergent execution and links to it in the list under the timeline, which links to the faults attributed to it. Hover over any mark for its details.</p>
)html";

/// After the legend's marks.
constexpr const char* kLegendEnd =
    R"html(<p>A fault's line shows how long a pause or latency lasts. A green line under a row runs from a fault that disrupted a task to the moment the same work succeeded (usually on another worker); its dot marks when the orchestrator detected the failure; a dashed red line is work that never recovered.</p>
</details>
)html";

/// One CSS rule per recorded fault kind, as the table of fault types draws it.
std::string fault_styles() {
  std::string css;
  for (const auto& definition : injectors::fault_definitions()) {
    if (!definition.recorded_as) continue;
    const auto selector = ".fault-" + std::string(history::to_string(*definition.recorded_as));
    const auto& marker = definition.marker;
    if (marker.duration_style == marker.mark_style) {
      css += selector + " .mark," + selector + " .duration{" + std::string(marker.mark_style) + "}";
    } else {
      css += selector + " .mark{" + std::string(marker.mark_style) + "}";
      if (!marker.duration_style.empty()) {
        css += selector + " .duration{" + std::string(marker.duration_style) + "}";
      }
    }
    css += "\n";
  }
  return css;
}

/// The legend's row of marks: every recorded fault kind, a fault not
/// applied, and a recovery line, each followed by its label.
std::string legend_marks() {
  std::string marks;
  int x = 10;
  const auto mark = [&](const std::string& classes, std::string_view path,
                        const std::string& label) {
    marks += "<g class=\"legend-mark " + classes + "\" transform=\"translate(" + std::to_string(x) +
             " 10)\"><path class=\"mark\" d=\"" + std::string(path) + "\"/></g><text x=\"" +
             std::to_string(x + 10) + "\" y=\"14\">" + label + "</text>\n";
    x += 30 + 6 * static_cast<int>(label.size());
  };
  for (const auto& definition : injectors::fault_definitions()) {
    if (!definition.recorded_as) continue;
    const auto kind = std::string(history::to_string(*definition.recorded_as));
    mark("fault-" + kind, definition.marker.path, kind);
  }
  mark("fault-kill not-applied", injectors::fault_marker(history::FaultKind::kStop).path,
       "not applied");
  marks += "<g class=\"recovery\" transform=\"translate(" + std::to_string(x) +
           " 10)\"><path d=\"M-10 0H20M20-4v8\"/><circle class=\"detected\" cx=\"0\" cy=\"0\" "
           "r=\"2.5\"/></g><text x=\"" +
           std::to_string(x + 25) + "\" y=\"14\">recovery</text>\n";
  const auto width = std::to_string(x + 80);
  return "<p><svg class=\"legend\" width=\"" + width + "\" height=\"20\" viewBox=\"0 0 " + width +
         " 20\">\n" + marks + "</svg></p>\n";
}

std::string escape(const std::string& text) { return xml_escape(text); }

/// `<time datetime="2023-11-14T22:13:20Z">2023-11-14 22:13:20 UTC</time>`.
std::string time_element(history::TimePoint at) {
  const std::string machine = timestamps::format_rfc3339(at);
  const std::string human = machine.substr(0, 10) + " " + machine.substr(11, 8) + " UTC";
  return "<time datetime=\"" + machine + "\">" + human + "</time>";
}

std::string cell(const std::string& text, bool number = false) {
  return std::string(number ? "<td class=\"n\">" : "<td>") + text + "</td>";
}

}  // namespace

HtmlReporter::HtmlReporter(std::filesystem::path file, std::ostream* notices)
    : destination_(std::move(file), notices) {}

HtmlReporter::HtmlReporter(std::ostream& out) : destination_(out) {}

void HtmlReporter::suite_started(const SuiteInfo& suite) { suite_ = suite; }

void HtmlReporter::scenario_started(const ScenarioInfo& /*scenario*/) {}

void HtmlReporter::scenario_ended(const ScenarioInfo& scenario, const ScenarioResult& result) {
  const auto prefix = "s" + std::to_string(++scenarios_);
  const auto& history = result.history;
  if (!history.run_id.empty() &&
      std::find(run_ids_.begin(), run_ids_.end(), history.run_id) == run_ids_.end()) {
    run_ids_.push_back(history.run_id);
  }
  std::string name = "<a href=\"#" + prefix + "\">" + escape(scenario.name) + "</a>";
  if (scenario.should_fail) name += " <span class=\"badge shouldfail\">[!shouldfail]</span>";
  if (history.partial) name += " <span class=\"badge partial\">partial</span>";
  rows_ += "<tr>" + cell(name) +
           cell("<span class=\"badge " + std::string(result.passed ? "passed" : "failed") + "\">" +
                escape(html_outcome(scenario, result)) + "</span>") +
           cell(std::to_string(count_outcome(result.verdicts, checks::Outcome::kPass)), true) +
           cell(std::to_string(count_outcome(result.verdicts, checks::Outcome::kFail)), true) +
           cell(std::to_string(count_outcome(result.verdicts, checks::Outcome::kUnknown)), true) +
           cell(std::to_string(history.executions.size()), true) +
           cell(std::to_string(history.tasks.size()), true) +
           cell(std::to_string(applied_faults(history)), true) +
           cell(seconds_text(run_duration(history)) + " s", true) + "</tr>\n";
  sections_ += html_scenario_section(prefix, scenario, result);
}

void HtmlReporter::suite_ended(const SuiteTotals& totals) {
  std::ostringstream page;
  page << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
       << "<title>Loveless report: " << escape(suite_.suite) << "</title>\n<style>\n"
       << kStyle << fault_styles() << kStyleEnd
       << "</style>\n</head>\n<body>\n<header>\n<h1>Loveless report: " << escape(suite_.suite)
       << "</h1>\n";
  if (totals.interrupted) {
    page << "<p class=\"banner\"><span class=\"badge partial\">partial</span> the suite was "
            "interrupted: "
         << totals.run << " of " << totals.selected
         << " selected scenarios ran, and the last one's verdicts judge what it recorded</p>\n";
  }
  std::string run_ids;
  for (const auto& id : run_ids_) run_ids += (run_ids.empty() ? "" : ", ") + id;
  const auto duration =
      std::chrono::duration_cast<std::chrono::milliseconds>(totals.ended - suite_.started);
  page << "<dl class=\"meta\"><dt>suite</dt><dd>" << escape(suite_.suite)
       << "</dd><dt>stack</dt><dd>" << escape(suite_.stack) << "</dd><dt>seed</dt><dd>"
       << suite_.seed << " (--seed " << suite_.seed
       << " reproduces the fault plan)</dd><dt>run id</dt><dd>" << escape(run_ids)
       << "</dd><dt>started</dt><dd>" << time_element(suite_.started)
       << "</dd><dt>duration</dt><dd>" << seconds_text(duration) << " s</dd><dt>scenarios</dt><dd>"
       << totals.selected << " selected, " << totals.run << " run, " << totals.passed << " passed, "
       << totals.failed << " failed</dd></dl>\n</header>\n"
       << "<table class=\"summary\"><thead><tr><th>scenario</th><th>outcome</th><th>pass</th>"
          "<th>fail</th><th>unknown</th><th>executions</th><th>tasks</th><th>faults</th>"
          "<th>duration</th></tr></thead><tbody>\n"
       << rows_ << "</tbody></table>\n"
       << kLegendStart << legend_marks() << kLegendEnd << sections_ << "</body>\n</html>\n";
  destination_.deliver(page.str());
}

}  // namespace loveless::reports
