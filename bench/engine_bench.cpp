// Engine benchmarks. Prints figures; asserts nothing about speed (machines
// are noisy, see bench/run for the side-by-side comparison with a peer engine).
//
//   loveless-bench pass-chain [--states N] [--runs N] [--write-definition FILE] [--observe]
//     (--observe adds mode http_api_observed: the same runs with an execution
//     observer attached that queues every notice, as the scenario runner does)
//   loveless-bench activity   [--round-trips N] [--tasks N] [--pollers N]
//
// Output: one JSON object per line, so scripts can compute ratios.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/asl/definition.hpp"
#include "loveless/asl/execution.hpp"
#include "loveless/aws/json_client.hpp"
#include "loveless/engine/http_server.hpp"
#include "loveless/engine/service.hpp"

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double epoch_seconds_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A chain of Pass states, each adding one to `n` through an intrinsic.
json pass_chain_definition(int states) {
  json all = json::object();
  for (int i = 0; i < states; ++i) {
    json state = {{"Type", "Pass"}, {"Parameters", {{"n.$", "States.MathAdd($.n, 1)"}}}};
    if (i + 1 < states) {
      state["Next"] = "S" + std::to_string(i + 1);
    } else {
      state["End"] = true;
    }
    all["S" + std::to_string(i)] = std::move(state);
  }
  return {{"StartAt", "S0"}, {"States", std::move(all)}};
}

loveless::asl::ExecutionInfo bench_execution_info() {
  loveless::asl::ExecutionInfo info;
  info.execution_arn = "arn:aws:states:us-east-1:123456789012:execution:pass-chain:bench";
  info.execution_name = "bench";
  info.state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:pass-chain";
  info.state_machine_name = "pass-chain";
  return info;
}

// The cheapest possible host: a Pass chain never waits, so nothing is scheduled.
class InlineHost final : public loveless::asl::ExecutionHost {
 public:
  loveless::asl::TimePoint now() override {
    return std::chrono::time_point_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now());
  }
  loveless::asl::RandomSource& random() override { return random_; }
  void schedule_task(const loveless::asl::TaskRequest& /*request*/) override {
    throw std::logic_error("a Pass chain schedules no task");
  }
  void cancel_task(std::uint64_t /*task_id*/) override {}
  void start_timer(std::uint64_t /*timer_id*/, loveless::asl::TimePoint /*due*/) override {}
  void cancel_timer(std::uint64_t /*timer_id*/) override {}

 private:
  loveless::asl::SeededRandom random_{42};
};

struct Server {
  loveless::engine::StepFunctionsService service;
  loveless::engine::HttpServer http{service};
  std::string url;
  explicit Server(loveless::engine::ServiceOptions options = {}) : service(std::move(options)) {
    http.start("127.0.0.1", 0);
    url = http.url();
  }
  ~Server() {
    http.stop();
    service.shutdown();
  }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
};

loveless::aws::JsonClient client_for(const std::string& url) {
  loveless::aws::JsonClientOptions options;
  options.endpoint = url;
  return loveless::aws::JsonClient(options);
}

json wait_for_end(loveless::aws::JsonClient& client, const std::string& execution_arn) {
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (Clock::now() < deadline) {
    json description = client.call("DescribeExecution", {{"executionArn", execution_arn}});
    if (description.at("status") != "RUNNING") return description;
  }
  throw std::runtime_error("execution did not end within 60 s: " + execution_arn);
}

