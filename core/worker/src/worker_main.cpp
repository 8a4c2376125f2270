#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>

#include "loveless/worker/worker.hpp"

#include "environment.hpp"

namespace loveless::worker {
namespace {

// Usage errors, as for every Loveless binary (docs: exit codes).
constexpr int kExitUsage = 2;

void print_usage(std::ostream& out, const char* program,
                 const std::map<std::string, Handler>& handlers) {
  out << "usage: " << program << " <handler>\n"
      << "  runs the handler as a Lambda function when AWS_LAMBDA_RUNTIME_API is set,\n"
      << "  else as an Activity worker (AWS_ENDPOINT_URL_SFN, LOVELESS_ACTIVITY_ARN,\n"
      << "  optional LOVELESS_WORKER_NAME, LOVELESS_HEARTBEAT_INTERVAL_MS,\n"
      << "  LOVELESS_MAX_TASKS, LOVELESS_STOP_GRACE_MS)\n"
      << "  " << program << " --help | --version\n"
      << "handlers:";
  if (handlers.empty()) out << " (none)";
  for (const auto& [name, handler] : handlers) out << ' ' << name;
  out << '\n';
}

}  // namespace

int run_worker_main(const std::map<std::string, Handler>& handlers, int argc, char** argv) {
  const char* program = argc > 0 && argv[0] != nullptr ? argv[0] : "worker";
  const bool lambda = environment_value("AWS_LAMBDA_RUNTIME_API").has_value();
  std::string name;
  if (argc == 2) {
    name = argv[1];
  } else if (argc == 1 && lambda) {
    // Lambda puts a container image's CMD (or the function's handler
    // setting) in _HANDLER.
    name = environment_value("_HANDLER").value_or("");
  }
  if (name == "--help" || name == "-h") {
    print_usage(std::cout, program, handlers);
    return 0;
  }
  if (name == "--version") {
    std::cout << std::filesystem::path(program).filename().string() << " (loveless "
              << LOVELESS_VERSION << ")\n";
    return 0;
  }
  if (name.empty() || argc > 2) {
    std::cerr << program << ": expected exactly one handler name\n";
    print_usage(std::cerr, program, handlers);
    return kExitUsage;
  }
  const auto handler = handlers.find(name);
  try {
    if (lambda) {
      const auto options = LambdaRuntimeOptions::from_environment();
      if (handler == handlers.end()) {
        std::cerr << program << ": unknown handler '" << name << "'\n";
        print_usage(std::cerr, program, handlers);
        report_lambda_init_error(options, "Worker.UnknownHandler",
                                 "unknown handler '" + name + "'");
        return kExitUsage;
      }
      return run_lambda_runtime(handler->second, options);
    }
    if (handler == handlers.end()) {
      std::cerr << program << ": unknown handler '" << name << "'\n";
      print_usage(std::cerr, program, handlers);
      return kExitUsage;
    }
    return run_activity_worker(handler->second, ActivityWorkerOptions::from_environment());
  } catch (const std::invalid_argument& e) {
    std::cerr << program << ": " << e.what() << '\n';
    print_usage(std::cerr, program, handlers);
    return kExitUsage;
  }
}

}  // namespace loveless::worker
