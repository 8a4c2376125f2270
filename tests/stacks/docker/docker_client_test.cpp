#include "loveless/stacks/docker/docker_client.hpp"

#include <cstdlib>
#include <string>

#include <catch2/catch.hpp>

#include "docker_test_support.hpp"

using namespace loveless::stacks;
using loveless::stacks::testing::TempDir;

namespace {

// Sets an environment variable for one scope, restoring the old value.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (old_.empty()) {
      ::unsetenv(name_);
    } else {
      ::setenv(name_, old_.c_str(), 1);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::string old_;
};

}  // namespace

TEST_CASE("docker client: DOCKER_HOST selects the socket", "[docker][unit]") {
  {
    const ScopedEnv host("DOCKER_HOST", "unix:///run/user/1000/docker.sock");
    CHECK(DockerClient::default_socket_path() == "/run/user/1000/docker.sock");
  }
  {
    const ScopedEnv host("DOCKER_HOST", "");
    CHECK(DockerClient::default_socket_path() == "/var/run/docker.sock");
  }
  {
    const ScopedEnv host("DOCKER_HOST", "tcp://127.0.0.1:2375");
    CHECK_THROWS_AS(DockerClient::default_socket_path(), std::invalid_argument);
  }
}

TEST_CASE("docker client: an absent engine is a clear error, not a hang", "[docker][unit]") {
  const TempDir dir;
  const DockerClient absent((dir.path() / "no-engine.sock").string());
  CHECK_FALSE(absent.reachable());
  try {
    absent.ping();
    FAIL("ping without an engine succeeded");
  } catch (const DockerError& error) {
    CHECK(error.status() == 0);
    CHECK_THAT(error.what(), Catch::Contains("ping") && Catch::Contains("cannot reach") &&
                                 Catch::Contains("no-engine.sock"));
  }
}

TEST_CASE("docker client: create, start, wait, logs, remove", "[docker][integration]") {
  LOVELESS_DOCKER_OR_SKIP(docker);
  const TempDir scratch;
  ContainerConfig config;
  config.image = testing::kTestImage;
  config.scratch_dir = scratch.path();
  config.environment = {"LOVELESS_WORKER_NAME=client-test", "LOVELESS_EXIT_AFTER_MS=100"};
  config.labels = {{"loveless.test", "client"}};
  const std::string id = docker->create_container(config);
  // Removed whatever the checks below find.
  struct Remove {
    const DockerClient& docker;
    const std::string& id;
    ~Remove() {
      try {
        docker.remove_container(id);
      } catch (...) {
        // Already gone.
      }
    }
  } remove{*docker, id};

  CHECK(docker->inspect_container(id).status == "created");
  CHECK(docker->inspect_container(id).labels.at("loveless.test") == "client");
  docker->start_container(id);
  CHECK(docker->wait_container(id) == 3);
  const auto state = docker->inspect_container(id);
  CHECK_FALSE(state.running);
  CHECK(state.exit_code == 3);
  const std::string logs = docker->container_logs(id);
  CHECK_THAT(logs, Catch::Contains("test worker client-test started") &&
                       Catch::Contains("test worker client-test on stderr") &&
                       Catch::Contains("exits on its own"));
  CHECK(testing::read_file(scratch.path() / "starts") == "client-test\n");
  CHECK(docker->remove_container(id));
  CHECK_FALSE(docker->remove_container(id));
}

TEST_CASE("docker client: errors name the operation and the engine's message",
          "[docker][integration]") {
  LOVELESS_DOCKER_OR_SKIP(docker);
  ContainerConfig config;
  config.image = "loveless/no-such-image:never";
  try {
    (void)docker->create_container(config);
    FAIL("created a container from a missing image");
  } catch (const DockerError& error) {
    CHECK(error.status() == 404);
    CHECK_THAT(error.what(), Catch::Contains("create container from loveless/no-such-image") &&
                                 Catch::Contains("No such image") && Catch::Contains("HTTP 404"));
  }
  try {
    docker->kill_container("loveless-no-such-container");
    FAIL("killed a missing container");
  } catch (const DockerError& error) {
    CHECK(error.status() == 404);
    CHECK_THAT(error.what(), Catch::Contains("kill container loveless-no-such-container") &&
                                 Catch::Contains("No such container"));
  }
}
