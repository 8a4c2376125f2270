#include "html_scenario.hpp"

#include <map>

#include "execution_links.hpp"
#include "report_support.hpp"
#include "timeline_svg.hpp"
#include "xml_text.hpp"

namespace loveless::reports {
namespace {

std::string escape(const std::string& text) { return xml_escape(text); }

std::string badge(const std::string& kind, const std::string& text) {
  return "<span class=\"badge " + kind + "\">" + escape(text) + "</span>";
}

std::string meta(const ScenarioInfo& scenario, const ScenarioResult& result) {
  const auto& history = result.history;
  std::string html = "<dl class=\"meta\">";
  const auto item = [&](const std::string& term, const std::string& value) {
    html += "<dt>" + term + "</dt><dd>" + escape(value) + "</dd>";
  };
  if (!scenario.tags.empty()) item("tags", tags_text(scenario.tags));
  if (!scenario.source_file.empty()) {
    item("source", scenario.source_file + ":" + std::to_string(scenario.source_line));
  }
  item("run id", history.run_id);
  item("stack", history.stack);
  item("seed", std::to_string(history.seed));
  item("duration", seconds_text(run_duration(history)) + " s");
  item("executions", std::to_string(history.executions.size()));
  item("tasks", std::to_string(history.tasks.size()));
  const auto disposals = cold_phase_disposals(history);
  item("faults applied",
       std::to_string(applied_faults(history)) + " of " + std::to_string(injected_faults(history)) +
           (disposals == 0 ? std::string()
                           : ", and " + std::to_string(disposals) +
                                 " disposals of the cold phase (a fresh worker per task)"));
  html += "</dl>\n";
  if (!scenario.injectors.empty()) {
    html +=
        "<p class=\"plan\">fault plan (with the seed, it reproduces the faults):</p><ul "
        "class=\"plan\">";
    for (const auto& injector : scenario.injectors) html += "<li>" + escape(injector) + "</li>";
    html += "</ul>\n";
  }
  return html;
}

std::string checks_table(const ScenarioInfo& scenario, const ScenarioResult& result,
                         const HtmlScenarioLimits& limits) {
  if (result.verdicts.empty()) return "<p>no checks</p>\n";
  std::string html =
      "<table class=\"checks\"><thead><tr><th>outcome</th><th>check</th><th>summary and "
      "evidence</th></tr></thead><tbody>\n";
  for (const auto& verdict : result.verdicts) {
    const auto outcome = std::string(checks::to_string(verdict.outcome));
    html += "<tr class=\"" + outcome + "\"><td>" + badge(outcome, outcome);
    if (verdict.outcome == checks::Outcome::kFail && scenario.should_fail) {
      html += " " + badge("expected", "expected");
    }
    html += "</td><td>" + escape(verdict.check) + "</td><td><p class=\"summary\">" +
            escape(verdict.summary) + "</p>";
    if (!verdict.evidence.empty()) {
      html += "<ul class=\"evidence\">";
      const auto shown = std::min(verdict.evidence.size(), limits.evidence);
      for (std::size_t i = 0; i < shown; ++i) {
        html += "<li>" + escape(verdict.evidence[i].text) + "</li>";
      }
      if (verdict.evidence.size() > shown) {
        html += "<li class=\"more\">and " + std::to_string(verdict.evidence.size() - shown) +
                " more (the JSON report has them all)</li>";
      }
      html += "</ul>";
    }
    if (verdict.measurements.is_object() && !verdict.measurements.empty()) {
      html += "<p class=\"measurements\"><code>" +
              escape(verdict.measurements.dump(-1, ' ', false,
                                               nlohmann::json::error_handler_t::replace)) +
              "</code></p>";
    }
    html += "</td></tr>\n";
  }
  return html + "</tbody></table>\n";
}

std::string fault_link(const std::string& prefix, const history::History& history,
                       std::uint64_t id) {
  const auto origin = run_origin(history);
  std::string text = "#" + std::to_string(id);
  for (const auto& fault : history.faults) {
    if (fault.id != id) continue;
    text += " " + std::string(history::to_string(fault.kind)) + " of " + fault.worker + " at " +
            relative_text(std::chrono::duration<double>(fault.applied - origin).count());
    break;
  }
  return "<a href=\"#" + escape(prefix) + "-fault-" + std::to_string(id) + "\">" + escape(text) +
         "</a>";
}

std::string flagged_list(const std::string& prefix, const history::History& history,
                         const std::vector<FlaggedExecution>& flagged) {
  if (flagged.empty()) return "";
  std::string html = "<h3>Failed and divergent executions</h3>\n<ul class=\"flagged\">\n";
  for (const auto& item : flagged) {
    const auto& execution = history.executions.at(item.index);
    html +=
        "<li id=\"" + escape(prefix) + "-exec-" + std::to_string(item.index) +
        "\"><span class=\"swatch\" style=\"background:" + execution_colour(execution.arn) +
        "\"></span>" +
        escape(std::string(history::to_string(execution.phase)) + " execution " + execution.name +
               " (input " + std::to_string(execution.input_index) + ") " + item.why);
    if (item.faults.empty()) {
      html += ": no fault hit the workers that ran its tasks";
    } else {
      html += item.faults.size() == 1 ? ": attributed fault " : ": attributed faults ";
      for (std::size_t i = 0; i < item.faults.size(); ++i) {
        html += (i == 0 ? "" : ", ") + fault_link(prefix, history, item.faults[i]);
      }
    }
    html += "</li>\n";
  }
  return html + "</ul>\n";
}

}  // namespace

std::string html_outcome(const ScenarioInfo& scenario, const ScenarioResult& result) {
  if (!scenario.should_fail) return result.passed ? "passed" : "failed";
  return result.passed ? "passed (expected to fail: a check failed)"
                       : "failed (expected to fail, but no check failed" +
                             undecided_checks_note(result.verdicts) + ")";
}

std::string html_scenario_section(const std::string& prefix, const ScenarioInfo& scenario,
                                  const ScenarioResult& result, const HtmlScenarioLimits& limits) {
  const auto flagged = flagged_executions(result.history, result.verdicts);
  std::string html =
      "<section class=\"scenario\" id=\"" + escape(prefix) + "\">\n<h2>" +
      badge(result.passed ? "passed" : "failed", result.passed ? "passed" : "failed");
  if (scenario.should_fail) html += " " + badge("shouldfail", "[!shouldfail]");
  if (result.history.partial) html += " " + badge("partial", "partial");
  html += " " + escape(scenario.name) + "</h2>\n";
  if (scenario.should_fail) {
    html += "<p class=\"note\">" + escape(html_outcome(scenario, result)) + "</p>\n";
  }
  if (result.history.partial) {
    html +=
        "<p class=\"note partial\">partial: the run was cut short; the verdicts judge what it "
        "recorded</p>\n";
  }
  html += meta(scenario, result);
  html += "<h3>Checks</h3>\n" + checks_table(scenario, result, limits);
  html += "<h3>Timeline</h3>\n<div class=\"timeline-box\">" +
          timeline_svg(result.history, flagged, prefix) + "</div>\n";
  html += flagged_list(prefix, result.history, flagged);
  return html + "</section>\n";
}

}  // namespace loveless::reports
