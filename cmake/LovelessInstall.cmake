# The install rules (LOVELESS_INSTALL, on when Loveless is the top-level
# project): `cmake --install build --prefix P` puts
#   P/include/loveless/...           the public headers
#   P/lib/libloveless_*.a            the static libraries
#   P/bin/loveless, demo-worker      the command (`loveless demo` runs demo-worker beside it)
#   P/lib/cmake/loveless/            loveless-config.cmake (+ version), the exported
#                                    targets loveless::<name>, LovelessScenarios.cmake
# so that a project's `find_package(loveless CONFIG REQUIRED)` gets the same
# targets and functions (loveless_add_scenarios, loveless_add_scenario_tests)
# as one that adds Loveless with FetchContent (examples/my-workflow).
include_guard(GLOBAL)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(LOVELESS_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/loveless")

# Every library a scenario suite or a worker reaches, directly or through
# another (a static library's private links are its users' links too), and
# loveless_build_settings: our warning flags stay ours (it is linked
# privately, so compile options do not propagate), but a LOVELESS_SANITIZE
# build's sanitizer link flags reach the binaries that link our libraries.
set(_loveless_exported
  loveless_build_settings
  loveless_timestamps loveless_digest loveless_jsonata
  loveless_asl_expressions loveless_asl_definition loveless_asl
  loveless_notices loveless_aws loveless_aws_api
  loveless_engine
  loveless_stacks loveless_stacks_process loveless_stacks_docker loveless_latency_proxy
  loveless_local_stack loveless_stacks_aws
  loveless_worker
  loveless_history loveless_scratch_audit loveless_checks loveless_injectors loveless_scenario
  loveless_local_scenario_stack loveless_aws_scenario_stack loveless_stack_factory
  loveless_reports loveless_metrics
  loveless_suite_main)
foreach(target IN LISTS _loveless_exported)
  # loveless_asl is exported as loveless::asl, like its alias in the build tree.
  string(REGEX REPLACE "^loveless_" "" export_name ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${export_name})
endforeach()
install(TARGETS ${_loveless_exported} EXPORT loveless-targets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT loveless-targets NAMESPACE loveless:: DESTINATION ${LOVELESS_INSTALL_CMAKEDIR})

# The public headers: every library's include/ folder merges into one tree.
foreach(dir core/include core/timestamps/include core/digest/include core/asl/include core/aws/include core/engine/include
            core/stacks/include core/stacks/process/include core/stacks/docker/include
            core/stacks/latency/include core/stacks/local/include core/stacks/aws/include
            core/stacks/aws/api/include core/stacks/aws/scenario/include
            core/stacks/factory/include
            core/worker/include core/history/include core/scenario/include core/checks/include
            injectors/include reports/include reports/metrics/include)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endforeach()

install(TARGETS loveless demo-worker RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/loveless-config.cmake.in
  ${PROJECT_BINARY_DIR}/cmake/loveless-config.cmake
  INSTALL_DESTINATION ${LOVELESS_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cmake/loveless-config-version.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/cmake/loveless-config.cmake
  ${PROJECT_BINARY_DIR}/cmake/loveless-config-version.cmake
  ${PROJECT_SOURCE_DIR}/cmake/LovelessScenarios.cmake
  ${PROJECT_SOURCE_DIR}/cmake/LovelessScenarioDiscovery.cmake
  DESTINATION ${LOVELESS_INSTALL_CMAKEDIR})
