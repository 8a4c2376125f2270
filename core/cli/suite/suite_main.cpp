// The main of a scenario suite (loveless_add_scenarios): lists, selects and
// runs the scenarios linked into the executable, prints their verdicts, and
// exits 0 (every selected scenario passed), 1 (one failed), 2 (invalid usage
// or scenario), 3 (the stack could not be brought up) or 130 (interrupted).
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "loveless/scenario/registry.hpp"
#include "loveless/scenario/runner.hpp"
#include "loveless/stacks/runs_root.hpp"
#include "loveless/stacks/stack_factory.hpp"

#include "arguments.hpp"
#include "command_line.hpp"
#include "duration_text.hpp"
#include "exit_codes.hpp"
#include "logging_options.hpp"
#include "metrics_options.hpp"
#include "scenario_filter.hpp"
#include "suite_reporters.hpp"
#include <unistd.h>

namespace {

using namespace loveless;

constexpr int kInterrupted = 130;

constexpr const char* kDescription =
    "Runs the Loveless scenarios in this suite: a control phase, then a chaos phase with the "
    "scenario's faults, then its checks (docs/scenarios.md).";

constexpr const char* kFooter = R"(Run directories live in LOVELESS_RUNS_DIR, else
$TMPDIR/loveless-runs-<uid> (mode 0700); each keeps the run's log (loveless.log).
Exit codes: 0 passed, 1 a check failed (or a report could not be written),
2 invalid usage or scenario, 3 the stack could not be brought up,
130 interrupted.)";

std::atomic<bool> interrupted{false};

/// Where --quiet sends progress: nowhere.
std::ostream& silent() {
  static std::ostream nowhere(nullptr);
  return nowhere;
}

extern "C" void on_signal(int /*signal*/) {
  if (interrupted.exchange(true)) {
    // A second Ctrl-C: stop at once (the fleets' death signal takes the workers).
    std::signal(SIGINT, SIG_DFL);
    std::raise(SIGINT);
  }
}

struct SuiteOptions {
  bool list = false;
  bool list_names = false;
  std::string filter;
  std::string stack = "process";
  bool dry_run = false;
  std::string aws_region;
  std::string aws_profile;
  std::optional<std::uint64_t> seed;
  std::filesystem::path report_dir;
  std::vector<reports::ReporterSpec> reporters;
  std::optional<int> executions;
  std::optional<std::chrono::milliseconds> duration;
  cli::MetricsOptions metrics;
  std::optional<std::size_t> kept_runs;
  /// -v also prints every fault and all evidence; -q also hides progress.
  cli::LoggingOptions logging;
};

reports::ReporterSpec reporter_spec(const std::string& text) {
  try {
    return reports::parse_reporter_spec(text);
  } catch (const reports::ReporterSpecError& e) {
    throw cli::UsageError(e.what());
  }
}

std::uint64_t parse_seed(const std::string& v) {
  try {
    // Digits only: std::stoull takes "-3" as 2^64 - 3.
    if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos)
      throw std::invalid_argument(v);
    std::size_t used = 0;
    const auto seed = std::stoull(v, &used);
    if (used != v.size()) throw std::invalid_argument(v);
    return seed;
  } catch (const std::exception&) {
    throw cli::UsageError("--seed takes a non-negative integer, not " + v);
  }
}

int parse_executions(const std::string& v) {
  try {
    std::size_t used = 0;
    const int n = std::stoi(v, &used);
    if (used != v.size() || n < 1) throw std::invalid_argument(v);
    return n;
  } catch (const std::exception&) {
    throw cli::UsageError("--executions takes a positive integer, not " + v);
  }
}

