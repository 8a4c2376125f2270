// The `loveless` command: its subcommands, parsed with CLI11 (`loveless
// <command> --help` shows each one's options).
#include <exception>
#include <iostream>
#include <map>
#include <string>

#include "arguments.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"

namespace {

constexpr const char* kFooter = R"(Run 'loveless <command> --help' for a command's options.
Exit codes: 0 success, 1 a check or execution failed, 2 invalid usage,
3 the stack could not be brought up (docs/ci.md).)";

}  // namespace

int main(int argc, char** argv) {
  using namespace loveless::cli;
  CLI::App app{"Loveless: chaos and disposability testing for AWS Step Functions workflows.",
               "loveless"};
  configure_app(app, "loveless " + loveless_version(), kFooter);
  app.require_subcommand(1);
  // Each body under the subcommand its add_*_command just added.
  std::map<const CLI::App*, CommandBody> commands;
  for (const auto add :
       {add_serve_command, add_sample_command, add_demo_command, add_report_command}) {
    auto body = add(app);
    commands.emplace(app.get_subcommands([](CLI::App*) { return true; }).back(), std::move(body));
  }
  if (const auto exit_code = parse_command_line(app, argc, argv)) return *exit_code;
  const auto* command = app.get_subcommands().front();
  const auto selected = command->get_name();
  try {
    return commands.at(command)();
  } catch (const UsageError& e) {
    std::cerr << "loveless " << selected << ": error: " << e.what() << "\nRun 'loveless "
              << selected << " --help' for the options.\n";
    return exit_codes::kUsage;
  } catch (const std::exception& e) {
    std::cerr << "loveless " << selected << ": " << e.what() << "\n";
    return exit_codes::kFailure;
  }
}
