# Scenario suites: executables of LOVELESS_SCENARIO files with the Loveless
# main, each scenario registered as a CTest test.
#
#   include(${PROJECT_SOURCE_DIR}/cmake/LovelessScenarios.cmake)
#   loveless_add_scenarios(demo-scenarios demo_scenarios.cpp
#     LABELS scenario ARGS --stack process)
#
# builds build/bin/demo-scenarios and, after each build, asks it for its
# scenario names (--list-names), so `ctest` runs one test per scenario:
# `demo-scenarios --scenario <name> ARGS...`, labelled LABELS (default
# `scenario`). The suite's exit code is the test's verdict. Extra properties
# for the tests: PROPERTIES <name> <value>... (e.g. RUN_SERIAL ON). NO_TESTS
# builds the suite without registering its scenarios (fixtures that other
# tests run).
include_guard(GLOBAL)

function(loveless_add_scenarios target)
  cmake_parse_arguments(ARG "NO_TESTS" "TEST_PREFIX" "SOURCES;LABELS;ARGS;PROPERTIES;LIBS" ${ARGN})
  add_executable(${target} ${ARG_SOURCES} ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${target} PRIVATE loveless::suite_main loveless::scenario ${ARG_LIBS})
  loveless_target_settings(${target})
  if(ARG_NO_TESTS)
    return()
  endif()
  loveless_add_scenario_tests(${target} TEST_PREFIX "${ARG_TEST_PREFIX}" LABELS ${ARG_LABELS}
    ARGS ${ARG_ARGS} PROPERTIES ${ARG_PROPERTIES})
endfunction()

# loveless_add_scenario_tests(TARGET [TEST_PREFIX P] [LABELS L...] [ARGS A...]
#   [PROPERTIES ...]) registers TARGET's scenarios once more, e.g. with
# `ARGS --stack docker`: a suite that prints `LOVELESS-SKIP:` (the docker
# stack without an engine or image, unless LOVELESS_REQUIRE_DOCKER=1) is
# reported as skipped.
function(loveless_add_scenario_tests target)
  cmake_parse_arguments(ARG "" "TEST_PREFIX" "LABELS;ARGS;PROPERTIES" ${ARGN})
  if(NOT ARG_LABELS)
    set(ARG_LABELS scenario)
  endif()
  if(NOT ARG_TEST_PREFIX)
    set(ARG_TEST_PREFIX "${target}:")
  endif()
  string(MAKE_C_IDENTIFIER "${target}_${ARG_TEST_PREFIX}" file_id)
  set(ctest_file "${CMAKE_CURRENT_BINARY_DIR}/${file_id}_scenarios.cmake")
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_COMMAND}
      -D "SUITE=$<TARGET_FILE:${target}>"
      -D "OUTPUT=${ctest_file}"
      -D "PREFIX=${ARG_TEST_PREFIX}"
      -D "LABELS=${ARG_LABELS}"
      -D "ARGS=${ARG_ARGS}"
      -D "PROPERTIES=${ARG_PROPERTIES}"
      -P "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/LovelessScenarioDiscovery.cmake"
    VERBATIM)
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${ctest_file}")
endfunction()
