// The worker inside the docker fleet's test image (FROM scratch, linked
// statically). It leaves evidence in /tmp, the scratch the host can read:
//   /tmp/heartbeat    one line appended every 20 ms (stops growing while paused)
//   /tmp/rootfs-write `denied` or `allowed`: whether the root filesystem is writable
//   /tmp/environment  its environment, one VAR=value a line
//   /tmp/starts       one line per start (a restart keeps the scratch, so two lines)
// With LOVELESS_PROBE_PORT it connects to 127.0.0.1:<port> and sends its worker
// name, which only reaches the test's listener when it shares the host network.
// With LOVELESS_EXIT_AFTER_MS it exits with status 3 after that long, a worker
// that dies on its own. SIGTERM ends it with status 0.
// With LOVELESS_PROBE_MOUNTS=<dir>[:<dir>...] it probes each directory once at
// start and appends a line per directory to /tmp/mounts:
//   <dir> read=<first line of <dir>/input, or "missing"> write=allowed|denied <error>
// where the write is the creation of <dir>/written-by-<worker name>.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

extern char** environ;

namespace {

volatile std::sig_atomic_t terminated = 0;

void on_sigterm(int /*signal*/) { terminated = 1; }

void append_line(const char* path, const std::string& line) {
  std::ofstream out(path, std::ios::app);
  out << line << '\n';
}

std::string env_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : fallback;
}

void probe_host_network(int port, const std::string& name) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    return;
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) {
    const std::string message = name + "\n";
    [[maybe_unused]] const auto sent = ::send(fd, message.data(), message.size(), 0);
  }
  ::close(fd);
}

void probe_mounts(const std::string& dirs, const std::string& name) {
  std::size_t begin = 0;
  while (begin <= dirs.size()) {
    const auto end = std::min(dirs.find(':', begin), dirs.size());
    const std::string dir = dirs.substr(begin, end - begin);
    begin = end + 1;
    if (dir.empty()) continue;
    std::string read = "missing";
    if (std::ifstream in(dir + "/input"); in) std::getline(in, read);
    const std::string written = dir + "/written-by-" + name;
    std::string write = "allowed";
    if (std::FILE* file = std::fopen(written.c_str(), "w"); file != nullptr) {
      std::fputs(name.c_str(), file);
      std::fclose(file);
    } else {
      write = std::string("denied ") + std::strerror(errno);
    }
    append_line("/tmp/mounts", dir + " read=" + read + " write=" + write);
  }
}

}  // namespace

int main() {
  // PID 1 in a container ignores signals it has no handler for, so without
  // this a stop would always wait for the grace period and end in SIGKILL.
  std::signal(SIGTERM, on_sigterm);
  std::signal(SIGINT, on_sigterm);

  const std::string name = env_or("LOVELESS_WORKER_NAME", "unnamed");
  std::printf("test worker %s started\n", name.c_str());
  std::fflush(stdout);
  std::fprintf(stderr, "test worker %s on stderr\n", name.c_str());

  append_line("/tmp/starts", name);
  {
    std::FILE* probe = std::fopen("/rootfs-probe", "w");
    append_line("/tmp/rootfs-write",
                probe != nullptr ? "allowed" : std::string("denied ") + std::strerror(errno));
    if (probe != nullptr) {
      std::fclose(probe);
    }
  }
  {
    std::ofstream out("/tmp/environment", std::ios::trunc);
    for (char** entry = environ; *entry != nullptr; ++entry) {
      out << *entry << '\n';
    }
  }
  if (const char* dirs = std::getenv("LOVELESS_PROBE_MOUNTS"); dirs != nullptr) {
    probe_mounts(dirs, name);
  }
  if (const char* port = std::getenv("LOVELESS_PROBE_PORT"); port != nullptr) {
    probe_host_network(std::atoi(port), name);
  }

  const auto started = std::chrono::steady_clock::now();
  const long exit_after_ms = std::atol(env_or("LOVELESS_EXIT_AFTER_MS", "0").c_str());
  while (terminated == 0) {
    append_line("/tmp/heartbeat", "beat");
    if (exit_after_ms > 0 &&
        std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(exit_after_ms)) {
      std::printf("test worker %s exits on its own\n", name.c_str());
      return 3;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::printf("test worker %s terminated\n", name.c_str());
  return 0;
}
