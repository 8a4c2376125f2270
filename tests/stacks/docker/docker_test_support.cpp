#include "docker_test_support.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>

#include <unistd.h>

namespace loveless::stacks::testing {

std::shared_ptr<const DockerClient> docker_or_skip(const std::vector<std::string>& images,
                                                   const std::string& how_to_build) {
  std::string reason;
  std::shared_ptr<const DockerClient> docker;
  try {
    docker = std::make_shared<const DockerClient>();
    if (!docker->reachable()) {
      reason = "no Docker engine answers at unix://" + docker->socket_path() +
               " (scripts/docker-engine starts one)";
    } else {
      for (const auto& image : images) {
        if (!docker->has_image(image)) {
          reason = "the engine has no image " + image + " (" + how_to_build + ")";
          break;
        }
      }
    }
  } catch (const std::exception& error) {
    reason = error.what();
  }
  if (reason.empty()) return docker;
  const char* required = std::getenv("LOVELESS_REQUIRE_DOCKER");
  if (required != nullptr && std::string(required) == "1") {
    FAIL("LOVELESS_REQUIRE_DOCKER=1 but " << reason);
  }
  std::cout << "LOVELESS-SKIP: " << reason << '\n';
  return nullptr;
}

std::string unique_run_id() {
  static std::mt19937_64 random{std::random_device{}()};
  std::ostringstream id;
  id << "test-" << ::getpid() << "-" << std::hex << random();
  return id.str();
}

FleetOptions test_fleet_options(const std::filesystem::path& run_dir) {
  FleetOptions options;
  options.run_id = unique_run_id();
  options.run_dir = run_dir;
  options.sfn_endpoint = "http://127.0.0.1:8083";
  return options;
}

PoolSpec test_pool_spec(const std::string& name, int replicas) {
  PoolSpec spec;
  spec.name = name;
  spec.image = kTestImage;
  spec.replicas = replicas;
  spec.activity_arn = "arn:aws:states:us-east-1:123456789012:activity:" + name;
  return spec;
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

const PoolEvent* find_event(const std::vector<PoolEvent>& events, PoolEvent::Kind kind,
                            const std::string& worker) {
  for (const auto& event : events) {
    if (event.kind == kind && (worker.empty() || event.worker_id == worker)) return &event;
  }
  return nullptr;
}

std::uintmax_t file_size_or_zero(const std::filesystem::path& file) {
  std::error_code error;
  const auto size = std::filesystem::file_size(file, error);
  return error ? 0 : size;
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace loveless::stacks::testing
