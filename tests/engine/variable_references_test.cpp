// DescribeStateMachine's variableReferences, against the definitions and
// answers of the test_sfn_api_variable_references recordings
// (localstack/localstack), restated.
#include "variable_references.hpp"

#include <catch2/catch.hpp>

#include "engine_test_support.hpp"

using namespace loveless::engine;
using namespace loveless::engine::testing;
using nlohmann::json;

namespace {

json references_of(const std::string& definition) {
  const auto found = variable_references(json::parse(definition));
  return found ? *found : json(nullptr);
}

}  // namespace

TEST_CASE("variableReferences: Choice rules, their operands and an Assign reading a variable",
          "[engine][variable-references]") {
  // BASE_REFERENCE_IN_CHOICE.
  const auto references = references_of(R"J({"StartAt": "Setup", "States": {
    "Setup": {"Type": "Pass", "Assign": {"guess": "the_guess", "answer": "the_answer"},
              "Next": "CheckAnswer"},
    "CheckAnswer": {"Type": "Choice", "Choices": [{"Variable": "$guess",
      "StringEqualsPath": "$answer", "Next": "CorrectAnswer"}], "Default": "WrongAnswer"},
    "CorrectAnswer": {"Type": "Pass", "End": true},
    "WrongAnswer": {"Type": "Pass", "Assign": {"guess.$": "$answer"}, "Next": "CheckAnswer"}}})J");
  CHECK(references == json{{"CheckAnswer", {"answer", "guess"}}, {"WrongAnswer", {"answer"}}});
}

TEST_CASE("variableReferences: path fields of Wait, Fail, Pass and Map",
          "[engine][variable-references]") {
  // BASE_REFERENCE_IN_WAIT, _FAIL, BASE_EVALUATION_ORDER_PASS_STATE and the
  // MAP_STATE_REFERENCE_IN_* recordings.
  CHECK(references_of(R"J({"StartAt": "S", "States": {
    "S": {"Type": "Pass", "Assign": {"waitTime": 0, "startAt": "2024-11-06T09:42:03Z"}, "Next": "W1"},
    "W1": {"Type": "Wait", "SecondsPath": "$waitTime", "Next": "W2"},
    "W2": {"Type": "Wait", "TimestampPath": "$startAt", "End": true}}})J") ==
        json{{"W1", {"waitTime"}}, {"W2", {"startAt"}}});
  CHECK(references_of(R"J({"StartAt": "F", "States": {
    "F": {"Type": "Fail", "CausePath": "$causeVar", "ErrorPath": "$errorVar"}}})J") ==
        json{{"F", {"causeVar", "errorVar"}}});
  CHECK(references_of(R"J({"StartAt": "S", "States": {
    "S": {"Type": "Pass", "Result": {"q": "x"}, "Assign": {"question.$": "$.q", "answer": 42},
          "Next": "State1"},
    "State1": {"Type": "Pass", "InputPath": "$answer", "ResultPath": "$.theAnswer",
               "OutputPath": "$answer", "Assign": {"answer": "<omitted>"}, "End": true}}})J") ==
        json{{"State1", {"answer"}}});
  CHECK(references_of(R"J({"StartAt": "M", "States": {"M": {"Type": "Map",
    "ItemsPath": "$.Values", "MaxConcurrencyPath": "$maxConcurrency",
    "ToleratedFailurePercentagePath": "$toleratedFailurePercentage",
    "ToleratedFailureCountPath": "$toleratedFailureCount",
    "ItemReader": {"ReaderConfig": {"InputType": "JSON", "MaxItemsPath": "$maxItems"},
                   "Resource": "arn:aws:states:::s3:getObject",
                   "Parameters": {"Bucket.$": "$.Bucket", "Key.$": "$.Key"}},
    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
      "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}})J") ==
        json{{"M",
              {"maxConcurrency", "maxItems", "toleratedFailureCount",
               "toleratedFailurePercentage"}}});
}