void pass_chain(int states, int runs, const std::string& definition_file, bool observe) {
  const json definition = pass_chain_definition(states);
  if (!definition_file.empty()) std::ofstream(definition_file) << definition.dump();

  // In process: the interpreter alone, on a host that does nothing.
  double best_in_process = 0;
  const auto parsed = loveless::asl::Definition::from_json(definition);
  for (int run = 0; run < runs; ++run) {
    InlineHost host;
    const auto start = Clock::now();
    loveless::asl::Execution execution(parsed, bench_execution_info(), json{{"n", 0}}, host);
    execution.start();
    const double elapsed = seconds_since(start);
    if (execution.status() != loveless::asl::ExecutionStatus::kSucceeded ||
        execution.output()->at("n") != states) {
      throw std::runtime_error("in-process pass chain did not produce n=" + std::to_string(states));
    }
    best_in_process = std::max(best_in_process, static_cast<double>(states) / elapsed);
  }
  std::cout << json{{"benchmark", "pass_chain"},
                    {"mode", "in_process"},
                    {"states", states},
                    {"runs", runs},
                    {"transitions_per_second", best_in_process}}
                   .dump()
            << std::endl;

  // Through the HTTP API: StartExecution until DescribeExecution says it ended.
  const auto create_chain = [&](loveless::aws::JsonClient& api) -> std::string {
    return api
        .call("CreateStateMachine", {{"name", "pass-chain"},
                                     {"definition", definition.dump()},
                                     {"roleArn", "arn:aws:iam::123456789012:role/bench"}})
        .at("stateMachineArn");
  };
  // Transitions per second of one execution of the chain.
  const auto rate_of_one = [&](loveless::aws::JsonClient& api, const std::string& machine) {
    const auto start = Clock::now();
    const std::string execution_arn =
        api.call("StartExecution", {{"stateMachineArn", machine}, {"input", R"({"n":0})"}})
            .at("executionArn");
    const json description = wait_for_end(api, execution_arn);
    const double elapsed = seconds_since(start);
    if (description.at("status") != "SUCCEEDED" ||
        json::parse(description.at("output").get<std::string>()).at("n") != states) {
      throw std::runtime_error("API pass chain failed: " + description.dump());
    }
    return static_cast<double>(states) / elapsed;
  };
  Server server;
  auto client = client_for(server.url);
  const std::string arn = create_chain(client);
  const auto best_api = [&] {
    double best = 0;
    for (int run = 0; run < runs; ++run) best = std::max(best, rate_of_one(client, arn));
    return best;
  };
  const auto print_api = [&](const char* mode, double best) {
    std::cout << json{{"benchmark", "pass_chain"},
                      {"mode", mode},
                      {"states", states},
                      {"runs", runs},
                      {"transitions_per_second", best}}
                     .dump()
              << std::endl;
  };
  print_api("http_api", best_api());

  // The same chain through an engine whose calls are not time-sliced, run
  // alternately with the default one so both see the same machine load: the
  // price of slicing (a job on the interpreter pool every 20 ms).
  loveless::engine::ServiceOptions unsliced_options;
  unsliced_options.interpreter_slice = {};
  Server unsliced(unsliced_options);
  auto unsliced_client = client_for(unsliced.url);
  const std::string unsliced_arn = create_chain(unsliced_client);
  double best_sliced = 0;
  double best_unsliced = 0;
  for (int run = 0; run < runs; ++run) {
    best_sliced = std::max(best_sliced, rate_of_one(client, arn));
    best_unsliced = std::max(best_unsliced, rate_of_one(unsliced_client, unsliced_arn));
  }
  print_api("http_api_sliced_alternating", best_sliced);
  print_api("http_api_unsliced_alternating", best_unsliced);
  std::cout << json{{"benchmark", "pass_chain"},
                    {"mode", "slicing_cost"},
                    {"sliced_over_unsliced", best_sliced / best_unsliced}}
                   .dump()
            << std::endl;
  if (!observe) return;

  std::mutex queue_mutex;
  std::vector<loveless::engine::ExecutionNotice> queue;
  const auto subscription =
      server.service.observe([&](const loveless::engine::ExecutionNotice& notice) {
        const std::lock_guard lock(queue_mutex);
        queue.push_back(notice);
      });
  const double observed = best_api();
  server.service.unobserve(subscription);
  if (queue.size() < static_cast<std::size_t>(states) * static_cast<std::size_t>(runs)) {
    throw std::runtime_error("the observer saw " + std::to_string(queue.size()) + " events");
  }
  print_api("http_api_observed", observed);
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
  return values[index];
}

std::string create_activity_machine(loveless::aws::JsonClient& client, std::string& activity_arn) {
  activity_arn = client.call("CreateActivity", {{"name", "bench-activity"}}).at("activityArn");
  const json definition = {
      {"StartAt", "Work"},
      {"States", {{"Work", {{"Type", "Task"}, {"Resource", activity_arn}, {"End", true}}}}}};
  return client
      .call("CreateStateMachine", {{"name", "bench-activity-machine"},
                                   {"definition", definition.dump()},
                                   {"roleArn", "arn:aws:iam::123456789012:role/bench"}})
      .at("stateMachineArn");
}

double scheduled_timestamp(loveless::aws::JsonClient& client, const std::string& execution_arn) {
  const json history = client.call("GetExecutionHistory", {{"executionArn", execution_arn}});
  for (const auto& event : history.at("events")) {
    if (event.at("type") == "ActivityScheduled") return event.at("timestamp").get<double>();
  }
  throw std::runtime_error("no ActivityScheduled event in " + execution_arn);
}