void add_options(CLI::App& app, SuiteOptions& options) {
  using cli::add_repeated_option;
  using cli::add_value_option;
  app.add_flag("--list", options.list, "List the scenarios (name and tags) and exit");
  app.add_flag("--list-names", options.list_names,
               "One scenario name per line (for CTest discovery) and exit");
  add_value_option(
      app, "--scenario", [&](const std::string& v) { options.filter = v; },
      "A name (* as wildcard at either end) or a tag expression: [demo][kill], ~[slow], [a],[b]",
      "FILTER");
  add_value_option(
      app, "--stack",
      [&](const std::string& v) {
        if (!stacks::is_scenario_stack(v)) {
          throw cli::UsageError("--stack takes " + stacks::scenario_stack_list("or") + ", not " +
                                v);
        }
        options.stack = v;
      },
      "process (default), docker, or aws", "STACK");
  app.add_flag("--dry-run", options.dry_run,
               "aws stack: print every mutating AWS call the run would make, make none (no "
               "credentials needed)");
  add_value_option(
      app, "--aws-region", [&](const std::string& v) { options.aws_region = v; },
      "aws stack: the region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's, the "
      "bindings')",
      "REGION");
  add_value_option(
      app, "--aws-profile", [&](const std::string& v) { options.aws_profile = v; },
      "aws stack: the shared-config profile (AWS_PROFILE)", "NAME");
  add_value_option(
      app, "--seed", [&](const std::string& v) { options.seed = parse_seed(v); },
      "The fault plan's seed (default: random, printed)", "N");
  add_repeated_option(
      app, "-r,--reporter",
      [&](const std::string& v) { options.reporters.push_back(reporter_spec(v)); },
      "A report: console, json::out=FILE, junit::out=FILE or html::out=FILE (out=- or no out: "
      "stdout); repeatable; the console prints to stdout unless a report does",
      "SPEC");
  add_value_option(
      app, "--report-dir", [&](const std::string& v) { options.report_dir = v; },
      "Every file report with its standard name: DIR/<scenario>.json, DIR/report.json, "
      "DIR/junit.xml, DIR/report.html",
      "DIR");
  add_value_option(
      app, "--executions", [&](const std::string& v) { options.executions = parse_executions(v); },
      "Executions per phase, overriding the scenario", "N");
  add_value_option(
      app, "--duration",
      [&](const std::string& v) { options.duration = cli::parse_duration("--duration", v); },
      "Chaos phase length (500ms, 30s, 2m), overriding the scenario", "D");
  add_value_option(
      app, "--keep-runs",
      [&](const std::string& v) {
        try {
          options.kept_runs = stacks::parse_kept_runs("--keep-runs", v);
        } catch (const std::invalid_argument& e) {
          throw cli::UsageError(e.what());
        }
      },
      "Keep the newest N run directories, removing older ones (default: LOVELESS_KEEP_RUNS, "
      "else 20)",
      "N");
  cli::add_metrics_options(app, options.metrics);
  cli::add_logging_options(app, options.logging,
                           "Print every fault and all evidence, and log at info on stderr",
                           "Print no progress lines, and log errors only");
}

std::string tags_text(const std::vector<std::string>& tags) {
  std::string text;
  for (const auto& tag : tags) text += "[" + tag + "]";
  return text;
}

std::string executable_name(const char* argv0) {
  return std::filesystem::path(argv0).filename().string();
}

std::filesystem::path executable_dir(const char* argv0) {
  std::error_code error;
  auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) self = std::filesystem::absolute(argv0);
  return self.parent_path();
}

void print_invalid(const scenario::ScenarioSpec& spec, const std::vector<std::string>& problems) {
  std::cerr << "error: scenario \"" << spec.name << "\" (" << spec.source_file.string() << ":"
            << spec.source_line << ") is invalid:\n";
  for (const auto& problem : problems) std::cerr << "  - " << problem << "\n";
}

/// Prints the registry's errors (a scenario declared twice, ...); true when
/// there are any.
bool registry_has_errors() {
  const auto& errors = scenario::registry().errors;
  for (const auto& error : errors) std::cerr << "error: " << error << "\n";
  return !errors.empty();
}

/// The registered scenarios `filter` selects, in registration order.
std::vector<scenario::ScenarioSpec> select_scenarios(const std::string& filter_text) {
  const cli::ScenarioFilter filter(filter_text);
  std::vector<scenario::ScenarioSpec> selected;
  for (const auto& entry : scenario::registry().scenarios) {
    auto spec = scenario::declare(entry);
    if (filter.matches(spec.name, spec.tags)) selected.push_back(std::move(spec));
  }
  return selected;
}

