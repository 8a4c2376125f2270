// outputs_match_control: every chaos output equals its control output.

#include <algorithm>
#include <exception>
#include <set>
#include <utility>

#include "loveless/checks/builtin.hpp"

#include "check_support.hpp"
#include "execution_identity.hpp"
#include "run_varying_values.hpp"

namespace loveless::checks {

namespace detail {

namespace {

/// `pointer` with one more reference token, escaped as RFC 6901 says
/// (nlohmann's json_pointer does the escaping).
std::string child_pointer(const std::string& pointer, const std::string& key) {
  return pointer + (nlohmann::json::json_pointer() / key).to_string();
}

std::optional<JsonDifference> difference_at(const nlohmann::json& control,
                                            const nlohmann::json& chaos,
                                            const std::string& pointer) {
  if (control == chaos) return std::nullopt;
  if (control.is_object() && chaos.is_object()) {
    // Both member lists are sorted by key: walk them like a merge.
    auto a = control.begin();
    auto b = chaos.begin();
    while (a != control.end() || b != chaos.end()) {
      if (b == chaos.end() || (a != control.end() && a.key() < b.key())) {
        return JsonDifference{child_pointer(pointer, a.key()), a.value(), std::nullopt};
      }
      if (a == control.end() || b.key() < a.key()) {
        return JsonDifference{child_pointer(pointer, b.key()), std::nullopt, b.value()};
      }
      if (auto found = difference_at(a.value(), b.value(), child_pointer(pointer, a.key()))) {
        return found;
      }
      ++a;
      ++b;
    }
  } else if (control.is_array() && chaos.is_array()) {
    const std::size_t common = std::min(control.size(), chaos.size());
    for (std::size_t i = 0; i < common; ++i) {
      if (auto found = difference_at(control[i], chaos[i], pointer + "/" + std::to_string(i))) {
        return found;
      }
    }
    const std::string at = pointer + "/" + std::to_string(common);
    if (control.size() > common) return JsonDifference{at, control[common], std::nullopt};
    if (chaos.size() > common) return JsonDifference{at, std::nullopt, chaos[common]};
  }
  return JsonDifference{pointer, control, chaos};
}

std::string side_text(const std::optional<nlohmann::json>& value) {
  return value ? json_snippet(*value) : std::string("(absent)");
}

}  // namespace

std::optional<JsonDifference> first_difference(const nlohmann::json& control,
                                               const nlohmann::json& chaos) {
  return difference_at(control, chaos, "");
}

PairComparison compare_pair(const history::ExecutionRecord* control,
                            const history::ExecutionRecord* chaos,
                            const OutputComparison& comparison, const VaryingPlaces* varying) {
  PairComparison result;
  if (control == nullptr || chaos == nullptr) {
    result.reason = control == nullptr ? "no control execution ran this input"
                                       : "no chaos execution ran this input";
    return result;
  }
  if (!control->succeeded() || !chaos->succeeded()) {
    const auto* failed = control->succeeded() ? chaos : control;
    result.reason = execution_label(*failed) + " ended " + failed->status;
    return result;
  }
  nlohmann::json a = without_execution_identity(control->output, *control);
  nlohmann::json b = without_execution_identity(chaos->output, *chaos);
  for (const auto& path : comparison.ignore_paths) {
    if (auto error = remove_json_path(a, path)) {
      result.reason = "ignore path " + *error;
      return result;
    }
    remove_json_path(b, path);
  }
  if (varying != nullptr) {
    a = without_varying_places(std::move(a), *varying);
    b = without_varying_places(std::move(b), *varying);
  }
  if (comparison.comparator) {
    std::string difference;
    try {
      difference = comparison.comparator(a, b);
    } catch (const std::exception& e) {
      result.reason = std::string("the comparator threw: ") + e.what();
      return result;
    } catch (...) {
      result.reason = "the comparator threw a non-standard exception";
      return result;
    }
    if (difference.empty()) {
      result.state = PairState::kMatch;
      return result;
    }
    result.state = PairState::kDiverged;
    result.reason = "the comparator says: " + difference;
    result.data = {{"comparator", difference}};
    return result;
  }
  const auto difference = first_difference(a, b);
  if (!difference) {
    result.state = PairState::kMatch;
    return result;
  }
  if (auto pointers = run_varying_differences(a, b)) {
    result.state = PairState::kMatch;
    result.run_varying = std::move(*pointers);
    return result;
  }
  result.state = PairState::kDiverged;
  const std::string where = difference->pointer.empty() ? "(root)" : difference->pointer;
  result.reason = "at " + where + " control has " + side_text(difference->control) +
                  ", chaos has " + side_text(difference->chaos);
  result.data = {{"pointer", difference->pointer},
                 {"control", difference->control.value_or(nullptr)},
                 {"chaos", difference->chaos.value_or(nullptr)},
                 {"control_absent", !difference->control.has_value()},
                 {"chaos_absent", !difference->chaos.has_value()},
                 {"differences", nlohmann::json::diff(a, b).size()}};
  return result;
}

}  // namespace detail

namespace {

class OutputsMatchControl final : public Check {
 public:
  explicit OutputsMatchControl(OutputComparison comparison) : comparison_(std::move(comparison)) {}

