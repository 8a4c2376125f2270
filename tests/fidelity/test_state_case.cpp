#include "test_state_case.hpp"

#include <fstream>
#include <regex>
#include <utility>

#include "loveless/engine/service.hpp"
#include "loveless/engine/service_error.hpp"

#include "corpus_case.hpp"

namespace loveless::fidelity {
namespace {

using nlohmann::json;

constexpr const char* kRoleArn = "arn:aws:iam::123456789012:role/loveless-test-state";

/// Request members TestState takes as JSON text.
json as_text(const json& value) { return value.is_string() ? value : json(value.dump()); }

json request_of(const TestStateCase& test_case) {
  json request = test_case.request;
  for (const char* member : {"definition", "input", "variables", "context"}) {
    if (request.contains(member)) request[member] = as_text(request[member]);
  }
  if (request.contains("mock") && request["mock"].contains("result")) {
    request["mock"]["result"] = as_text(request["mock"]["result"]);
  }
  if (request.contains("stateConfiguration") &&
      request["stateConfiguration"].contains("mapItemReaderData")) {
    auto& data = request["stateConfiguration"]["mapItemReaderData"];
    data = as_text(data);
  }
  const bool role = request.value("roleArn", false);
  request.erase("roleArn");
  if (role) request["roleArn"] = kRoleArn;
  return request;
}

/// The answer with its JSON text members parsed, as cases give them.
json parsed_answer(json answer) {
  if (answer.contains("output"))
    answer["output"] = json::parse(answer["output"].get<std::string>());
  if (answer.contains("inspectionData")) {
    for (auto& [key, value] : answer["inspectionData"].items()) {
      if (value.is_string()) value = json::parse(value.get<std::string>());
    }
  }
  return answer;
}

void compare(const json& expected, const json& actual, const std::string& at,
             std::vector<std::string>& differences) {
  const std::string where = at.empty() ? "/" : at;
  if (expected.is_object() && actual.is_object()) {
    for (const auto& [key, value] : expected.items()) {
      if (!actual.contains(key)) {
        differences.push_back(at + "/" + key + ": missing, AWS answered " + value.dump());
        continue;
      }
      compare(value, actual[key], at + "/" + key, differences);
    }
    for (const auto& [key, value] : actual.items()) {
      if (!expected.contains(key)) {
        differences.push_back(at + "/" + key + ": " + value.dump() + ", which AWS did not answer");
      }
    }
    return;
  }
  if (expected.is_array() && actual.is_array() && expected.size() == actual.size()) {
    for (std::size_t i = 0; i < expected.size(); ++i) {
      compare(expected[i], actual[i], at + "/" + std::to_string(i), differences);
    }
    return;
  }
  const bool same =
      (expected.is_string() && actual.is_string())
          ? placeholder_matches(expected.get<std::string>(), actual.get<std::string>())
      : (expected.is_number() && actual.is_number())
          ? expected.get<double>() == actual.get<double>()
          : expected == actual;
  if (!same) {
    differences.push_back(where + ": " + actual.dump() + ", AWS answered " + expected.dump());
  }
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw CaseFormatError(file.string() + ": cannot be read");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

bool placeholder_matches(const std::string& expected, const std::string& actual) {
  if (expected.find('<') == std::string::npos) return expected == actual;
  static const std::regex kSpecial(R"([.^$|()\[\]{}*+?\\])");
  std::string pattern = std::regex_replace(expected, kSpecial, R"(\$&)");
  pattern = std::regex_replace(pattern, std::regex("<name>"), "[^:]*");
  pattern = std::regex_replace(pattern, std::regex("<timestamp>"), ".+");
  return std::regex_match(actual, std::regex(pattern));
}

TestStateCase load_test_state_case(const std::filesystem::path& file,
                                   const std::filesystem::path& root) {
  json document;
  try {
    document = json::parse(read_file(file));
  } catch (const json::exception& e) {
    throw CaseFormatError(file.string() + ": " + e.what());
  }
  TestStateCase test_case;
  test_case.name = std::filesystem::relative(file, root).replace_extension().string();
  if (!document.is_object() || !document.contains("recording") || !document.contains("request") ||
      !document["request"].is_object() || !document["request"].contains("definition")) {
    throw CaseFormatError(file.string() + ": needs recording and a request with a definition");
  }
  test_case.recording = document["recording"].get<std::string>();
  test_case.request = document["request"];
  if (document.contains("response")) test_case.response = document["response"];
  if (document.contains("error")) test_case.error = document["error"];
  if (test_case.response.has_value() == test_case.error.has_value()) {
    throw CaseFormatError(file.string() + ": needs exactly one of response and error");
  }
  if (document.contains("known_difference")) {
    test_case.known_difference = document["known_difference"].get<std::string>();
  }
  return test_case;
}

std::vector<std::string> run_test_state_case(const TestStateCase& test_case,
                                             engine::StepFunctionsService& service) {
  std::vector<std::string> differences;
  json answer;
  try {
    answer = service.invoke("TestState", request_of(test_case));
  } catch (const engine::ServiceError& e) {
    if (!test_case.error) {
      differences.push_back(std::string("the engine answered ") + e.what());
      return differences;
    }
    const json actual = {{"type", e.type()}, {"message", e.message()}};
    compare(*test_case.error, actual, "", differences);
    return differences;
  }
  if (test_case.error) {
    differences.push_back("the engine answered " + answer.dump() + ", AWS answered the error " +
                          test_case.error->dump());
    return differences;
  }
  compare(*test_case.response, parsed_answer(std::move(answer)), "", differences);
  return differences;
}

}  // namespace loveless::fidelity
