#include "headless_chromium.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace loveless::testing {
namespace fs = std::filesystem;

namespace {

std::string read_all(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// This process's environment with HOME and the XDG directories in `home`,
/// so that Chromium's crash database and caches stay in the test's directory.
std::vector<std::string> environment_with_home(const fs::path& home) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text(*entry);
    if (text.rfind("HOME=", 0) == 0 || text.rfind("XDG_", 0) == 0) continue;
    env.push_back(text);
  }
  env.push_back("HOME=" + home.string());
  env.push_back("XDG_CONFIG_HOME=" + (home / ".config").string());
  env.push_back("XDG_CACHE_HOME=" + (home / ".cache").string());
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> result;
  result.reserve(strings.size() + 1);
  for (auto& text : strings) result.push_back(text.data());
  result.push_back(nullptr);
  return result;
}

}  // namespace

std::string file_url(const fs::path& file) { return "file://" + fs::absolute(file).string(); }

std::vector<int> processes_naming(const std::string& text) {
  std::vector<int> pids;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator("/proc", error)) {
    const auto name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const auto pid = std::atoi(name.c_str());
    if (pid == ::getpid()) continue;
    auto cmdline = read_all(entry.path() / "cmdline");
    for (auto& c : cmdline) c = c == '\0' ? ' ' : c;
    if (cmdline.find(text) != std::string::npos) pids.push_back(pid);
  }
  return pids;
}

ChromiumRun run_chromium(const fs::path& chromium, const fs::path& work,
                         const std::vector<std::string>& args, std::chrono::seconds limit) {
  fs::create_directories(work / "home");
  std::vector<std::string> argv = {chromium.string(), "--headless", "--no-sandbox", "--disable-gpu",
                                   "--user-data-dir=" + (work / "profile").string(),
                                   "--no-first-run", "--no-default-browser-check",
                                   "--disable-extensions", "--disable-background-networking",
                                   "--disable-component-update", "--disable-sync",
                                   "--hide-scrollbars", "--force-device-scale-factor=1",
                                   // file:// only: any host name resolves to nothing.
                                   "--host-resolver-rules=MAP * ~NOTFOUND"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto env = environment_with_home(work / "home");
  auto argv_pointers = pointers(argv);
  auto env_pointers = pointers(env);
  const auto out_file = work / "chromium.out";
  const auto err_file = work / "chromium.err";
  const int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int err = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);

  ChromiumRun run;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    ::dup2(in, STDIN_FILENO);
    ::dup2(out, STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
    ::execve(argv_pointers[0], argv_pointers.data(), env_pointers.data());
    ::_exit(127);
  }
  ::close(out);
  ::close(err);
  ::close(in);
  if (pid < 0) {
    run.err = std::string("fork failed: ") + std::strerror(errno);
    return run;
  }
  // Both sides set the group, so it exists before either side relies on it.
  ::setpgid(pid, pid);
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (true) {
    const auto done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      run.timed_out = true;
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // Helpers still in the group go with it.
  ::kill(-pid, SIGKILL);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;

  const auto settle = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  auto left = processes_naming(work.string());
  while (!left.empty() && std::chrono::steady_clock::now() < settle) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    left = processes_naming(work.string());
  }
  for (const auto orphan : left) ::kill(orphan, SIGKILL);
  run.orphans = left;
  run.out = read_all(out_file);
  run.err = read_all(err_file);
  return run;
}

}  // namespace loveless::testing
