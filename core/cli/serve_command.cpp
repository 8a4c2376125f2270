#include <csignal>
#include <iostream>
#include <stdexcept>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "loveless/engine/http_server.hpp"
#include "loveless/engine/service.hpp"

#include "arguments.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include <pthread.h>

namespace loveless::cli {

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
    server.start(host, port);
  } catch (const std::runtime_error& e) {
    std::cerr << "loveless serve: " << e.what() << "\n";
    return exit_codes::kStackUnavailable;
  }
  std::cout << "Loveless Step Functions engine listening on " << server.url() << std::endl;
  spdlog::info("account {}, region {}", options.account_id, options.region);

  int received = 0;
  sigwait(&stop_signals, &received);
  spdlog::info("received {}, shutting down", received == SIGINT ? "SIGINT" : "SIGTERM");
  server.stop();
  return exit_codes::kSuccess;
}

}  // namespace loveless::cli