/// `--list` (name and tags) and `--list-names` (names only).
int list_scenarios(const std::vector<scenario::ScenarioSpec>& selected, bool names_only) {
  for (const auto& spec : selected) {
    if (names_only) {
      std::cout << spec.name << "\n";
    } else {
      std::cout << spec.name << "  " << tags_text(spec.tags) << "\n";
    }
  }
  return cli::exit_codes::kSuccess;
}

/// Where progress lines go. A report on stdout keeps stdout to itself:
/// progress goes to stderr; --quiet drops it.
std::ostream& progress_stream(const SuiteOptions& options) {
  if (options.logging.quiet) return silent();
  return cli::stdout_holds_a_report(options.reporters) ? std::cerr : std::cout;
}

scenario::RunOptions run_options(const SuiteOptions& options, std::uint64_t seed, const char* argv0,
                                 std::ostream& progress) {
  scenario::RunOptions run;
  run.seed = seed;
  run.executions = options.executions;
  run.duration = options.duration;
  run.binary_dir = executable_dir(argv0);
  run.interrupted = &interrupted;
  run.console = &progress;
  run.verbose = options.logging.verbose;
  return run;
}

/// What every stack is made with, but the runs directory (`runs_root`, set
/// once the scenarios are known to be valid).
stacks::ScenarioStackOptions stack_options(const SuiteOptions& options, std::uint64_t seed,
                                           std::ostream& progress) {
  stacks::ScenarioStackOptions stack;
  stack.seed = seed;
  stack.aws.region = options.aws_region;
  stack.aws.profile = options.aws_profile;
  stack.aws.log = &progress;
  return stack;
}

/// `--dry-run`: the plan of each selected scenario on the stack; exit 2
/// when one cannot run there (each problem printed), 0 otherwise.
int dry_run(const std::string& stack_name, const std::vector<scenario::ScenarioSpec>& selected,
            const scenario::RunOptions& run, stacks::ScenarioStackOptions stack) {
  stack.run_id = "dry-run";
  bool any_invalid = false;
  for (const auto& spec : selected) {
    const auto problems = stacks::print_dry_run(stack_name, spec, run, stack, std::cout);
    if (problems.empty()) {
      std::cout << "\n";
    } else {
      any_invalid = true;
      print_invalid(spec, problems);
    }
  }
  return any_invalid ? cli::exit_codes::kUsage : cli::exit_codes::kSuccess;
}

/// Run directories kept: --keep-runs, else LOVELESS_KEEP_RUNS (else 20);
/// nullopt when LOVELESS_KEEP_RUNS is malformed (printed).
std::optional<std::size_t> kept_runs(const SuiteOptions& options) {
  try {
    return options.kept_runs ? *options.kept_runs : stacks::kept_runs_from_environment();
  } catch (const std::invalid_argument& e) {
    std::cerr << "error: " << e.what() << "\n";
    return std::nullopt;
  }
}

/// Every selected scenario is validated before any runs, so a mistake in the
/// last one does not wait for (or follow) the others' runs. Prints each
/// invalid scenario's problems; true when all are valid.
bool all_valid(const SuiteOptions& options, const std::vector<scenario::ScenarioSpec>& selected,
               const stacks::ScenarioStackOptions& stack, const scenario::RunOptions& run) {
  bool any_invalid = false;
  for (const auto& spec : selected) {
    const auto made = stacks::make_scenario_stack(options.stack, spec, stack);
    const auto problems = scenario::validate(spec, *made, run);
    if (problems.empty()) continue;
    any_invalid = true;
    print_invalid(spec, problems);
  }
  return !any_invalid;
}

/// One run of the selected, valid scenarios: reporters, metrics and the
/// suite's totals, one scenario after another.
///
/// Thread-safety: the suite's thread only.
class SuiteRun {
 public:
  SuiteRun(const SuiteOptions& options, const std::vector<scenario::ScenarioSpec>& selected,
           stacks::ScenarioStackOptions stack, scenario::RunOptions run, const char* argv0,
           std::ostream& progress)
      : options_(options),
        selected_(selected),
        stack_(std::move(stack)),
        run_(std::move(run)),
        suite_name_(executable_name(argv0)),
        progress_(progress),
        metrics_(options.metrics, suite_name_, options.stack) {}

