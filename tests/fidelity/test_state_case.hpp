#pragma once

// One case of the TestState corpus (tests/fidelity/README.md, "TestState
// cases"): a TestState call recorded against AWS and AWS's answer.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace loveless::engine {
class StepFunctionsService;
}

namespace loveless::fidelity {

struct TestStateCase {
  /// The file's path below the corpus root, without `.json`.
  std::string name;
  std::string recording;
  /// The request as sent, except that `definition`, `input`, `variables`,
  /// `context`, `mock.result` and `stateConfiguration.mapItemReaderData` may
  /// be JSON values (the runner sends them as JSON text) and `roleArn` is
  /// true (a role is sent) or false.
  nlohmann::json request;
  /// AWS's answer: `status`, `output`, `error`, `cause`, `nextState` and
  /// `inspectionData`, JSON text members given as values.
  std::optional<nlohmann::json> response;
  /// Or AWS's error: `type` and `message`.
  std::optional<nlohmann::json> error;
  std::optional<std::string> known_difference;
};

/// Reads one case file. Throws CaseFormatError.
TestStateCase load_test_state_case(const std::filesystem::path& file,
                                   const std::filesystem::path& root);

/// Calls TestState on `service` as the case says; every difference from
/// AWS's answer, one line each.
std::vector<std::string> run_test_state_case(const TestStateCase& test_case,
                                             engine::StepFunctionsService& service);

/// True when `actual` equals `expected`, where `<name>` in an expected string
/// stands for any text without a colon (generated names in ARNs) and
/// `<timestamp>` for any text (dates differ per run).
bool placeholder_matches(const std::string& expected, const std::string& actual);

}  // namespace loveless::fidelity
