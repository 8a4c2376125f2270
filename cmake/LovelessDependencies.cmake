# Every dependency comes from a Debian package (scripts/setup installs them).
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(spdlog REQUIRED)
find_package(Boost 1.74 REQUIRED COMPONENTS filesystem)  # Boost.Process needs it
find_package(PkgConfig REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
find_package(CLI11 2 CONFIG REQUIRED)  # the command lines (core/cli)
find_package(prometheus-cpp CONFIG REQUIRED)  # core, pull (Exposer), push (Gateway)
if(LOVELESS_BUILD_TESTS)
  find_package(Catch2 2 REQUIRED)
endif()
