// The HTML reporter on recorded runs: the page approved against a baseline,
// the timeline's structure (a row per worker, a bar per task, a marker per
// fault, the anchors and links), escaping, no external reference, the limits
// on a large run, the page from a JSON report, and the file written
// atomically and marked partial.
#include "html_reporter.hpp"

#include <filesystem>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "loveless/reports/report_json.hpp"
#include "loveless/reports/reporter_spec.hpp"

#include "approval.hpp"
#include "execution_links.hpp"
#include "html_fixtures.hpp"
#include "html_text.hpp"
#include "json_reporter.hpp"
#include "report_fixtures.hpp"
#include "support/temp_dir.hpp"
#include "timeline_svg.hpp"

namespace {

namespace fs = std::filesystem;
using namespace loveless;
using namespace loveless::testing;

std::string html_of(const RecordedSuite& recorded) {
  return rendered<reports::HtmlReporter>(recorded);
}

std::string json_report_of(const RecordedSuite& recorded) {
  return rendered<reports::JsonReporter>(recorded);
}

}  // namespace

TEST_CASE("the HTML reporter writes the summary, checks and timelines as approved", "[reports]") {
  approve("report.html", normalise_html(html_of(html_suite())));
}

TEST_CASE("the timeline has a row per worker, a bar per task and a marker per fault", "[reports]") {
  const auto html = html_of(timeline_suite());
  const auto svg = timeline_of(html, "s1");
  CHECK(count_of(svg, "<g class=\"row\"") == 3);
  for (const auto* worker : {"count-words-1", "count-words-2", "count-words-3"}) {
    CHECK(count_of(svg, std::string("<g class=\"row\" data-worker=\"") + worker + "\"") == 1);
  }
  CHECK(count_of(svg, "<rect class=\"task ") == 7);
  CHECK(count_of(svg, "<rect class=\"task succeeded\"") == 5);
  CHECK(count_of(svg, "<rect class=\"task timed-out\"") == 1);
  CHECK(count_of(svg, "<rect class=\"task failed\"") == 1);
  CHECK(count_of(svg, "<g class=\"fault ") == 5);
  for (int id = 1; id <= 5; ++id) {
    CHECK(count_of(html, "id=\"s1-fault-" + std::to_string(id) + "\"") == 1);
  }
  for (const auto* kind : {"kill", "pause", "wipe-scratch", "latency"}) {
    CHECK(count_of(svg, std::string("<g class=\"fault fault-") + kind + "\"") == 1);
  }
  CHECK(count_of(svg, "<g class=\"fault fault-restart not-applied\"") == 1);
  CHECK(count_of(svg, "<rect class=\"phase phase-control\"") == 1);
  CHECK(count_of(svg, "<rect class=\"phase phase-chaos\"") == 1);
  // The kill's and the latency's disruptions recovered, the pause's did not.
  CHECK(count_of(svg, "<g class=\"recovery\"") == 2);
  CHECK(count_of(svg, "<g class=\"recovery unrecovered\"") == 1);
  CHECK(count_of(svg, "<path class=\"death\"") == 1);
}

TEST_CASE("a failed or divergent execution links to its attributed faults", "[reports]") {
  const auto html = html_of(timeline_suite());
  const auto svg = timeline_of(html, "s1");
  // doc-0-chaos (execution 3) diverged, doc-1-chaos (execution 4) failed:
  // their bars link to their entries, and only theirs.
  CHECK(count_of(svg, "<a class=\"flagged\" href=\"#s1-exec-3\">") == 2);
  CHECK(count_of(svg, "<a class=\"flagged\" href=\"#s1-exec-4\">") == 1);
  CHECK(count_of(svg, "<a class=\"flagged\"") == 3);
  const auto entry = [&](int index) {
    const auto begin = html.find("<li id=\"s1-exec-" + std::to_string(index) + "\">");
    REQUIRE(begin != std::string::npos);
    return html.substr(begin, html.find("</li>", begin) - begin);
  };
  const auto diverged = entry(3);
  CHECK(count_of(diverged, "output diverged from control") == 1);
  CHECK(count_of(diverged, "<a href=\"#s1-fault-1\">#1 kill of count-words-1 at +11.0 s</a>") == 1);
  const auto failed = entry(4);
  CHECK(count_of(failed, "(input 1) ended FAILED: attributed fault <a href=\"#s1-fault-2\">") == 1);
  CHECK(count_of(failed, "href=\"#s1-fault-1\"") == 0);
  CHECK(count_of(html, "<li id=\"s1-exec-") == 2);
}

