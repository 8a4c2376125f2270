#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "loveless/demo/demo_run.hpp"
#include "loveless/demo/workflows.hpp"
#include "loveless/stacks/local_stack.hpp"

#include "arguments.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "logging_options.hpp"

namespace loveless::cli {
namespace {

constexpr auto kDemoDeadline = std::chrono::minutes(10);

int parse_positive(const std::string& option, const std::string& value) {
  std::size_t used = 0;
  int number = 0;
  try {
    number = std::stoi(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != value.size() || value.empty() || number < 1) {
    throw UsageError(option + " must be a positive integer, got '" + value + "'");
  }
  return number;
}

// demo-worker is built next to the loveless binary (build/bin/).
std::filesystem::path default_worker_binary() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return (ec ? std::filesystem::path("demo-worker") : self.parent_path() / "demo-worker");
}

std::string seconds(std::chrono::milliseconds duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(duration.count()) / 1000.0);
  return text;
}

std::string top_words_line(const nlohmann::json& output, std::size_t limit) {
  std::ostringstream line;
  std::size_t shown = 0;
  for (const auto& entry : output.value("top", nlohmann::json::array())) {
    if (shown++ == limit) break;
    line << (shown > 1 ? " " : "") << entry.value("word", "?") << "(" << entry.value("count", 0)
         << ")";
  }
  return line.str();
}

void print_result(const demo::DocumentResult& result) {
  std::printf("  %-12s %-9s %6s", result.document.c_str(), result.status.c_str(),
              seconds(result.duration).c_str());
  if (result.status == "SUCCEEDED") {
    std::printf("  %6lld words  %s\n",
                static_cast<long long>(result.output.value("total_words", 0LL)),
                result.mismatch.empty() ? "matches a local count" : "WRONG OUTPUT");
    std::printf("               top: %s\n", top_words_line(result.output, 10).c_str());
    if (!result.mismatch.empty()) std::printf("               %s\n", result.mismatch.c_str());
  } else {
    std::printf("  %s: %s\n", result.error.c_str(), result.cause.c_str());
  }
}

void print_pools(const demo::DemoDeployment& deployment) {
  for (const auto& pool : deployment.pools()) {
    const auto workers = pool->workers().size();
    const bool activity = pool->spec().kind == stacks::PoolKind::kActivity;
    std::printf("  %-24s %zu %s%s started\n", pool->spec().name.c_str(), workers,
                activity ? "activity worker" : "Lambda environment", workers == 1 ? "" : "s");
  }
}

/// What `loveless demo` was given.
struct DemoCommandOptions {
  std::filesystem::path dir = "/usr/share/common-licenses";
  int documents = 5;
  demo::DemoOptions demo;
  stacks::LocalStackOptions stack;
  LoggingOptions logging;
};

int run_demo(DemoCommandOptions& o) {
  const auto& dir = o.dir;
  const auto documents = o.documents;
  auto& options = o.demo;
  auto& stack_options = o.stack;
  configure_logging(o.logging);

  std::vector<std::filesystem::path> sources;
  try {
    sources = demo::list_documents(dir, documents);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--dir: ") + e.what());
  }

  const auto started = std::chrono::steady_clock::now();
  stacks::LocalStack stack(stack_options);
  std::unique_ptr<demo::DemoDeployment> deployment;
  try {
    stack.up();
    deployment = std::make_unique<demo::DemoDeployment>(stack, options);
  } catch (const std::exception& e) {
    std::cerr << "loveless: the local stack could not be brought up: " << e.what() << "\n";
    return exit_codes::kStackUnavailable;
  }
  std::printf("Loveless demo (variant %s) on %s, %s fleet\n  run directory %s\n",
              std::string(demo::to_string(options.variant)).c_str(), stack.endpoint().c_str(),
              std::string(stacks::to_string(stack_options.platform)).c_str(),
              stack.run_dir().c_str());
  for (const auto& line : stack.startup_notes()) std::printf("  %s\n", line.c_str());
  std::printf("  %d count-words workers, %d lines per chunk, %zu documents from %s\n\n",
              options.activity_workers, options.lines_per_chunk, sources.size(), dir.c_str());

  std::vector<std::string> executions;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const auto document = deployment->upload(sources[i]);
    executions.push_back(deployment->start(document, demo::execution_name(document, i + 1)));
  }
  const auto deadline = std::chrono::steady_clock::now() + kDemoDeadline;
  int succeeded = 0;
  int correct = 0;
  for (std::size_t i = 0; i < executions.size(); ++i) {
    const auto result = deployment->wait(executions[i], sources[i], deadline);
    print_result(result);
    if (result.status == "SUCCEEDED") ++succeeded;
    if (result.correct()) ++correct;
  }
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  std::printf("\n");
  print_pools(*deployment);
  std::printf("\n%d/%zu executions succeeded, %d/%zu outputs match a local count, in %s.\n",
              succeeded, executions.size(), correct, executions.size(), seconds(elapsed).c_str());
  std::fflush(stdout);
  deployment.reset();
  stack.down();
  return correct == static_cast<int>(executions.size()) ? exit_codes::kSuccess
                                                        : exit_codes::kFailure;
}

}  // namespace

CommandBody add_demo_command(CLI::App& app) {
  auto* command =
      app.add_subcommand("demo", "Index text documents with the demo workflow on a local stack");
  auto o = std::make_shared<DemoCommandOptions>();
  o->demo.worker_binary = default_worker_binary();
  add_value_option(
      *command, "--stack",
      [o](const std::string& value) {
        const auto platform = stacks::parse_fleet_platform(value);
        if (!platform) throw UsageError("--stack must be process or docker, got '" + value + "'");
        o->stack.platform = *platform;
      },
      "Workers as processes (default) or containers of the image loveless/demo", "process|docker");
  add_value_option(
      *command, "--dir", [o](const std::string& value) { o->dir = value; },
      "Documents to index (default /usr/share/common-licenses)", "DIR");
  add_value_option(
      *command, "--documents",
      [o](const std::string& value) { o->documents = parse_positive("--documents", value); },
      "Index the first N files (default 5)", "N");
  add_value_option(
      *command, "--variant",
      [o](const std::string& value) {
        const auto variant = demo::parse_variant(value);
        if (!variant) {
          throw UsageError(
              "--variant must be correct, jsonata, tmp-handoff or global-state, got '" + value +
              "'");
        }
        o->demo.variant = *variant;
      },
      "correct, jsonata (the same workflow in JSONata with variables), tmp-handoff or "
      "global-state (default correct)",
      "V");
  add_value_option(
      *command, "--activity-workers",
      [o](const std::string& value) {
        o->demo.activity_workers = parse_positive("--activity-workers", value);
      },
      "count-words workers (default 3)", "N");
  add_value_option(
      *command, "--lines-per-chunk",
      [o](const std::string& value) {
        o->demo.lines_per_chunk = parse_positive("--lines-per-chunk", value);
      },
      "Lines per chunk (default 40)", "N");
  add_value_option(
      *command, "--worker-binary", [o](const std::string& value) { o->demo.worker_binary = value; },
      "The demo-worker of --stack process (default: next to loveless)", "PATH");
  add_value_option(
      *command, "--image",
      [o](const std::string& value) {
        if (value.empty()) throw UsageError("--image must name an image");
        o->demo.image = value;
      },
      "The image of --stack docker (default loveless/demo)", "IMAGE");
  add_logging_options(*command, o->logging, "Log what the stack does");
  return [o] { return run_demo(*o); };
}

}  // namespace loveless::cli
