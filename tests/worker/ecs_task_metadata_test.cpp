// On ECS an activity worker names itself by its task id, read from the task
// metadata endpoint v4 ($ECS_CONTAINER_METADATA_URI_V4/task), which the aws
// stack uses as the worker's id. A loopback server stands in for the
// endpoint (a FAKE: ECS metadata exists only inside ECS tasks).
#include "ecs_task_metadata.hpp"

#include <cstdlib>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <httplib.h>

#include "environment.hpp"

namespace {

using namespace std::chrono_literals;

class FakeEcsTaskMetadataEndpoint {
 public:
  explicit FakeEcsTaskMetadataEndpoint(std::string body, int status = 200) {
    server_.Get("/v4/container-1/task",
                [body = std::move(body), status](const httplib::Request&, httplib::Response& res) {
                  res.status = status;
                  res.set_content(body, "application/json");
                });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FakeEcsTaskMetadataEndpoint() {
    server_.stop();
    thread_.join();
  }
  FakeEcsTaskMetadataEndpoint(const FakeEcsTaskMetadataEndpoint&) = delete;
  FakeEcsTaskMetadataEndpoint& operator=(const FakeEcsTaskMetadataEndpoint&) = delete;
  [[nodiscard]] std::string uri() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/v4/container-1";
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

/// Sets ECS_CONTAINER_METADATA_URI_V4 for one test.
class MetadataVariable {
 public:
  explicit MetadataVariable(const std::string& value) {
    ::setenv("ECS_CONTAINER_METADATA_URI_V4", value.c_str(), 1);
  }
  ~MetadataVariable() { ::unsetenv("ECS_CONTAINER_METADATA_URI_V4"); }
  MetadataVariable(const MetadataVariable&) = delete;
  MetadataVariable& operator=(const MetadataVariable&) = delete;
};

}  // namespace

TEST_CASE("on ECS the worker is named by its task id", "[worker][ecs]") {
  const FakeEcsTaskMetadataEndpoint endpoint(
      R"({"Cluster":"demo","TaskARN":"arn:aws:ecs:us-east-1:123456789012:task/demo/5e1f0a8b7c3d4e2f9a6b1c0d","Family":"count-words"})");
  const MetadataVariable variable(endpoint.uri());
  CHECK(loveless::worker::ecs_task_id(1s) == "5e1f0a8b7c3d4e2f9a6b1c0d");
  CHECK(loveless::worker::default_worker_name() == "5e1f0a8b7c3d4e2f9a6b1c0d");
}

TEST_CASE("outside ECS or without an answer the host name and pid name the worker",
          "[worker][ecs]") {
  SECTION("no metadata variable") {
    ::unsetenv("ECS_CONTAINER_METADATA_URI_V4");
    CHECK_FALSE(loveless::worker::ecs_task_id(1s));
  }
  SECTION("an endpoint that answers an error") {
    const FakeEcsTaskMetadataEndpoint endpoint("{}", 500);
    const MetadataVariable variable(endpoint.uri());
    CHECK_FALSE(loveless::worker::ecs_task_id(1s));
    CHECK(loveless::worker::default_worker_name().ends_with("-" + std::to_string(::getpid())));
  }
  SECTION("an answer without a task ARN") {
    const FakeEcsTaskMetadataEndpoint endpoint(R"({"Cluster":"demo"})");
    const MetadataVariable variable(endpoint.uri());
    CHECK_FALSE(loveless::worker::ecs_task_id(1s));
  }
  SECTION("nothing listening") {
    const MetadataVariable variable("http://127.0.0.1:1/v4/container-1");
    CHECK_FALSE(loveless::worker::ecs_task_id(1s));
  }
}
