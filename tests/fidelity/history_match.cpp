#include "history_match.hpp"

#include <cctype>
#include <string_view>

namespace loveless::fidelity {
namespace {

using nlohmann::json;

constexpr std::string_view kUuid = "<uuid>";

bool is_uuid_at(const std::string& text, std::size_t at) {
  constexpr std::size_t kLength = 36;
  if (at + kLength > text.size()) return false;
  for (std::size_t i = 0; i < kLength; ++i) {
    const char c = text[at + i];
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? c != '-' : std::isxdigit(static_cast<unsigned char>(c)) == 0) return false;
  }
  return true;
}

/// Failure events: an error or cause the case leaves out is one AWS did not record.
bool is_failure_event(const std::string& type) {
  const auto ends_with = [&type](std::string_view suffix) {
    return type.size() >= suffix.size() &&
           type.compare(type.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends_with("Failed") || ends_with("TimedOut") || ends_with("Aborted");
}

/// The `<type>EventDetails` object of an event, or an empty object.
json details_of(const json& event) {
  for (const auto& [key, value] : event.items()) {
    if (key.size() > 12 && key.compare(key.size() - 12, 12, "EventDetails") == 0) return value;
  }
  return json::object();
}

/// A recorded payload (input, output) as JSON; text that is not JSON stays a string.
json payload(const json& value) {
  if (!value.is_string()) return value;
  auto parsed = json::parse(value.get<std::string>(), nullptr, false);
  return parsed.is_discarded() ? value : parsed;
}

std::string shown(const json& value) {
  constexpr std::size_t kMost = 400;
  auto text = value.is_null() ? std::string("(none)") : value.dump();
  if (text.size() > kMost) text = text.substr(0, kMost) + "...";
  return text;
}

bool payload_matches(const json& expected, const json& actual);

void compare_text_member(const char* key, const json& expected, const json& actual,
                         bool absence_counts, const std::string& where,
                         std::vector<std::string>& differences) {
  const bool expected_has = expected.contains(key);
  const bool actual_has = actual.contains(key) && actual.at(key).is_string();
  if (!expected_has) {
    if (absence_counts && actual_has) {
      differences.push_back(where + ": " + key + " " + shown(actual.at(key)) +
                            ", AWS recorded none");
    }
    return;
  }
  const auto& want = expected.at(key);
  if (want.is_null()) {
    if (actual_has) {
      differences.push_back(where + ": " + key + " " + shown(actual.at(key)) +
                            ", AWS recorded none");
    }
    return;
  }
  if (!actual_has) {
    differences.push_back(where + ": no " + key + ", AWS recorded " + shown(want));
    return;
  }
  if (want.is_object()) {
    // JSON text that AWS records (a `.sync` child's description as a cause),
    // stated in the case as JSON.
    const auto got = json::parse(actual.at(key).get<std::string>(), nullptr, false);
    if (got.is_discarded() || !payload_matches(want, got)) {
      differences.push_back(where + ": " + key + " " + shown(actual.at(key)) + ", AWS recorded " +
                            shown(want));
    }
    return;
  }
  if (!text_matches(want.get<std::string>(), actual.at(key).get<std::string>())) {
    differences.push_back(where + ": " + key + " " + shown(actual.at(key)) + ", AWS recorded " +
                          shown(want));
  }
}

/// JSON equality where a string in `expected` holding `<uuid>` matches any UUID there
/// (a caught error's Cause carries the request id of the failed invocation).
bool payload_matches(const json& expected, const json& actual) {
  // A date the Java SDK writes as epoch milliseconds (StartDate, StopDate).
  if (expected == "<epoch-ms>") return actual.is_number_integer() || actual.is_number_unsigned();
  // An HTTP header's per-run value (a Lambda response's Date, trace id or
  // request id in SdkHttpMetadata): AWS records a string or a one-string list.
  // `<length>`: a Content-Length that counts a function name the case renamed;
  // `<base64>`: a LogResult, whose lines carry the request id and durations.
  if (expected == "<date>" || expected == "<trace-id>" || expected == "<uuid>" ||
      expected == "<length>" || expected == "<base64>") {
    const json& value = actual.is_array() && actual.size() == 1 ? actual[0] : actual;
    if (!value.is_string()) return false;
    const auto& text = value.get_ref<const std::string&>();
    if (expected == "<uuid>") return text_matches("<uuid>", text);
    if (expected == "<length>") {
      return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
    }
    if (expected == "<base64>") {
      return !text.empty() && text.size() % 4 == 0 &&
             text.find_first_not_of(
                 "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") ==
                 std::string::npos;
    }
    return true;
  }
  if (expected.is_string() && actual.is_string()) {
    return text_matches(expected.get<std::string>(), actual.get<std::string>());
  }
  if (expected.is_object() && actual.is_object()) {
    if (expected.size() != actual.size()) return false;
    for (const auto& [key, value] : expected.items()) {
      if (!actual.contains(key) || !payload_matches(value, actual.at(key))) return false;
    }
    return true;
  }
  if (expected.is_array() && actual.is_array()) {
    if (expected.size() != actual.size()) return false;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      if (!payload_matches(expected[i], actual[i])) return false;
    }
    return true;
  }
  return expected == actual;
}

void compare_payload_member(const char* key, const json& expected, const json& actual,
                            const std::string& where, std::vector<std::string>& differences) {
  if (!expected.contains(key)) return;
  const auto want = expected.at(key);
  if (!actual.contains(key)) {
    differences.push_back(where + ": no " + key + ", AWS recorded " + shown(want));
    return;
  }
  const auto got = payload(actual.at(key));
  if (!payload_matches(want, got)) {
    differences.push_back(where + ": " + key + " " + shown(got) + ", AWS recorded " + shown(want));
  }
}

/// `assignedVariables` (on *StateExited): AWS records each value as JSON text; the
/// case states it as JSON. `null` in the case: AWS recorded none.
void compare_assigned_variables(const json& expected, const json& actual, const std::string& where,
                                std::vector<std::string>& differences) {
  constexpr const char* kKey = "assignedVariables";
  if (!expected.contains(kKey)) return;
  const auto& want = expected.at(kKey);
  const bool actual_has = actual.contains(kKey) && actual.at(kKey).is_object();
  if (want.is_null()) {
    if (actual_has && !actual.at(kKey).empty()) {
      differences.push_back(where + ": " + kKey + " " + shown(actual.at(kKey)) +
                            ", AWS recorded none");
    }
    return;
  }
  if (!actual_has) {
    differences.push_back(where + ": no " + kKey + ", AWS recorded " + shown(want));
    return;
  }
  const auto& got = actual.at(kKey);
  for (const auto& [name, value] : want.items()) {
    if (!got.contains(name)) {
      differences.push_back(where + ": " + kKey + " lacks " + name + ", AWS recorded " +
                            shown(value));
    } else if (!payload_matches(value, payload(got.at(name)))) {
      differences.push_back(where + ": " + kKey + "." + name + " " + shown(got.at(name)) +
                            ", AWS recorded " + shown(value));
    }
  }
  for (const auto& [name, value] : got.items()) {
    if (!want.contains(name)) {
      differences.push_back(where + ": " + kKey + "." + name + " " + shown(value) +
                            ", AWS recorded none");
    }
  }
}

}  // namespace

bool text_matches(const std::string& expected, const std::string& actual) {
  std::size_t e = 0;
  std::size_t a = 0;
  while (e < expected.size()) {
    if (expected.compare(e, kUuid.size(), kUuid) == 0) {
      if (!is_uuid_at(actual, a)) return false;
      e += kUuid.size();
      a += 36;
      continue;
    }
    if (a >= actual.size() || expected[e] != actual[a]) return false;
    ++e;
    ++a;
  }
  return a == actual.size();
}

std::vector<std::string> compare_history(const std::vector<ExpectedEvent>& expected,
                                         const json& actual) {
  std::vector<std::string> differences;
  const auto count = std::min(expected.size(), actual.size());
  for (std::size_t i = 0; i < count; ++i) {
    const auto& want = expected[i];
    const auto& got = actual[i];
    const auto where = "event " + std::to_string(want.id) + " " + want.type;
    const auto got_id = got.value("id", 0LL);
    const auto got_previous = got.value("previousEventId", 0LL);
    const auto got_type = got.value("type", std::string());
    if (got_type != want.type || got_id != want.id || got_previous != want.previous_event_id) {
      differences.push_back("event " + std::to_string(i + 1) + ": engine [" +
                            std::to_string(got_id) + ", " + std::to_string(got_previous) + ", " +
                            got_type + "], AWS [" + std::to_string(want.id) + ", " +
                            std::to_string(want.previous_event_id) + ", " + want.type + "]");
      if (got_type != want.type) continue;
    }
    const auto details = details_of(got);
    const bool failure = is_failure_event(want.type);
    compare_text_member("error", want.details, details, failure, where, differences);
    compare_text_member("cause", want.details, details, failure, where, differences);
    compare_text_member("name", want.details, details, false, where, differences);
    compare_text_member("workerName", want.details, details, false, where, differences);
    compare_text_member("location", want.details, details, false, where, differences);
    compare_text_member("state", want.details, details, false, where, differences);
    compare_assigned_variables(want.details, details, where, differences);
    compare_payload_member("output", want.details, details, where, differences);
    compare_payload_member("input", want.details, details, where, differences);
  }
  for (std::size_t i = count; i < expected.size(); ++i) {
    differences.push_back("missing event " + std::to_string(expected[i].id) + " " +
                          expected[i].type);
  }
  for (std::size_t i = count; i < actual.size(); ++i) {
    differences.push_back("extra event " + std::to_string(actual[i].value("id", 0LL)) + " " +
                          actual[i].value("type", std::string()) + " " +
                          shown(details_of(actual[i])));
  }
  return differences;
}

std::vector<std::string> compare_describe(const json& expected, const json& actual) {
  std::vector<std::string> differences;
  if (expected.contains("status") && actual.value("status", "") != expected.at("status")) {
    differences.push_back("DescribeExecution: status " + shown(actual.value("status", json())) +
                          ", AWS " + shown(expected.at("status")));
  }
  const auto status = expected.value("status", std::string());
  const bool unsuccessful = status == "FAILED" || status == "TIMED_OUT" || status == "ABORTED";
  compare_text_member("error", expected, actual, unsuccessful, "DescribeExecution", differences);
  compare_text_member("cause", expected, actual, unsuccessful, "DescribeExecution", differences);
  compare_payload_member("output", expected, actual, "DescribeExecution", differences);
  return differences;
}

}  // namespace loveless::fidelity