TEST_CASE("variableReferences: intrinsic arguments and states nested in Maps",
          "[engine][variable-references]") {
  // BASE_REFERENCE_IN_ITERATOR_OUTER_SCOPE and _INTRINSIC_FUNCTION.
  CHECK(references_of(R"J({"StartAt": "Outer", "States": {"Outer": {"Type": "Map",
    "ItemProcessor": {"StartAt": "Assign", "States": {
      "Assign": {"Type": "Pass", "Assign": {"xCurrent.$": "$[0]"}, "Next": "Inner"},
      "Inner": {"Type": "Map", "ItemProcessor": {"StartAt": "Summate", "States": {
        "Summate": {"Type": "Pass", "Assign": {"Sum.$":
          "States.MathAdd(States.MathAdd(States.MathAdd($yCurrent, $xCurrent), $zCurrent), $bias)"},
          "End": true
}
}
}
, "End" : true
}
}
}
, "End" : true
}
}
})J") == json{{"Summate", {"bias", "xCurrent", "yCurrent", "zCurrent"}}});
  CHECK(references_of(R"J({"StartAt": "S", "States": {"S": {"Type": "Pass", "Parameters": {
    "hash.$": "States.Hash($inputString, 'SHA-256')",
    "text.$": "States.Format('{} at $notAVariable {}', $name, $.place)",
    "context.$": "$$.Execution.Id"
  }
  , "End" : true
  }
  }
  })J") == json{{"S", {"inputString", "name"}}});
}

TEST_CASE("variableReferences: literals and JSONata expressions are no references",
          "[engine][variable-references]") {
  // MAP_STATE_REFERENCE_IN_ITEM_SELECTOR, BASE_ASSIGN_FROM_PARAMETERS and
  // CHOICE_CONDITION_CONSTANT_JSONATA: AWS returns no member.
  CHECK(references_of(R"J({"StartAt": "M", "States": {"M": {"Type": "Map",
    "ItemSelector": {"value.$": "$$.Map.Item.Value", "bucketName": "$bucket"},
    "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
    "End": true}}})J")
            .is_null());
  CHECK(references_of(R"J({"StartAt": "S", "States": {"S": {"Type": "Pass",
    "Parameters": {"input": "PENDING"}, "Assign": {"result.$": "$.input"}, "End": true}}})J")
            .is_null());
  CHECK(references_of(R"J({"QueryLanguage": "JSONata", "StartAt": "C", "States": {
    "C": {"Type": "Choice", "Choices": [{"Condition": "{% $x = 1 %}", "Next": "P"}],
          "Default": "P"},
    "P": {"Type": "Pass", "Output": "{% $y %}", "End": true}}})J")
            .is_null());
}

TEST_CASE("DescribeStateMachine and DescribeStateMachineForExecution return variableReferences",
          "[engine][variable-references]") {
  ServiceFixture f;
  // BASE_REFERENCE_IN_PARAMETERS.
  const auto sm = f.create_state_machine("refs", R"J({"StartAt": "State0", "States": {
    "State0": {"Type": "Pass", "Assign": {"result": "PENDING"}, "Next": "State1"},
    "State1": {"Type": "Pass", "Parameters": {"result.$": "$result"}, "End": true}}})J");
  const json expected = {{"State1", {"result"}}};
  CHECK(f.call("DescribeStateMachine", {{"stateMachineArn", sm}})["variableReferences"] ==
        expected);
  const auto execution = f.start(sm, "refs");
  REQUIRE(f.wait_for_status(execution, "SUCCEEDED"));
  CHECK(f.call("DescribeStateMachineForExecution",
               {{"executionArn", execution}})["variableReferences"] == expected);
  const auto plain = f.create_state_machine("plain", pass_definition());
  CHECK_FALSE(
      f.call("DescribeStateMachine", {{"stateMachineArn", plain}}).contains("variableReferences"));
}
