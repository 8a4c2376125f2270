#include "execution_links.hpp"

#include <map>
#include <set>

#include "loveless/checks/builtin.hpp"

namespace loveless::reports {
namespace {

/// What a failing check's evidence item says about one execution.
struct Named {
  std::string arn;
  /// Why a succeeded execution is flagged.
  std::string why;
};

/// The execution an evidence item's data is about (`data.execution`, or
/// `data.chaos_execution.execution` as outputs_match_control writes a
/// divergence), or an empty ARN.
Named execution_of(const nlohmann::json& data, const std::string& check) {
  if (const auto it = data.find("execution"); it != data.end() && it->is_string()) {
    return {it->get<std::string>(), "flagged by " + check};
  }
  if (const auto chaos = data.find("chaos_execution"); chaos != data.end() && chaos->is_object()) {
    if (const auto it = chaos->find("execution"); it != chaos->end() && it->is_string()) {
      return {it->get<std::string>(), "output diverged from control"};
    }
  }
  return {};
}

void add_fault_ids(const nlohmann::json& faults, std::set<std::uint64_t>& ids) {
  for (const auto& fault : faults) {
    if (!fault.is_object()) continue;
    const auto id = fault.find("fault");
    if (id != fault.end() && id->is_number_unsigned()) ids.insert(id->get<std::uint64_t>());
  }
}

std::string why_not_succeeded(const history::ExecutionRecord& execution) {
  if (execution.status == "RUNNING") return "was still RUNNING when the run ended";
  if (execution.status == "NOT_STARTED") return "did not start";
  std::string why = "ended " + (execution.status.empty() ? "(no status)" : execution.status);
  if (!execution.error.empty()) why += " with " + execution.error;
  return why;
}

}  // namespace

std::vector<FlaggedExecution> flagged_executions(const history::History& history,
                                                 const std::vector<checks::Verdict>& verdicts) {
  // ARN -> why, and the fault ids, for every execution a failing check's
  // evidence attributes faults to.
  std::map<std::string, std::pair<std::string, std::set<std::uint64_t>>> named;
  for (const auto& verdict : verdicts) {
    if (verdict.outcome != checks::Outcome::kFail) continue;
    for (const auto& item : verdict.evidence) {
      if (!item.data.is_object()) continue;
      const auto faults = item.data.find("faults");
      if (faults == item.data.end() || !faults->is_array()) continue;
      const auto execution = execution_of(item.data, verdict.check);
      if (execution.arn.empty()) continue;
      auto& entry = named[execution.arn];
      if (entry.first.empty()) entry.first = execution.why;
      add_fault_ids(*faults, entry.second);
    }
  }
  std::vector<FlaggedExecution> flagged;
  for (std::size_t i = 0; i < history.executions.size(); ++i) {
    const auto& execution = history.executions[i];
    const auto evidence = named.find(execution.arn);
    if (execution.succeeded() && evidence == named.end()) continue;
    std::set<std::uint64_t> ids;
    if (evidence != named.end()) ids = evidence->second.second;
    if (!execution.succeeded()) {
      for (const auto& item : checks::attribute(history, execution)) {
        add_fault_ids(nlohmann::json::array({item.data}), ids);
      }
    }
    flagged.push_back(
        {i,
         execution.succeeded() ? evidence->second.first : why_not_succeeded(execution),
         {ids.begin(), ids.end()}});
  }
  return flagged;
}

}  // namespace loveless::reports
