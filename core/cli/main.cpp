#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "arguments.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"

namespace {

constexpr const char* kVersion = "0.1.0";

constexpr const char* kUsage = R"(usage: loveless <command> [options]

Commands:
  serve     Run the local AWS Step Functions engine (awsJson1_0 API)
              --host HOST        address to bind (default 127.0.0.1)
              --port PORT        port to listen on, 0 for any (default 8083)
              --account-id ID    account id in minted ARNs (default 123456789012)
              --region REGION    region in minted ARNs (default us-east-1)
              --function NAME=COMMAND
                                 host a Lambda function: each execution environment
                                 runs COMMAND (split on spaces); repeatable
              --function-timeout S       function timeout in seconds (default 3)
              --function-concurrency N   environments per function (default 10)
              -v, --verbose      log every request
  sample    Run the sample workflow with two activity workers and print its histories
              -v, --verbose      log every request
  demo      Index text documents with the demo workflow on a local stack
              --stack process|docker workers as processes (default) or containers
                                     of the image loveless/demo
              --dir DIR              documents to index (default /usr/share/common-licenses)
              --documents N          index the first N files (default 5)
              --variant V            correct, tmp-handoff or global-state (default correct)
              --activity-workers N   count-words workers (default 3)
              --lines-per-chunk N    lines per chunk (default 40)
              --worker-binary PATH   the demo-worker of --stack process (default: next to loveless)
              --image IMAGE          the image of --stack docker (default loveless/demo)
              -v, --verbose          log every request
  report    Render the reports of a JSON report again (docs/report-schema.md)
              loveless report RUN.json [-r SPEC]... [-v]
              -r, --reporter SPEC    console, json::out=FILE, junit::out=FILE or
                                     html::out=FILE (out=- or no out: stdout);
                                     repeatable;
                                     default console
              -v, --verbose          all evidence on the console

Options:
  --help       show this help
  --version    show the version
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace loveless::cli;
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << kUsage;
    return exit_codes::kUsage;
  }
  const auto& command = args.front();
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  try {
    if (command == "--help" || command == "-h" || command == "help") {
      std::cout << kUsage;
      return exit_codes::kSuccess;
    }
    if (command == "--version") {
      std::cout << "loveless " << kVersion << "\n";
      return exit_codes::kSuccess;
    }
    if (command == "serve") return run_serve(rest);
    if (command == "sample") return run_sample(rest);
    if (command == "demo") return run_demo(rest);
    if (command == "report") return run_report(rest);
    throw UsageError("unknown command '" + command + "'");
  } catch (const UsageError& e) {
    std::cerr << "loveless: " << e.what() << "\n\n" << kUsage;
    return exit_codes::kUsage;
  } catch (const std::exception& e) {
    std::cerr << "loveless: " << e.what() << "\n";
    return exit_codes::kFailure;
  }
}