TEST_CASE("evidence, summaries and names are escaped in the HTML", "[reports]") {
  const auto html = html_of(html_suite());
  CHECK(count_of(html, "<script") == 0);
  CHECK(count_of(html, "<b>") == 0);
  CHECK(count_of(html,
                 "&lt;script&gt;document.title=&apos;escaped&apos;&lt;/script&gt; &amp; "
                 "&quot;quoted&quot; &apos;apostrophes&apos;") == 1);
  CHECK(count_of(html, "a worker&apos;s error text &lt;b&gt;bold&lt;/b&gt; &amp; more") == 1);
  CHECK(count_of(html, "tmp-handoff &lt;caught&gt; &amp; &quot;quoted&quot; &apos;names&apos;") ==
        2);
  CHECK(count_of(html, "(no file &lt;counts-0.json&gt; &amp; no &quot;fallback&quot;)") == 1);
}

TEST_CASE("the HTML page needs nothing but itself", "[reports]") {
  const auto html = html_of(html_suite());
  for (const auto* reference :
       {"src=", "<link", "@import", "url(", "http:", "https:", "<script", "<iframe", "<img"}) {
    INFO(reference);
    CHECK(count_of(html, reference) == 0);
  }
  CHECK(html.rfind("<!DOCTYPE html>\n", 0) == 0);
  CHECK(count_of(html, "<style>") == 1);
}

TEST_CASE("the summary shows the suite and each scenario's outcome", "[reports]") {
  const auto page = html_of(html_suite());
  const auto html = page.substr(0, page.find("</header>"));
  CHECK(count_of(html, "<dt>seed</dt><dd>42 (--seed 42 reproduces the fault plan)</dd>") == 1);
  CHECK(count_of(html, "<dt>stack</dt><dd>process</dd>") == 1);
  CHECK(count_of(html, "<dt>run id</dt><dd>run-20231114-221319-4242</dd>") == 1);
  CHECK(count_of(html, "6 selected, 6 run, 2 passed, 4 failed") == 1);
  CHECK(count_of(page, "passed (expected to fail: a check failed)") == 2);
  CHECK(count_of(
            page,
            "failed (expected to fail, but no check failed; unknown: no local-state reliance)") ==
        2);
  CHECK(count_of(page, "<a href=\"#s6\">cut short</a> <span class=\"badge partial\">partial") == 1);
  CHECK(count_of(page, "<section class=\"scenario\" id=\"s") == 6);
  CHECK(count_of(html, "class=\"banner\"") == 1);
}

TEST_CASE("a JSON report renders again to the same HTML", "[reports]") {
  const auto recorded = html_suite_without_invalid_utf8();
  const auto parsed = reports::parse_report(nlohmann::json::parse(json_report_of(recorded)));
  RecordedSuite again;
  again.suite = parsed.suite;
  again.totals = parsed.totals;
  for (const auto& scenario : parsed.scenarios) {
    again.scenarios.push_back({scenario.info, scenario.result});
  }
  const auto direct = html_of(recorded);
  const auto rendered = html_of(again);
  CHECK(count_of(rendered, "<li id=\"s1-exec-4\">") == 1);
  CHECK(rendered == direct);
}

