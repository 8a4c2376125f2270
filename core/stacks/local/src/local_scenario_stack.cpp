#include "loveless/stacks/local_scenario_stack.hpp"

#include <optional>
#include <stdexcept>

#include "loveless/stacks/local_stack.hpp"
#include "loveless/stacks/process_fleet.hpp"
#include "loveless/stacks/runs_root.hpp"

namespace loveless::scenario {
namespace {

/// `ScenarioStack` over `stacks::LocalStack`.
class LocalScenarioStack final : public ScenarioStack {
 public:
  LocalScenarioStack(stacks::FleetPlatform platform, stacks::LocalStackOptions options)
      : platform_(platform), options_(std::move(options)) {
    stack_.emplace(options_);
    // Fixed now, so a stack made again by `prepare` keeps the run's name.
    options_.run_id = stack_->run_id();
    options_.runs_root = stack_->run_dir().parent_path();
  }
  ~LocalScenarioStack() override { LocalScenarioStack::down(); }
  LocalScenarioStack(const LocalScenarioStack&) = delete;
  LocalScenarioStack& operator=(const LocalScenarioStack&) = delete;

  [[nodiscard]] std::string_view name() const override { return stacks::to_string(platform_); }

  void prepare(const std::set<stacks::Primitive>& primitives) override {
    if (started_) throw std::logic_error("ScenarioStack::prepare after up");
    options_.latency_proxies = primitives.contains(stacks::Primitive::kLatency);
    stack_.emplace(options_);
  }

  void up() override {
    started_ = true;
    try {
      stack_->up();
    } catch (const std::exception& e) {
      stack_->down();
      // Nothing ran: leave no empty run directory behind (a non-empty one stays).
      stacks::remove_if_unused(stack_->run_dir());
      throw StackUnavailable(std::string("the local ") + std::string(name()) +
                             " stack cannot start: " + e.what());
    }
  }

  /// A pool whose workers keep dying at start ends the run at once, with why.
  [[nodiscard]] std::optional<std::string> stop_reason() const override {
    return stack_->failure();
  }

  [[nodiscard]] std::vector<std::string> startup_notes() const override {
    return stack_->startup_notes();
  }

  /// Without a private /tmp per worker the process fleet falls back to the
  /// host's /tmp: said once, before any worker starts.
  [[nodiscard]] std::vector<std::string> pool_warnings() const override {
    if (platform_ != stacks::FleetPlatform::kProcess || stacks::private_tmp_support().available) {
      return {};
    }
    return {stacks::private_tmp_support().problem};
  }

  void stop_observing() noexcept override {
    for (auto subscription : subscriptions_) {
      try {
        stack_->service().unobserve(subscription);
      } catch (...) {  // NOLINT(bugprone-empty-catch): the engine is going away anyway
      }
    }
    subscriptions_.clear();
  }

  void down() noexcept override {
    stop_observing();
    try {
      stack_->down();
    } catch (...) {  // NOLINT(bugprone-empty-catch): down() must not throw
    }
  }

  [[nodiscard]] std::string run_id() const override { return stack_->run_id(); }
  [[nodiscard]] std::filesystem::path run_dir() const override { return stack_->run_dir(); }

  [[nodiscard]] std::set<stacks::Primitive> capabilities(stacks::PoolKind /*kind*/) const override {
    // Processes and containers, activity workers and function environments
    // alike, support every primitive; latency through the per-worker proxies
    // that `prepare` sets up when a fault needs them.
    using stacks::Primitive;
    return {Primitive::kKill,   Primitive::kStop,        Primitive::kRestart, Primitive::kPause,
            Primitive::kResume, Primitive::kWipeScratch, Primitive::kLatency};
  }
  [[nodiscard]] bool audits_scratch() const override { return true; }
  bool set_single_use_workers(bool on) override {
    stack_->service().set_single_use_workers(on);
    return true;
  }
  void retire_worker(const std::string& worker) override {
    stack_->service().retire_worker(worker);
  }
  [[nodiscard]] bool runs_images() const override {
    return platform_ == stacks::FleetPlatform::kDocker;
  }

  std::string create_activity(const std::string& name) override {
    return stack_->create_activity(name);
  }
  std::shared_ptr<stacks::Pool> add_activity_pool(stacks::PoolSpec spec) override {
    return stack_->add_activity_pool(std::move(spec));
  }
  std::shared_ptr<stacks::Pool> add_function(const std::string& name, stacks::PoolSpec spec,
                                             std::chrono::milliseconds timeout,
                                             int concurrency) override {
    return stack_->add_function(name, std::move(spec), timeout, concurrency);
  }
  [[nodiscard]] std::string function_arn(const std::string& name) const override {
    return stack_->function_arn(name);
  }
  std::string deploy(const std::string& workflow, const std::string& definition) override {
    return stack_->deploy("loveless-" + workflow, definition);
  }
  [[nodiscard]] aws::JsonClient client() const override { return stack_->client(); }
  bool observe(notices::ExecutionObserver observer) override {
    subscriptions_.push_back(stack_->service().observe(std::move(observer)));
    return true;
  }

 private:
  stacks::FleetPlatform platform_;
  stacks::LocalStackOptions options_;
  /// Made again by `prepare`, which may change the options before `up`.
  std::optional<stacks::LocalStack> stack_;
  bool started_ = false;
  std::vector<std::uint64_t> subscriptions_;
};

}  // namespace

std::unique_ptr<ScenarioStack> make_local_scenario_stack(std::string_view platform,
                                                         std::string run_id,
                                                         std::filesystem::path runs_root,
                                                         std::uint64_t seed,
                                                         std::optional<std::size_t> kept_runs) {
  const auto parsed = stacks::parse_fleet_platform(platform);
  if (!parsed) {
    throw std::invalid_argument("unknown local stack '" + std::string(platform) +
                                "': use process or docker");
  }
  stacks::LocalStackOptions options;
  options.run_id = std::move(run_id);
  options.runs_root = std::move(runs_root);
  options.kept_runs = kept_runs;
  options.platform = *parsed;
  options.service.seed = seed;
  // Activity workers long-poll; a short poll lets a stopped stack drain fast.
  options.service.activity_poll_timeout = std::chrono::seconds(20);
  return std::make_unique<LocalScenarioStack>(*parsed, std::move(options));
}

}  // namespace loveless::scenario