  [[nodiscard]] std::string name() const override { return "outputs match control"; }
  /// Chaos outputs against control ones.
  [[nodiscard]] std::vector<history::Phase> phases() const override {
    return {history::Phase::kControl, history::Phase::kChaos};
  }

  [[nodiscard]] Verdict evaluate(const history::History& history) const override {
    Verdict verdict;
    verdict.check = name();
    for (const auto& path : comparison_.ignore_paths) {
      if (auto error = detail::validate_json_path(path)) {
        verdict.summary = "an ignore path is invalid";
        verdict.evidence.push_back({"ignore path " + *error, {{"ignore_path", path}}});
        return verdict;
      }
    }
    const auto inputs = compared_inputs(history);
    const auto varying = fault_free_varying_places(history, inputs);

    std::vector<Evidence> diverged;
    std::vector<Evidence> incomparable;
    std::set<std::string> run_varying;
    std::size_t matched = 0;
    for (const auto index : inputs) {
      // Every chaos execution of the input (inputs are reused when a phase
      // runs more executions than there are inputs) against one control execution.
      const history::ExecutionRecord* control = control_of(history, index);
      auto chaos_runs = history.executions_of(history::Phase::kChaos, index);
      if (chaos_runs.empty()) chaos_runs.push_back(nullptr);
      for (const auto* chaos : chaos_runs) {
        auto result = detail::compare_pair(control, chaos, comparison_, &varying);
        run_varying.insert(result.run_varying.begin(), result.run_varying.end());
        nlohmann::json data = std::move(result.data);
        data["input_index"] = index;
        if (control != nullptr) data["control_execution"] = detail::execution_data(*control);
        if (chaos != nullptr) data["chaos_execution"] = detail::execution_data(*chaos);
        if (result.state == detail::PairState::kMatch) {
          ++matched;
        } else if (result.state == detail::PairState::kDiverged) {
          const auto faults = detail::summarize_attribution(history, *chaos);
          data["faults"] = faults.data;
          diverged.push_back({detail::execution_label(*chaos) + " (input " + std::to_string(index) +
                                  ") diverged from " + detail::execution_label(*control) + ": " +
                                  result.reason + "; " + faults.text,
                              std::move(data)});
        } else {
          incomparable.push_back(
              {"input " + std::to_string(index) + " not compared: " + result.reason,
               std::move(data)});
        }
      }
    }
    const std::size_t compared = matched + diverged.size();
    verdict.measurements = {{"inputs", inputs.size()},
                            {"compared", compared},
                            {"matched", matched},
                            {"diverged", diverged.size()},
                            {"not_compared", incomparable.size()},
                            {"fault_free_varying_paths", varying.describe()},
                            {"run_varying_paths", run_varying}};
    if (!diverged.empty()) {
      verdict.outcome = Outcome::kFail;
      verdict.summary = std::to_string(diverged.size()) + " of " + std::to_string(compared) +
                        " compared chaos outputs diverged from control";
    } else if (compared > 0) {
      verdict.outcome = Outcome::kPass;
      verdict.summary = std::to_string(matched) + " of " + std::to_string(compared) +
                        " compared chaos outputs match control";
    } else {
      verdict.outcome = Outcome::kUnknown;
      verdict.summary = inputs.empty() ? "no execution to compare"
                                       : "no input had a succeeded control and chaos execution";
    }
    if (!incomparable.empty() && compared > 0) {
      verdict.summary += " (" + std::to_string(incomparable.size()) + " not compared)";
    }
    detail::cap_evidence(diverged, detail::kEvidenceLimit, "divergent executions");
    detail::cap_evidence(incomparable, detail::kEvidenceLimit, "inputs not compared");
    verdict.evidence = std::move(diverged);
    for (auto& item : incomparable) verdict.evidence.push_back(std::move(item));
    add_notes(varying, run_varying, verdict.evidence);
    return verdict;
  }

