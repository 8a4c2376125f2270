// The runner's note for a workflow with a distributed Map
// (core/scenario/src/distributed_map_notes.hpp).
#include "distributed_map_notes.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

using loveless::scenario::detail::distributed_map_note;
using loveless::scenario::detail::distributed_map_states;
using nlohmann::json;

TEST_CASE("distributed Map states are found at any depth, inline ones are not",
          "[scenario][distributed-map]") {
  const json definition = json::parse(R"J({"StartAt":"P","States":{
    "P":{"Type":"Parallel","Next":"Inline","Branches":[{"StartAt":"Pages","States":{
      "Pages":{"Type":"Map","End":true,"ItemProcessor":{
        "ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
        "StartAt":"Lines","States":{"Lines":{"Type":"Map","End":true,"Iterator":{
          "ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},
          "StartAt":"W","States":{"W":{"Type":"Pass","End":true}}}}}}}}}]},
    "Inline":{"Type":"Map","End":true,"ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},
      "StartAt":"X","States":{"X":{"Type":"Pass","End":true}}}}}})J");
  CHECK(distributed_map_states(definition) == std::vector<std::string>{"Pages", "Lines"});
  CHECK(distributed_map_states(json("not a machine")).empty());
  CHECK(distributed_map_states(json::object()).empty());
}

TEST_CASE("the note names the workflow and its distributed Maps, and nothing without one",
          "[scenario][distributed-map]") {
  const std::string note = distributed_map_note("index", {"Pages", "Lines"});
  CHECK(note.starts_with("note: workflow \"index\" runs a distributed Map (Pages, Lines)"));
  CHECK(note.find("docs/checks.md") != std::string::npos);
  CHECK(distributed_map_note("index", {}).empty());
}
