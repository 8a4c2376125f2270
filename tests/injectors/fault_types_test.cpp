// The table of fault types (loveless/injectors/fault_types.hpp): complete,
// consistent with the history's kinds, and the single source of what each
// fault needs, validates, records and lasts.

#include "loveless/injectors/fault_types.hpp"

#include <set>

#include <catch2/catch.hpp>

namespace {

using namespace std::chrono_literals;
using loveless::history::FaultKind;
using loveless::injectors::fault_definition;
using loveless::injectors::fault_definitions;
using loveless::injectors::FaultType;
using loveless::injectors::recorded_definition;
using loveless::stacks::Primitive;

constexpr FaultType kEveryType[] = {
    FaultType::kKill,    FaultType::kStop,        FaultType::kRestart,   FaultType::kPause,
    FaultType::kLatency, FaultType::kWipeScratch, FaultType::kDisposable};
constexpr FaultKind kEveryKind[] = {FaultKind::kKill,    FaultKind::kRestart,     FaultKind::kPause,
                                    FaultKind::kLatency, FaultKind::kWipeScratch, FaultKind::kStop};

}  // namespace

TEST_CASE("every fault type has one entry with steps and primitives", "[injectors]") {
  std::set<std::string_view> names;
  for (const auto type : kEveryType) {
    const auto& definition = fault_definition(type);
    CHECK(definition.type == type);
    CHECK_FALSE(definition.steps.empty());
    CHECK_FALSE(definition.primitives.empty());
    CHECK(definition.validate != nullptr);
    CHECK(definition.describe != nullptr);
    CHECK(names.insert(definition.name).second);
    for (const auto& step : definition.steps) CHECK(step.perform != nullptr);
    if (definition.heal != nullptr) CHECK_FALSE(definition.heal_failure.empty());
  }
  CHECK(fault_definitions().size() == std::size(kEveryType));
}

TEST_CASE("every recorded fault kind has one type that draws it", "[injectors]") {
  for (const auto kind : kEveryKind) {
    const auto& definition = recorded_definition(kind);
    CHECK(definition.recorded_as == kind);
    CHECK(definition.name == loveless::history::to_string(kind));
    CHECK_FALSE(definition.marker.path.empty());
    CHECK_FALSE(definition.marker.mark_style.empty());
    // A lasting fault draws how long it lasted; an instant one does not.
    CHECK(definition.marker.duration_style.empty() == (definition.heal == nullptr));
  }
}

TEST_CASE("only wiping scratch leaves the running task undisturbed", "[injectors]") {
  for (const auto kind : kEveryKind) {
    CHECK(recorded_definition(kind).disrupts_task == (kind != FaultKind::kWipeScratch));
  }
}

TEST_CASE("disposable is its own type: a wipe then a slow stop, once per worker", "[injectors]") {
  const auto spec = loveless::injectors::disposable("count-words").spec();
  const auto& definition = fault_definition(spec.fault);
  CHECK(definition.name == "disposable");
  CHECK(definition.once_per_worker);
  REQUIRE(definition.steps.size() == 2);
  CHECK(definition.steps[0].recorded == FaultKind::kWipeScratch);
  CHECK_FALSE(definition.steps[0].slow);
  CHECK(definition.steps[1].recorded == FaultKind::kStop);
  CHECK(definition.steps[1].slow);
  CHECK(definition.primitives == std::set<Primitive>{Primitive::kWipeScratch, Primitive::kStop});
  CHECK_FALSE(definition.recorded_as.has_value());
  // A trigger chained after it changes when it fires, not what it does.
  const auto every = loveless::injectors::disposable().every(5s).random_worker().spec();
  CHECK(every.fault == FaultType::kDisposable);
  CHECK(loveless::injectors::describe(every).rfind("dispose of", 0) == 0);
}

TEST_CASE("the table validates each type's own fields", "[injectors]") {
  using loveless::injectors::latency;
  using loveless::injectors::pause;
  const auto problems = [](const loveless::injectors::InjectorSpec& spec) {
    return fault_definition(spec.fault).validate(spec);
  };
  CHECK(problems(pause(0ms).spec()) ==
        std::vector<std::string>{"the fault needs a positive duration"});
  CHECK(problems(pause(1s).spec()).empty());
  CHECK(problems(latency(0ms, 1s).spec()) ==
        std::vector<std::string>{"latency needs a positive delay"});
  CHECK(problems(latency(0ms, 0ms).spec()).size() == 2);
  CHECK(problems(loveless::injectors::kill().spec()).empty());
}

TEST_CASE("only lasting faults record a duration", "[injectors]") {
  CHECK(loveless::injectors::lasting(loveless::injectors::pause(2s).spec()) == 2s);
  CHECK(loveless::injectors::lasting(loveless::injectors::latency(100ms, 3s).spec()) == 3s);
  auto kill = loveless::injectors::kill().spec();
  kill.duration = 5s;
  CHECK(loveless::injectors::lasting(kill) == 0ms);
}
