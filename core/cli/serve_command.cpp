#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <stdexcept>
#include <thread>
#include <vector>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "loveless/engine/http_server.hpp"
#include "loveless/engine/service.hpp"

#include "arguments.hpp"
#include "bind_warning.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "local_functions.hpp"
#include <pthread.h>

namespace loveless::cli {
namespace {

/// How long `serve` may take to shut down after SIGINT or SIGTERM before it
/// exits anyway (docs/cli.md).
constexpr std::chrono::seconds kShutdownGrace{5};

// A whole number in 1..`max`; throws UsageError naming `option`.
long parse_positive(const std::string& option, const std::string& value, long max) {
  std::size_t used = 0;
  long parsed = 0;
  try {
    parsed = std::stol(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != value.size() || value.empty() || parsed < 1 || parsed > max) {
    throw UsageError(option + " must be a whole number in 1.." + std::to_string(max) + ", got '" +
                     value + "'");
  }
  return parsed;
}

}  // namespace

void configure_logging(bool verbose) {
  auto logger = spdlog::stderr_color_mt("loveless");
  spdlog::set_default_logger(logger);
  spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::info);
}

int run_serve(const std::vector<std::string>& args) {
  std::string host = "127.0.0.1";
  int port = 8083;
  bool verbose = false;
  engine::ServiceOptions options;
  std::vector<FunctionOption> functions;
  // Lambda's defaults: a 3 s timeout; concurrency as the engine's default.
  std::chrono::milliseconds function_timeout{3'000};
  int function_concurrency = 10;
  ArgumentParser()
      .option("--host", [&](const std::string& v) { host = v; })
      .option("--port", [&](const std::string& v) { port = parse_port("--port", v); })
      .option("--account-id",
              [&](const std::string& v) {
                if (v.size() != 12 || v.find_first_not_of("0123456789") != std::string::npos) {
                  throw UsageError("--account-id must be 12 digits, got '" + v + "'");
                }
                options.account_id = v;
              })
      .option("--region",
              [&](const std::string& v) {
                if (v.empty() || v.find(':') != std::string::npos) {
                  throw UsageError("--region must be a region name, got '" + v + "'");
                }
                options.region = v;
              })
      .option("--function",
              [&](const std::string& v) { functions.push_back(parse_function_option(v)); })
      .option("--function-timeout",
              [&](const std::string& v) {
                function_timeout =
                    std::chrono::milliseconds(parse_positive("--function-timeout", v, 900) * 1000);
              })
      .option("--function-concurrency",
              [&](const std::string& v) {
                function_concurrency =
                    static_cast<int>(parse_positive("--function-concurrency", v, 1000));
              })
      .flag({"-v", "--verbose"}, &verbose)
      .parse(args);
  configure_logging(verbose);

  // Block the stop signals in every thread (the server's threads inherit the
  // mask) and take them synchronously in this one.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  engine::StepFunctionsService service(options);
  engine::HttpServer server(service);
  try {
    port = server.start(host, port);
  } catch (const std::runtime_error& e) {
    std::cerr << "loveless serve: " << e.what() << "\n";
    return exit_codes::kStackUnavailable;
  }
  LocalFunctions local_functions(service, server.url());
  try {
    for (const auto& function : functions) {
      local_functions.add(function, function_timeout, function_concurrency);
    }
  } catch (const std::exception& e) {
    std::cerr << "loveless serve: cannot host the functions: " << e.what() << "\n";
    server.stop();
    return exit_codes::kStackUnavailable;
  }
  if (const auto warning = unauthenticated_bind_warning("the engine (loveless serve)", host,
                                                        host + ":" + std::to_string(port))) {
    std::cerr << *warning << " (--host 127.0.0.1 is the default.)" << std::endl;
  }
  std::cout << "Loveless Step Functions engine listening on " << server.url() << std::endl;
  spdlog::info("account {}, region {}", options.account_id, options.region);

  int received = 0;
  sigwait(&stop_signals, &received);
  spdlog::info("received {}, shutting down", received == SIGINT ? "SIGINT" : "SIGTERM");
  // A stop signal ends the process within kShutdownGrace whatever holds the
  // server (a client that never finishes its request, a thread that does not
  // return): a second signal, or the grace running out, exits at once.
  enum class Phase : int { kServer, kFunctions, kDone };
  std::atomic<Phase> phase{Phase::kServer};
  std::thread watchdog([&] {
    const timespec grace{kShutdownGrace.count(), 0};
    siginfo_t info{};
    const bool second_signal = sigtimedwait(&stop_signals, &info, &grace) > 0;
    if (phase.load() == Phase::kDone) return;
    std::cerr << "loveless serve: "
              << (second_signal ? "second stop signal"
                                : "shutdown still running after " +
                                      std::to_string(kShutdownGrace.count()) + " s")
              << "; exiting now" << std::endl;
    // The environments go first: no worker process may outlive the command.
    if (phase.load() == Phase::kServer) local_functions.shutdown();
    std::_Exit(exit_codes::kSuccess);
  });
  // The engine first (it releases the environments' Runtime API calls), then
  // the environments: none outlives the command.
  server.stop();
  phase = Phase::kFunctions;
  local_functions.shutdown();
  phase = Phase::kDone;
  // Wakes the watchdog, which sees kDone and returns.
  pthread_kill(watchdog.native_handle(), SIGTERM);
  watchdog.join();
  return exit_codes::kSuccess;
}

}  // namespace loveless::cli
