#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "loveless/scenario/scenario.hpp"

namespace loveless::scenario {

/// The body of a scenario: fills in the declarations through `s`.
using ScenarioBody = std::function<void(Scenario& s)>;

/// One registered scenario.
struct RegisteredScenario {
  std::string name;
  /// `[demo][kill]` as written.
  std::string tags;
  std::filesystem::path file;
  int line = 0;
  ScenarioBody body;
};

/// Every scenario linked into the executable, in registration order, and the
/// problems registration met (an empty or duplicate name, malformed tags).
/// Registration never throws (it runs before main); the suite reports these
/// problems when it starts and exits 2.
struct ScenarioRegistry {
  std::vector<RegisteredScenario> scenarios;
  std::vector<std::string> errors;
};
ScenarioRegistry& registry();

/// `[demo][kill]` -> {"demo", "kill"}; empty when malformed (then `error` says why).
std::vector<std::string> parse_tags(const std::string& tags, std::string& error);

/// Runs `scenario`'s body into a spec (name, tags, file, line, declarations).
/// An exception from the body becomes a declaration error.
ScenarioSpec declare(const RegisteredScenario& scenario);

/// Adds a scenario to `registry()` at static-initialisation time. Never throws.
class ScenarioRegistrar {
 public:
  ScenarioRegistrar(const char* name, const char* tags, const char* file, int line,
                    void (*body)(Scenario&)) noexcept;
};

}  // namespace loveless::scenario

#define LOVELESS_SCENARIO_CAT2(a, b) a##b
#define LOVELESS_SCENARIO_CAT(a, b) LOVELESS_SCENARIO_CAT2(a, b)
// The body becomes a member function of a class in loveless::scenario_definitions,
// so unqualified names in it find the DSL (kill(), all_executions_succeed()) and
// the chrono literals (200ms) without a using-directive in the user's file.
#define LOVELESS_SCENARIO_IMPL(definition, name, tags)                                 \
  namespace loveless::scenario_definitions {                                           \
  namespace {                                                                          \
  struct definition {                                                                  \
    static void run(::loveless::scenario::Scenario& s) { definition{}.body(s); }       \
    void body(::loveless::scenario::Scenario& s);                                      \
  };                                                                                   \
  const ::loveless::scenario::ScenarioRegistrar LOVELESS_SCENARIO_CAT(definition, _r){ \
      name, tags, __FILE__, __LINE__, &definition::run};                               \
  }                                                                                    \
  }                                                                                    \
  void loveless::scenario_definitions::definition::body(                               \
      [[maybe_unused]] ::loveless::scenario::Scenario& s)

/// Declares a scenario: `LOVELESS_SCENARIO("name", "[tag][tag]") { s.workflow(...); ... }`.
/// Tags `[!shouldfail]`: the scenario passes when a check fails.
#define LOVELESS_SCENARIO(name, tags) \
  LOVELESS_SCENARIO_IMPL(LOVELESS_SCENARIO_CAT(LovelessScenario_, __COUNTER__), name, tags)
