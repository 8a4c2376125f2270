// A stand-in worker for the process fleet tests: shows what a worker sees
// (environment, scratch, log) and makes its progress observable (heartbeat).
//
//   test_sleeper [--heartbeat FILE] [--ignore-term] [--exit-after MS CODE]
//                [--keep-after-parent-death] [--fork-grandchild] [--fork-daemon]
//
// At start it writes its environment to $TMPDIR/env.txt, prints one line to
// stdout and one to stderr, then appends a byte to the heartbeat file
// ($TMPDIR/heartbeat unless given) every 10 ms. SIGTERM writes
// $TMPDIR/terminated and exits 0, unless --ignore-term.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

extern char** environ;

namespace {

char terminated_marker[4096];

extern "C" void on_sigterm(int /*signal_number*/) {
  const int fd = ::open(terminated_marker, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    ::close(fd);
  }
  ::_exit(0);
}

void write_environment(const std::string& tmpdir) {
  // Written aside and renamed, so a reader never sees half of it.
  const std::string partial = tmpdir + "/env.txt.partial";
  {
    std::ofstream out(partial);
    for (char** entry = environ; *entry != nullptr; ++entry) {
      out << *entry << '\n';
    }
  }
  std::rename(partial.c_str(), (tmpdir + "/env.txt").c_str());
}

}  // namespace

int main(int argc, char** argv) {
  const char* tmpdir_variable = std::getenv("TMPDIR");
  const std::string tmpdir = tmpdir_variable != nullptr ? tmpdir_variable : "/tmp";
  const char* name_variable = std::getenv("LOVELESS_WORKER_NAME");
  const std::string name = name_variable != nullptr ? name_variable : "unnamed";
  std::string heartbeat = tmpdir + "/heartbeat";
  bool ignore_term = false;
  bool keep_after_parent_death = false;
  bool fork_grandchild = false;
  bool fork_daemon = false;
  long exit_after_ms = -1;
  int exit_code = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--heartbeat" && i + 1 < argc) {
      heartbeat = argv[++i];
    } else if (arg == "--ignore-term") {
      ignore_term = true;
    } else if (arg == "--exit-after" && i + 2 < argc) {
      exit_after_ms = std::strtol(argv[++i], nullptr, 10);
      exit_code = static_cast<int>(std::strtol(argv[++i], nullptr, 10));
    } else if (arg == "--keep-after-parent-death") {
      keep_after_parent_death = true;
    } else if (arg == "--fork-grandchild") {
      fork_grandchild = true;
    } else if (arg == "--fork-daemon") {
      fork_daemon = true;
    } else {
      std::fprintf(stderr, "test_sleeper: unknown argument %s\n", arg.c_str());
      return 2;
    }
  }

  std::snprintf(terminated_marker, sizeof terminated_marker, "%s/terminated", tmpdir.c_str());
  if (ignore_term) {
    ::signal(SIGTERM, SIG_IGN);
  } else {
    ::signal(SIGTERM, on_sigterm);
  }
  if (keep_after_parent_death) {
    // Like a program that resets the death signal: only a sweep catches it.
    ::prctl(PR_SET_PDEATHSIG, 0);
  }
  if (fork_grandchild) {
    const pid_t child = ::fork();
    if (child == 0) {
      for (;;) {
        ::pause();
      }
    }
    std::ofstream(tmpdir + "/grandchild.pid") << child << '\n';
  }
  if (fork_daemon) {
    // A daemon as a worker would start one: its own session, so it leaves
    // the worker's process group (a kill of the group misses it).
    const pid_t child = ::fork();
    if (child == 0) {
      ::setsid();
      for (;;) {
        ::pause();
      }
    }
    std::ofstream(tmpdir + "/daemon.pid") << child << '\n';
  }
  // The pid line first: tests take env.txt as "ready", and a worker stopped
  // right after must already have logged which process it was.
  std::printf("stdout %s pid %d\n", name.c_str(), static_cast<int>(::getpid()));
  std::fflush(stdout);
  write_environment(tmpdir);
  std::fprintf(stderr, "stderr %s\n", name.c_str());

  const auto started = std::chrono::steady_clock::now();
  for (;;) {
    if (exit_after_ms >= 0 &&
        std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(exit_after_ms)) {
      return exit_code;
    }
    const int fd = ::open(heartbeat.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      [[maybe_unused]] const auto written = ::write(fd, ".", 1);
      ::close(fd);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}
