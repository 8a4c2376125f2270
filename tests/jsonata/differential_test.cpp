// Our evaluator against the reference: npm jsonata 2.0.6 under Node
// (reference.mjs), on every case of differential_cases.json. A case agrees
// when both give the same JSON value, both give undefined, or both fail with
// the same error code.

#include <array>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "loveless/jsonata/evaluator.hpp"

namespace {

using nlohmann::json;

std::string run_reference() {
  const std::string command = std::string("'") + LOVELESS_NODE + "' '" +
                              LOVELESS_JSONATA_REFERENCE + "' '" + LOVELESS_JSONATA_CASES + "'";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  REQUIRE(pipe != nullptr);
  std::string output;
  std::array<char, 65536> buffer{};
  std::size_t read = 0;
  while ((read = std::fread(buffer.data(), 1, buffer.size(), pipe.get())) > 0)
    output.append(buffer.data(), read);
  return output;
}

// Our outcome in the reference's form: {"value"}, {"undefined"} or {"error"}.
json our_outcome(const json& suite, const json& test_case) {
  const std::string expression = test_case.at(0).get<std::string>();
  const json input = test_case.at(1).is_null()
                         ? json(nullptr)
                         : suite.at("inputs").at(test_case.at(1).get<std::string>());
  const json bindings = test_case.size() > 2 ? test_case.at(2) : json::object();
  try {
    const auto result = loveless::jsonata::evaluate(expression, input, bindings);
    if (!result) return {{"undefined", true}};
    return {{"value", *result}};
  } catch (const loveless::jsonata::EvaluationError& error) {
    return {{"error", error.code}};
  }
}

}  // namespace

TEST_CASE("jsonata agrees with the reference implementation under Node",
          "[jsonata][differential]") {
  std::ifstream file(LOVELESS_JSONATA_CASES);
  REQUIRE(file.good());
  const json suite = json::parse(file);
  const json& cases = suite.at("cases");

  std::istringstream reference(run_reference());
  std::vector<json> expected;
  for (std::string line; std::getline(reference, line);) expected.push_back(json::parse(line));
  REQUIRE(expected.size() == cases.size());

  std::size_t disagreements = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const json ours = our_outcome(suite, cases[i]);
    if (ours != expected[i]) {
      ++disagreements;
      UNSCOPED_INFO("case " << i << ": " << cases[i].at(0).get<std::string>() << "\n  reference: "
                            << expected[i].dump() << "\n  ours:      " << ours.dump());
    }
  }
  CHECK(disagreements == 0);
}