 private:
  /// Every input the control or chaos phase ran, in input order.
  static std::vector<std::size_t> compared_inputs(const history::History& history) {
    std::vector<std::size_t> inputs;
    for (const auto& execution : history.executions) {
      if (execution.phase != history::Phase::kCold) inputs.push_back(execution.input_index);
    }
    std::sort(inputs.begin(), inputs.end());
    inputs.erase(std::unique(inputs.begin(), inputs.end()), inputs.end());
    return inputs;
  }

  /// Where two fault-free executions of one input (control runs among
  /// themselves, cold runs among themselves) have different outputs: the
  /// faults cannot have caused a difference there, so chaos outputs are not
  /// held to it (a duration, a process id, a random id). Nothing with a
  /// comparator, which decides alone.
  [[nodiscard]] detail::VaryingPlaces fault_free_varying_places(
      const history::History& history, const std::vector<std::size_t>& inputs) const {
    detail::VaryingPlaces varying;
    if (comparison_.comparator) return varying;
    for (const auto index : inputs) {
      for (const auto phase : {history::Phase::kControl, history::Phase::kCold}) {
        const history::ExecutionRecord* first = nullptr;
        for (const auto* execution : history.executions_of(phase, index)) {
          if (!execution->succeeded()) continue;
          if (first == nullptr) {
            first = execution;
          } else {
            detail::add_differing_places(detail::comparable_output(*first, comparison_),
                                         detail::comparable_output(*execution, comparison_),
                                         varying);
          }
        }
      }
    }
    return varying;
  }

  static void add_notes(const detail::VaryingPlaces& varying,
                        const std::set<std::string>& run_varying, std::vector<Evidence>& evidence) {
    if (!varying.empty()) {
      const auto paths = varying.describe();
      evidence.push_back(
          {"not compared: " + detail::join_paths(paths) +
               ", where two fault-free executions of one input differed (control runs among "
               "themselves, or cold runs), so the faults did not cause it (a clock, a random "
               "value, a process id or worker name); the rest of each output was compared; "
               "declare ignore paths for them to say so yourself",
           {{"verdict", "fault-free-varying"}, {"paths", paths}}});
    }
    if (!run_varying.empty()) {
      evidence.push_back(
          {"not compared: " + detail::join_paths(run_varying) +
               ", where outputs held timestamps or UUIDs that differ from run to run (the rest "
               "of each output was compared); declare ignore paths for them to say so yourself",
           {{"verdict", "run-varying"}, {"paths", run_varying}}});
    }
  }

  /// The control execution of input `index`: the first that succeeded, else
  /// the first; null when there is none.
  static const history::ExecutionRecord* control_of(const history::History& history,
                                                    std::size_t index) {
    const auto controls = history.executions_of(history::Phase::kControl, index);
    for (const auto* candidate : controls) {
      if (candidate->succeeded()) return candidate;
    }
    return controls.empty() ? nullptr : controls.front();
  }

  OutputComparison comparison_;
};

}  // namespace

CheckPtr outputs_match_control(OutputComparison comparison) {
  return std::make_shared<OutputsMatchControl>(std::move(comparison));
}

}  // namespace loveless::checks
