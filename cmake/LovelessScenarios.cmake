# Scenario suites: executables of LOVELESS_SCENARIO files with the Loveless
# main, each scenario registered as a CTest test. Available after
# find_package(loveless) or after adding Loveless with FetchContent or
# add_subdirectory (docs/scenarios.md, "Building a suite"):
#
#   enable_testing()
#   loveless_add_scenarios(my-scenarios my_scenarios.cpp
#     LABELS scenario ARGS --stack process PROPERTIES RUN_SERIAL ON TIMEOUT 600)
#
# builds my-scenarios and, after each build, asks it for its scenario names
# (--list-names), so `ctest` runs one test per scenario:
# `my-scenarios --scenario <name> ARGS...`, labelled LABELS (default
# `scenario`). The suite's exit code is the test's verdict. Extra properties
# for the tests: PROPERTIES <name> <value>... (e.g. RUN_SERIAL ON). LIBS
# links more libraries. NO_TESTS builds the suite without registering its
# scenarios (fixtures that other tests run). Before the suite is built, CTest
# lists one test, <target>_NOT_BUILT, which fails.
#
# The suite is compiled with the project's own flags: Loveless's warning
# flags (cmake/LovelessWarnings.cmake) go only on the suites in Loveless's own
# tree (_LOVELESS_IN_TREE, set by its top-level CMakeLists.txt for its
# directories alone).
include_guard(GLOBAL)

function(loveless_add_scenarios target)
  cmake_parse_arguments(ARG "NO_TESTS" "TEST_PREFIX" "SOURCES;LABELS;ARGS;PROPERTIES;LIBS" ${ARGN})
  add_executable(${target} ${ARG_SOURCES} ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${target} PRIVATE loveless::suite_main loveless::scenario ${ARG_LIBS})
  target_compile_features(${target} PRIVATE cxx_std_20)
  if(_LOVELESS_IN_TREE)
    loveless_target_settings(${target})
  endif()
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
  # CTest reads the scenarios' file when it exists; until the suite is built,
  # one test that fails says so (as gtest_discover_tests does), and `ctest -N`
  # still works.
  set(include_file "${CMAKE_CURRENT_BINARY_DIR}/${file_id}_include.cmake")
  file(WRITE "${include_file}" "if(EXISTS [==[${ctest_file}]==])
  include([==[${ctest_file}]==])
else()
  add_test([==[${target}_NOT_BUILT]==] [==[${target}_NOT_BUILT]==])
endif()
")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${include_file}")
endfunction()

