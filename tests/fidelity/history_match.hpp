#pragma once

// Compares what the engine recorded with what AWS recorded
// (tests/fidelity/README.md says which details count and how).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "corpus_case.hpp"

namespace loveless::fidelity {

/// True when `actual` equals `expected`, where each `<uuid>` in `expected`
/// stands for any UUID (8-4-4-4-12 hex digits): request ids differ per run.
bool text_matches(const std::string& expected, const std::string& actual);

/// Every difference between the recorded `expected` events and the engine's
/// `actual` GetExecutionHistory events, one line each; empty when they agree.
std::vector<std::string> compare_history(const std::vector<ExpectedEvent>& expected,
                                         const nlohmann::json& actual);

/// Differences between the case's `describe` members and a DescribeExecution answer.
std::vector<std::string> compare_describe(const nlohmann::json& expected,
                                          const nlohmann::json& actual);

}  // namespace loveless::fidelity