TEST_CASE("a run with thousands of tasks gives a bounded timeline with notes", "[reports]") {
  HistoryFixture fixture;
  fixture.phases(10, 600);
  fixture.execution(Phase::kChaos, 0, "big", "SUCCEEDED", 10, 600);
  for (int i = 0; i < 12000; ++i) {
    const auto worker = "count-words-" + std::to_string(i % 300);
    fixture.task("big", "CountWords", worker, 10 + i * 0.045, 10 + i * 0.045 + 0.5);
  }
  for (int i = 0; i < 1500; ++i) {
    fixture.fault(FaultKind::kKill, "count-words-" + std::to_string(i % 90), 11 + i * 0.3);
  }
  const reports::TimelineLimits limits;
  const auto svg = reports::timeline_svg(fixture.history, {}, "s1", limits);
  CHECK(count_of(svg, "<g class=\"row\"") == limits.rows);
  CHECK(count_of(svg, "<rect class=\"task ") == limits.bars);
  CHECK(count_of(svg, "<g class=\"fault ") == limits.markers);
  CHECK(count_of(svg, "200 more workers are not drawn (100 are: those that took faults first)") ==
        1);
  CHECK(count_of(svg, "1000 later tasks are not drawn (the first 3000 are)") == 1);
  CHECK(count_of(svg, "500 later faults are not drawn (the first 1000 are)") == 1);
  // About 300 bytes a bar and a marker: a browser opens it at once.
  CHECK(svg.size() < 2'000'000);
}

TEST_CASE("the HTML report is written atomically and marked partial when interrupted",
          "[reports]") {
  const TempDir dir;
  const auto file = dir.path() / "out" / "report.html";
  std::ostringstream notices;
  const auto reporter = reports::make_reporter(
      reports::parse_reporter_spec("html::out=" + file.string()), {nullptr, &notices});
  auto recorded = timeline_suite();
  recorded.totals.interrupted = true;
  recorded.scenarios.front().result.history.partial = true;
  play(*reporter, recorded);
  CHECK(notices.str() == "  report " + file.string() + "\n");
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(file.parent_path())) {
    names.insert(entry.path().filename().string());
  }
  CHECK(names == std::set<std::string>{"report.html"});
  const auto html = file_text(file);
  CHECK(count_of(html, "the suite was interrupted: 1 of 1 selected scenarios ran") == 1);
  CHECK(count_of(html, "partial: the run was cut short") == 1);

  // A directory where the file should be: an error naming it, the directory kept.
  const auto taken = dir.path() / "taken.html";
  fs::create_directories(taken);
  reports::HtmlReporter blocked(taken, nullptr);
  blocked.suite_started(recorded.suite);
  CHECK_THROWS_AS(blocked.suite_ended(recorded.totals), reports::ReportWriteError);
  CHECK(fs::is_directory(taken));
}

TEST_CASE("an execution keeps its colour in every report", "[reports]") {
  const auto arn = execution_arn("doc-0-chaos");
  CHECK(reports::execution_colour(arn) == reports::execution_colour(arn));
  CHECK(reports::execution_colour(arn) != reports::execution_colour(execution_arn("doc-1-chaos")));
  CHECK(reports::execution_colour(arn).rfind("hsl(", 0) == 0);
}

TEST_CASE("an execution a failed check names with faults is flagged even when it succeeded",
          "[reports]") {
  HistoryFixture fixture;
  fixture.phases();
  fixture.execution(Phase::kChaos, 0, "doc-0", "SUCCEEDED", 10, 12);
  fixture.task("doc-0", "CountWords", "count-words-1", 10.5, 11.5);
  fixture.fault(FaultKind::kKill, "count-words-1", 11.0);
  auto verdict = fixture.judge(checks::all_executions_end_in("FAILED"));
  REQUIRE(verdict.outcome == Outcome::kFail);
  const auto flagged = reports::flagged_executions(fixture.history, {verdict});
  REQUIRE(flagged.size() == 1);
  CHECK(flagged.front().index == 0);
  CHECK(flagged.front().why == "flagged by " + verdict.check);
  CHECK(flagged.front().faults == std::vector<std::uint64_t>{1});
  // A check that passed flags nothing.
  verdict.outcome = Outcome::kPass;
  CHECK(reports::flagged_executions(fixture.history, {verdict}).empty());
}