  /// The reporters (which make --report-dir), the metrics exporters and the
  /// runs directory: the last checks of the user's input. An exit code
  /// when one fails (printed), else nullopt.
  std::optional<int> set_up() {
    // The reporters first: they make the report directory, whose name a
    // metrics file may share (`--report-dir DIR --metrics-file DIR/suite.prom`).
    try {
      reporters_ = cli::make_suite_reporters(options_.reporters, options_.report_dir,
                                             {&std::cout, &progress_, options_.logging.verbose});
    } catch (const reports::ReporterSpecError& e) {
      std::cerr << "error: " << e.what() << "\n";
      return cli::exit_codes::kUsage;
    }
    if (const auto error = metrics_.start(progress_); !error.empty()) {
      std::cerr << "error: " << error << "\n";
      return cli::exit_codes::kUsage;
    }
    // Last of the checks of the user's input, so that no other mistake leaves
    // a runs directory behind.
    try {
      stacks::secure_runs_root(stack_.runs_root);
    } catch (const stacks::UnsafeRunsRoot& e) {
      std::cerr << "error: " << e.what() << "\nnothing was run\n";
      return cli::exit_codes::kUsage;
    }
    progress_ << "run directories in " << stack_.runs_root.string() << " (the newest "
              << stack_.kept_runs.value_or(0) << " kept: --keep-runs)\n";
    return std::nullopt;
  }

  /// Runs every scenario (until one cannot run or the suite is
  /// interrupted), reporting as it goes; returns the suite's exit code.
  int run() {
    suite_ = {suite_name_, options_.stack, run_.seed, {}, std::chrono::system_clock::now()};
    for (const auto& spec : selected_) suite_.scenarios.push_back(cli::scenario_info(spec));
    totals_.selected = selected_.size();
    report([&] { reporters_.suite_started(suite_); });
    for (std::size_t index = 0; index < selected_.size() && !stopped_with_; ++index) {
      if (interrupted.load()) break;
      run_one(index);
    }
    totals_.interrupted = interrupted.load();
    totals_.ended = std::chrono::system_clock::now();
    report([&] { reporters_.suite_ended(totals_); });
    if (stopped_with_) return *stopped_with_;
    if (totals_.interrupted) return kInterrupted;
    if (!reports_written_ && exit_code_ == cli::exit_codes::kSuccess) {
      return cli::exit_codes::kFailure;
    }
    return exit_code_;
  }

 private:
  /// A report that cannot be written fails the gate, but never stops the
  /// other reports or the remaining scenarios.
  template <typename Hook>
  void report(const Hook& hook) {
    try {
      hook();
    } catch (const reports::ReportWriteError& e) {
      std::cerr << "error: " << e.what() << "\n";
      reports_written_ = false;
    }
  }

  void run_one(std::size_t index) {
    const auto& spec = selected_[index];
    const auto& info = suite_.scenarios[index];
    try {
      report([&] { reporters_.scenario_started(info); });
      auto stack = stacks::make_scenario_stack(options_.stack, spec, stack_);
      // The run's log lines, whatever the console shows, stay with its files.
      const cli::RunLogFile run_log(stack->run_dir() / "loveless.log");
      run_.observer = metrics_.begin(spec.name);
      auto result = scenario::run_scenario(spec, *stack, run_);
      metrics_.end(result, std::cerr);
      ++totals_.run;
      (result.passed ? totals_.passed : totals_.failed)++;
      if (!result.passed) exit_code_ = cli::exit_codes::kFailure;
      const reports::ScenarioResult ended{std::move(result.history), std::move(result.verdicts),
                                          result.passed};
      report([&] { reporters_.scenario_ended(info, ended); });
    } catch (const scenario::InvalidScenario& e) {
      // Validated before the run; only a file changed since then gets here.
      print_invalid(spec, e.problems());
      stopped_with_ = cli::exit_codes::kUsage;
    } catch (const scenario::StackUnavailable& e) {
      stack_unavailable(e);
    }
  }

