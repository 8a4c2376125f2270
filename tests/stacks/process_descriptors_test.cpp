// A worker process inherits no descriptor of the runner: not a latency
// proxy's listening socket, not a file or socket some library opened without
// close-on-exec. It starts with stdin, stdout and stderr only.
#include <catch2/catch.hpp>

#include "loveless/stacks/latency_proxy.hpp"

#include "fleet_test_support.hpp"
#include <sys/socket.h>

namespace loveless::stacks::test {
namespace {

/// Descriptor number -> what it is (`socket:[123]`, a path), from /proc.
std::map<int, std::string> open_descriptors(pid_t pid) {
  std::map<int, std::string> descriptors;
  const std::filesystem::path dir = "/proc/" + std::to_string(pid) + "/fd";
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    std::error_code link_error;
    const auto target = std::filesystem::read_symlink(entry.path(), link_error);
    descriptors[std::stoi(entry.path().filename().string())] = link_error ? "?" : target.string();
  }
  return descriptors;
}

/// A descriptor this process holds, opened the way a careless library would.
class LeakyDescriptor {
 public:
  explicit LeakyDescriptor(int fd) : fd_(fd) { REQUIRE(fd_ > 2); }
  ~LeakyDescriptor() { ::close(fd_); }
  LeakyDescriptor(const LeakyDescriptor&) = delete;
  LeakyDescriptor& operator=(const LeakyDescriptor&) = delete;

 private:
  int fd_;
};

TEST_CASE("a worker holds only stdin, stdout and stderr while a latency proxy listens",
          "[process_fleet][descriptors]") {
  TempDir runs;
  const LatencyProxy proxy("http://127.0.0.1:9");
  const LeakyDescriptor socket(::socket(AF_INET, SOCK_STREAM, 0));  // no SOCK_CLOEXEC
  const LeakyDescriptor file(::open("/dev/null", O_RDONLY));        // no O_CLOEXEC
  const auto fleet = make_process_fleet(options_in(runs.path(), "run-fds"));
  const auto pool = fleet->add_activity_pool(sleeper_pool("fds"));
  const auto worker = pool->workers().at(0);
  REQUIRE(wait_ready(*worker));

  auto descriptors = open_descriptors(pid_of(*worker));
  // The sleeper's own heartbeat file, open for a moment every 10 ms.
  std::erase_if(descriptors,
                [](const auto& entry) { return entry.second.ends_with("/heartbeat"); });
  INFO("the worker's descriptors: " << [&] {
    std::string listed;
    for (const auto& [fd, target] : descriptors)
      listed += std::to_string(fd) + " -> " + target + "; ";
    return listed;
  }());
  std::vector<int> numbers;
  for (const auto& entry : descriptors) numbers.push_back(entry.first);
  CHECK(numbers == std::vector<int>{0, 1, 2});
}

}  // namespace
}  // namespace loveless::stacks::test
