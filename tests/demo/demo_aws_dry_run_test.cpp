// `demo-scenarios --stack aws --dry-run`: the plan of every mutating AWS call
// for the demo suite bound to its example resources (scenarios/demo), approved
// as tests/demo/approved/aws_dry_run.approved.txt. The dry run must make no
// call at all: every AWS endpoint, the metadata services included, points at
// a loopback server that counts what reaches it, and no credentials are set.
//
// On a mismatch the received text is written next to the approved file as
// aws_dry_run.received.txt; approve it with
//   cp tests/demo/approved/aws_dry_run.received.txt tests/demo/approved/aws_dry_run.approved.txt
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <string>
#include <thread>

#include <boost/process.hpp>
#include <catch2/catch.hpp>
#include <httplib.h>

namespace {

namespace bp = boost::process;
namespace fs = std::filesystem;

const fs::path kSuite = LOVELESS_DEMO_SCENARIOS;
const fs::path kApproved = LOVELESS_DEMO_APPROVED;
const std::string kSourceDir = LOVELESS_SOURCE_DIR;

std::string file_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

/// Answers 500 to everything and counts it: any request is a failure of the dry run.
class CountingEndpoint {
 public:
  CountingEndpoint() {
    server_.set_logger([this](const httplib::Request&, const httplib::Response&) { ++hits_; });
    server_.Get(".*", [](const httplib::Request&, httplib::Response& res) { res.status = 500; });
    server_.Post(".*", [](const httplib::Request&, httplib::Response& res) { res.status = 500; });
    server_.Put(".*", [](const httplib::Request&, httplib::Response& res) { res.status = 500; });
    server_.Delete(".*", [](const httplib::Request&, httplib::Response& res) { res.status = 500; });
    port_ = server_.bind_to_any_port("127.0.0.1");
    // Bound already: a connection made before listen() starts waits in the backlog.
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~CountingEndpoint() {
    server_.stop();
    thread_.join();
  }
  CountingEndpoint(const CountingEndpoint&) = delete;
  CountingEndpoint& operator=(const CountingEndpoint&) = delete;

  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] int hits() const { return hits_.load(); }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::atomic<int> hits_{0};
  std::thread thread_;
};

struct Finished {
  int status = -1;
  std::string out;
  std::string err;
};

Finished dry_run(const CountingEndpoint& endpoint) {
  auto env = boost::this_process::environment();
  for (const char* name :
       {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
        "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI"}) {
    env.erase(name);
  }
  for (const char* name : {"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SFN", "AWS_ENDPOINT_URL_ECS",
                           "AWS_ENDPOINT_URL_LAMBDA", "AWS_ENDPOINT_URL_FIS",
                           "AWS_ENDPOINT_URL_CLOUDWATCH", "AWS_EC2_METADATA_SERVICE_ENDPOINT"}) {
    env[name] = endpoint.url();
  }
  env["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/credentials";
  env["AWS_CONFIG_FILE"] = "/nonexistent/config";
  std::future<std::string> out;
  std::future<std::string> err;
  boost::asio::io_context io;
  bp::child child(kSuite.string(), bp::args({"--stack", "aws", "--dry-run"}), env,
                  bp::std_out > out, bp::std_err > err, bp::std_in.close(), io);
  std::thread runner([&io] { io.run(); });
  const bool ended = child.wait_for(std::chrono::seconds(60));
  if (!ended) child.terminate();
  runner.join();
  Finished finished;
  finished.status = ended ? child.exit_code() : -1;
  finished.out = out.get();
  finished.err = err.get();
  return finished;
}

}  // namespace

TEST_CASE("the demo suite's aws dry run prints every mutating call and makes none",
          "[aws][dry-run]") {
  const CountingEndpoint endpoint;
  const auto run = dry_run(endpoint);
  INFO("exit " << run.status << "\nstdout:\n" << run.out << "\nstderr:\n" << run.err);
  // Five demo faults cannot be performed on AWS (pause, wipe-scratch on an
  // ECS task): those scenarios are rejected with the nearest alternative,
  // which makes the suite's exit code 2, and the others are planned.
  CHECK(run.status == 2);
  CHECK(endpoint.hits() == 0);
  CHECK(run.out.find("DRY-RUN ecs:StopTask") != std::string::npos);

  const auto received = "exit " + std::to_string(run.status) + "\n--- stdout ---\n" + run.out +
                        "--- stderr ---\n" + replace_all(run.err, kSourceDir, "<source>");
  const auto approved_file = kApproved / "aws_dry_run.approved.txt";
  const auto received_file = kApproved / "aws_dry_run.received.txt";
  const auto approved = file_text(approved_file);
  if (received != approved) {
    std::ofstream(received_file, std::ios::binary) << received;
    FAIL("the dry run differs from " << approved_file.string() << "; see " << received_file.string()
                                     << " (diff -u them; cp to approve)");
  }
  fs::remove(received_file);
}