  void stack_unavailable(const scenario::StackUnavailable& e) {
    const char* required = std::getenv("LOVELESS_REQUIRE_DOCKER");
    if (options_.stack == "docker" && (required == nullptr || std::string(required) != "1")) {
      // CTest reports this as skipped (SKIP_REGULAR_EXPRESSION); CI sets
      // LOVELESS_REQUIRE_DOCKER=1 to make it a failure.
      std::cout << "LOVELESS-SKIP: " << e.what() << "\n";
    }
    std::cerr << "error: " << e.what() << "\n";
    stopped_with_ = cli::exit_codes::kStackUnavailable;
  }

  const SuiteOptions& options_;
  const std::vector<scenario::ScenarioSpec>& selected_;
  stacks::ScenarioStackOptions stack_;
  scenario::RunOptions run_;
  std::string suite_name_;
  std::ostream& progress_;
  reports::ReporterSet reporters_;
  cli::MetricsSession metrics_;
  reports::SuiteInfo suite_;
  reports::SuiteTotals totals_;
  bool reports_written_ = true;
  int exit_code_ = cli::exit_codes::kSuccess;
  // Set when a scenario cannot run (exit 2 or 3): the rest are not run, but
  // the suite's reports are still written for the scenarios that did.
  std::optional<int> stopped_with_;
};

/// The selected scenarios, run: validated first, then each on a stack of its
/// own (`stacks::make_scenario_stack`), in one runs directory.
int run_selected(const SuiteOptions& options, const std::vector<scenario::ScenarioSpec>& selected,
                 const char* argv0) {
  std::ostream& progress = progress_stream(options);
  const auto seed = options.seed.value_or(std::random_device{}());
  const auto run = run_options(options, seed, argv0, progress);
  auto stack = stack_options(options, seed, progress);
  if (options.dry_run) return dry_run(options.stack, selected, run, std::move(stack));
  // Every run directory goes to one runs directory (docs/scenarios.md, "Run
  // directories"), secured once the scenarios are known to be valid.
  stack.runs_root = stacks::default_runs_root();
  stack.kept_runs = kept_runs(options);
  if (!stack.kept_runs) return cli::exit_codes::kUsage;
  progress << "seed " << seed << " (--seed " << seed << " reproduces the fault plan)\n";
  if (!all_valid(options, selected, stack, run)) {
    std::cerr << "nothing was run: fix the scenarios above (--list shows every scenario)\n";
    return cli::exit_codes::kUsage;
  }
  SuiteRun suite(options, selected, std::move(stack), run, argv0, progress);
  if (const auto exit_code = suite.set_up()) return *exit_code;
  return suite.run();
}

int run_suite(const SuiteOptions& options, const char* argv0) {
  if (registry_has_errors()) return cli::exit_codes::kUsage;
  const auto selected = select_scenarios(options.filter);
  if (options.list || options.list_names) return list_scenarios(selected, options.list_names);
  if (selected.empty()) {
    std::cerr << "error: no scenario matches \"" << options.filter << "\" (--list shows them)\n";
    return cli::exit_codes::kUsage;
  }
  if (options.dry_run && !stacks::plans_dry_runs(options.stack)) {
    std::cerr << "error: --dry-run plans the AWS calls of --stack aws; the local stacks change "
                 "nothing outside this machine\n";
    return cli::exit_codes::kUsage;
  }
  return run_selected(options, selected, argv0);
}

}  // namespace

int main(int argc, char** argv) {
  const auto name = executable_name(argv[0]);
  CLI::App app{kDescription, name};
  cli::configure_app(app, name + " (loveless " + cli::loveless_version() + ")", kFooter);
  SuiteOptions options;
  add_options(app, options);
  if (const auto exit_code = cli::parse_command_line(app, argc, argv)) return *exit_code;
  cli::configure_logging(options.logging);
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
  try {
    return run_suite(options, argv[0]);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return cli::exit_codes::kStackUnavailable;
  }
}