// Latency from ActivityScheduled (engine clock) to the waiting poller holding
// the token (same machine, same system clock).
void activity_round_trip(Server& server, const std::string& machine_arn,
                         const std::string& activity_arn, int round_trips) {
  auto starter = client_for(server.url);
  std::vector<double> latencies_ms;
  latencies_ms.reserve(static_cast<std::size_t>(round_trips));
  for (int i = 0; i < round_trips; ++i) {
    std::atomic<double> received_at{0};
    std::string token;
    std::thread poller([&] {
      auto client = client_for(server.url);
      const json task = client.call(
          "GetActivityTask", {{"activityArn", activity_arn}, {"workerName", "bench-poller"}});
      received_at = epoch_seconds_now();
      token = task.value("taskToken", "");
    });
    // Give the poller time to be waiting before the task is scheduled, so the
    // figure is hand-off latency, not queueing.
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    const std::string execution_arn =
        starter.call("StartExecution", {{"stateMachineArn", machine_arn}, {"input", "{}"}})
            .at("executionArn");
    poller.join();
    if (token.empty()) throw std::runtime_error("poller received no task");
    const double scheduled_at = scheduled_timestamp(starter, execution_arn);
    latencies_ms.push_back((received_at - scheduled_at) * 1000.0);
    starter.call("SendTaskSuccess", {{"taskToken", token}, {"output", "{}"}});
  }
  std::cout << json{{"benchmark", "activity_handoff"},
                    {"round_trips", round_trips},
                    {"p50_ms", percentile(latencies_ms, 0.50)},
                    {"p99_ms", percentile(latencies_ms, 0.99)},
                    {"max_ms", percentile(latencies_ms, 1.0)}}
                   .dump()
            << std::endl;
}

// Tasks per second with `pollers` workers draining queued tasks:
// GetActivityTask then SendTaskSuccess, each over its own connection.
void activity_throughput(Server& server, const std::string& machine_arn,
                         const std::string& activity_arn, int tasks, int pollers) {
  auto starter = client_for(server.url);
  for (int i = 0; i < tasks; ++i) {
    starter.call("StartExecution", {{"stateMachineArn", machine_arn}, {"input", "{}"}});
  }
  std::atomic<int> done{0};
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(pollers));
  for (int p = 0; p < pollers; ++p) {
    threads.emplace_back([&, p] {
      auto client = client_for(server.url);
      const std::string name = "bench-poller-" + std::to_string(p);
      while (done.load() < tasks) {
        const json task =
            client.call("GetActivityTask", {{"activityArn", activity_arn}, {"workerName", name}});
        if (!task.contains("taskToken")) continue;
        client.call("SendTaskSuccess", {{"taskToken", task.at("taskToken")}, {"output", "{}"}});
        ++done;
      }
    });
  }
  // Pollers still waiting once the last task is done return at the poll
  // timeout; the figure stops at the last completion.
  while (done.load() < tasks) std::this_thread::sleep_for(std::chrono::microseconds(200));
  const double elapsed = seconds_since(start);
  server.service.shutdown();
  for (auto& t : threads) t.join();
  std::cout << json{{"benchmark", "activity_throughput"},
                    {"tasks", tasks},
                    {"pollers", pollers},
                    {"tasks_per_second", tasks / elapsed}}
                   .dump()
            << std::endl;
}

int int_arg(const std::vector<std::string>& args, const std::string& name, int fallback) {
  const auto it = std::find(args.begin(), args.end(), name);
  if (it == args.end()) return fallback;
  if (std::next(it) == args.end()) throw std::invalid_argument(name + " needs a value");
  return std::stoi(*std::next(it));
}

std::string string_arg(const std::vector<std::string>& args, const std::string& name) {
  const auto it = std::find(args.begin(), args.end(), name);
  if (it == args.end() || std::next(it) == args.end()) return {};
  return *std::next(it);
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (!args.empty() && args[0] == "pass-chain") {
      pass_chain(int_arg(args, "--states", 2000), int_arg(args, "--runs", 5),
                 string_arg(args, "--write-definition"),
                 std::find(args.begin(), args.end(), "--observe") != args.end());
      return 0;
    }
    if (!args.empty() && args[0] == "activity") {
      Server server;
      auto client = client_for(server.url);
      std::string activity_arn;
      const std::string machine_arn = create_activity_machine(client, activity_arn);
      activity_round_trip(server, machine_arn, activity_arn, int_arg(args, "--round-trips", 1000));
      activity_throughput(server, machine_arn, activity_arn, int_arg(args, "--tasks", 4000),
                          int_arg(args, "--pollers", 8));
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "loveless-bench: " << e.what() << '\n';
    return 1;
  }
  std::cerr << "usage: loveless-bench pass-chain [--states N] [--runs N] [--write-definition FILE]"
               " [--observe]\n"
               "       loveless-bench activity [--round-trips N] [--tasks N] [--pollers N]\n";
  return 2;
}
