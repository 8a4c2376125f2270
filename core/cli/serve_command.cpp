#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <stdexcept>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "loveless/engine/http_server.hpp"
#include "loveless/engine/service.hpp"

#include "arguments.hpp"
#include "bind_warning.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "local_functions.hpp"
#include "logging_options.hpp"
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

/// What `loveless serve` was given.
struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8083;
  engine::ServiceOptions service;
  std::vector<FunctionOption> functions;
  // Lambda's defaults: a 3 s timeout; concurrency as the engine's default.
  std::chrono::milliseconds function_timeout{3'000};
  int function_concurrency = 10;
  LoggingOptions logging;
};

int serve(ServeOptions& o) {
  auto& options = o.service;
  auto& host = o.host;
  auto& port = o.port;
  configure_logging(o.logging);

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
    for (const auto& function : o.functions) {
      local_functions.add(function, o.function_timeout, o.function_concurrency);
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

}  // namespace

CommandBody add_serve_command(CLI::App& app) {
  auto* command = app.add_subcommand(
      "serve", "Run the local AWS Step Functions engine (awsJson1_0 API) until SIGINT or SIGTERM");
  auto o = std::make_shared<ServeOptions>();
  add_value_option(
      *command, "--host", [o](const std::string& v) { o->host = v; },
      "Address to bind (default 127.0.0.1)", "HOST");
  add_value_option(
      *command, "--port", [o](const std::string& v) { o->port = parse_port("--port", v); },
      "Port to listen on, 0 for any (default 8083)", "PORT");
  add_value_option(
      *command, "--account-id",
      [o](const std::string& v) {
        if (v.size() != 12 || v.find_first_not_of("0123456789") != std::string::npos) {
          throw UsageError("--account-id must be 12 digits, got '" + v + "'");
        }
        o->service.account_id = v;
      },
      "Account id in minted ARNs (default 123456789012)", "ID");
  add_value_option(
      *command, "--region",
      [o](const std::string& v) {
        if (v.empty() || v.find(':') != std::string::npos) {
          throw UsageError("--region must be a region name, got '" + v + "'");
        }
        o->service.region = v;
      },
      "Region in minted ARNs (default us-east-1)", "REGION");
  add_repeated_option(
      *command, "--function",
      [o](const std::string& v) { o->functions.push_back(parse_function_option(v)); },
      "Host a Lambda function: each execution environment runs COMMAND (split on spaces); "
      "repeatable",
      "NAME=COMMAND");
  add_value_option(
      *command, "--function-timeout",
      [o](const std::string& v) {
        o->function_timeout =
            std::chrono::milliseconds(parse_positive("--function-timeout", v, 900) * 1000);
      },
      "Function timeout in seconds (default 3)", "S");
  add_value_option(
      *command, "--function-concurrency",
      [o](const std::string& v) {
        o->function_concurrency =
            static_cast<int>(parse_positive("--function-concurrency", v, 1000));
      },
      "Environments per function (default 10)", "N");
  // The server's own lines are what it is run for: info by default.
  o->logging.default_level = spdlog::level::info;
  o->logging.verbose_level = spdlog::level::debug;
  add_logging_options(*command, o->logging, "Log every request");
  return [o] { return serve(*o); };
}

}  // namespace loveless::cli
