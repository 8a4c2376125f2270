#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "loveless/stacks/docker/docker_client.hpp"
#include "loveless/stacks/fleet.hpp"
#include "loveless/stacks/pool.hpp"

#include "support/temp_dir.hpp"

namespace loveless::stacks::testing {

/// The image the build makes from test_container_worker.cpp.
inline constexpr const char* kTestImage = LOVELESS_TEST_IMAGE;
/// The image the build makes from test_stack_worker.cpp: an activity worker
/// and a Lambda function for a LocalStack on the docker fleet.
inline constexpr const char* kStackImage = LOVELESS_TEST_STACK_IMAGE;

/// The engine for a docker test, when one answers and holds every image in
/// `images`. Otherwise prints `LOVELESS-SKIP: <reason>` (CTest reports the
/// test skipped) and returns null, or, under LOVELESS_REQUIRE_DOCKER=1, fails
/// the test. `how_to_build` says how to make a missing image.
std::shared_ptr<const DockerClient> docker_or_skip(
    const std::vector<std::string>& images = {kTestImage},
    const std::string& how_to_build =
        "the build makes it when the engine is up: rebuild, or scripts/build-images");

using loveless::testing::TempDir;

/// A run id no other test (or test process) uses.
std::string unique_run_id();

/// Fleet options for a test run in `run_dir`.
FleetOptions test_fleet_options(const std::filesystem::path& run_dir);

/// An activity pool spec running the test image.
PoolSpec test_pool_spec(const std::string& name, int replicas = 1);

/// Polls `condition` every 20 ms until it holds or `timeout` passes; returns
/// whether it held.
bool wait_until(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(15));

/// The first event of `kind` for `worker` (any worker when empty), if any.
const PoolEvent* find_event(const std::vector<PoolEvent>& events, PoolEvent::Kind kind,
                            const std::string& worker = {});

/// The file's size in bytes, 0 when it does not exist.
std::uintmax_t file_size_or_zero(const std::filesystem::path& file);
/// The file's content, empty when it does not exist.
std::string read_file(const std::filesystem::path& file);

}  // namespace loveless::stacks::testing

/// Starts a docker test: binds `client` to the engine, or skips the test case.
#define LOVELESS_DOCKER_OR_SKIP(client)                              \
  const auto client = ::loveless::stacks::testing::docker_or_skip(); \
  if (!(client)) return
