#include "sample_workflow.hpp"

namespace loveless::cli {

std::string sample_definition(const std::string& activity_arn) {
  const nlohmann::json definition = {
      {"Comment",
       "Loveless sample: intrinsics, an activity with heartbeats and retries, Choice, Map"},
      {"StartAt", "Prepare"},
      {"States",
       {{"Prepare",
         {{"Type", "Pass"},
          {"Parameters",
           {{"orderId.$", "$.orderId"},
            {"items.$", "$.items"},
            {"label.$",
             "States.Format('order {} with {} items', $.orderId, States.ArrayLength($.items))"},
            {"count.$", "States.ArrayLength($.items)"}}},
          {"Next", "Work"}}},
        {"Work",
         {{"Type", "Task"},
          {"Resource", activity_arn},
          {"HeartbeatSeconds", 10},
          {"TimeoutSeconds", 60},
          {"Retry", nlohmann::json::array({{{"ErrorEquals", {kSampleTransientError}},
                                            {"IntervalSeconds", 1},
                                            {"MaxAttempts", 3},
                                            {"BackoffRate", 2.0}}})},
          {"ResultPath", "$.work"},
          {"Next", "Route"}}},
        {"Route",
         {{"Type", "Choice"},
          {"Choices",
           nlohmann::json::array(
               {{{"Variable", "$.count"}, {"NumericGreaterThan", 0}, {"Next", "EachItem"}}})},
          {"Default", "NothingToDo"}}},
        {"NothingToDo", {{"Type", "Succeed"}}},
        {"EachItem",
         {{"Type", "Map"},
          {"ItemsPath", "$.items"},
          {"MaxConcurrency", 2},
          {"ItemProcessor",
           {{"StartAt", "Double"},
            {"States",
             {{"Double",
               {{"Type", "Pass"},
                {"Parameters", {{"item.$", "$"}, {"doubled.$", "States.MathAdd($, $)"}}},
                {"End", true}}}}}}},
          {"ResultPath", "$.results"},
          {"End", true}}}}}};
  return definition.dump(2);
}

std::vector<nlohmann::json> sample_inputs() {
  return {
      {{"orderId", "A-1"}, {"items", {1, 2, 3}}},
      {{"orderId", "B-2"}, {"items", nlohmann::json::array()}},
      {{"orderId", "C-3"}, {"items", {21}}},
  };
}

}  // namespace loveless::cli
