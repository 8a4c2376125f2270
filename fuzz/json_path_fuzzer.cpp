// libFuzzer entry point: compiles the input as a JSONPath and as an intrinsic
// call and evaluates both against a fixed document. Only the exceptions the
// API documents are caught, so anything else (a crash, an assertion, an
// unexpected exception type such as nlohmann::json::exception) surfaces as a
// finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include <nlohmann/json.hpp>

#include "loveless/asl/clock.hpp"
#include "loveless/asl/errors.hpp"
#include "loveless/asl/intrinsics.hpp"
#include "loveless/asl/json_path.hpp"

namespace {

const nlohmann::json& document() {
  static const nlohmann::json doc = nlohmann::json::parse(R"j({
    "a": {"b": [1, 2.5, "x", null, true, {"c": [{"d": 1}, {"d": "two"}]}]},
    "list": [3, 1, 2, 3], "text": "hello, world", "n": 7, "obj": {"k": "v"},
    "json": "{\"z\": [1]}", "b64": "aGVsbG8=", "empty": {}, "nested": [[[]]]
  })j");
  return doc;
}

const nlohmann::json& context() {
  static const nlohmann::json ctx = nlohmann::json::parse(
      R"j({"Execution": {"Id": "arn:aws:states:us-east-1:123456789012:execution:m:e"},
           "Map": {"Item": {"Index": 0, "Value": "v"}}})j");
  return ctx;
}

void fuzz_path(std::string_view text) {
  try {
    const auto path = loveless::asl::JsonPath::compile(text);
    bool threw = false;
    try {
      (void)path.evaluate(document(), context());
    } catch (const loveless::asl::JsonPathNoMatch&) {
      threw = true;
    }
    // `exists` promises to predict exactly whether `evaluate` throws.
    if (path.exists(document(), context()) == threw) std::abort();
    if (path.is_reference_path() && !path.is_context()) {
      nlohmann::json target = document();
      try {
        path.assign(target, nlohmann::json("assigned"));
        if (path.evaluate(target, context()) != "assigned") std::abort();
      } catch (const loveless::asl::JsonPathNoMatch&) {
      }
    }
  } catch (const loveless::asl::JsonPathSyntaxError&) {
  }
}

void fuzz_intrinsic(std::string_view text) {
  bool valid = true;
  try {
    loveless::asl::validate_intrinsic_call(text);
  } catch (const std::invalid_argument&) {
    valid = false;
  }
  loveless::asl::SeededRandom random(1);
  try {
    (void)loveless::asl::evaluate_intrinsic(text, document(), context(), random);
    // Text that fails validation must not evaluate.
    if (!valid) std::abort();
  } catch (const loveless::asl::StatesError& e) {
    if (!valid && e.error() != loveless::asl::error_names::kIntrinsicFailure) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  fuzz_path(text);
  fuzz_intrinsic(text);
  return 0;
}
