#include <atomic>
#include <chrono>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "loveless/aws/json_client.hpp"
#include "loveless/engine/http_server.hpp"
#include "loveless/engine/service.hpp"

#include "command_line.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "history_table.hpp"
#include "logging_options.hpp"
#include "sample_workflow.hpp"

namespace loveless::cli {
namespace {

constexpr auto kSampleDeadline = std::chrono::seconds(60);

aws::JsonClient make_client(const std::string& endpoint) {
  aws::JsonClientOptions options;
  options.endpoint = endpoint;
  return aws::JsonClient(options);
}

// An activity worker: polls, heartbeats twice while "working", answers. With
// `fail_first` it reports a transient failure for its first task, so the
// workflow's Retry shows in the history.
void run_worker(const std::string& endpoint, const std::string& activity_arn,
                const std::string& worker_name, bool fail_first, const std::atomic<bool>& stop) {
  auto client = make_client(endpoint);
  bool failed_once = false;
  while (!stop.load()) {
    try {
      const auto task = client.call("GetActivityTask",
                                    {{"activityArn", activity_arn}, {"workerName", worker_name}});
      if (!task.contains("taskToken")) continue;
      const auto token = task["taskToken"].get<std::string>();
      const auto input = nlohmann::json::parse(task.value("input", std::string("{}")));
      spdlog::info("{} took a task for order {}", worker_name, input.value("orderId", "?"));
      if (fail_first && !failed_once) {
        failed_once = true;
        client.call("SendTaskFailure", {{"taskToken", token},
                                        {"error", kSampleTransientError},
                                        {"cause", worker_name + " simulated a crash mid-task"}});
        continue;
      }
      for (int beat = 0; beat < 2; ++beat) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        client.call("SendTaskHeartbeat", {{"taskToken", token}});
      }
      const nlohmann::json output = {{"processedBy", worker_name},
                                     {"label", input.value("label", std::string())}};
      client.call("SendTaskSuccess", {{"taskToken", token}, {"output", output.dump()}});
    } catch (const aws::AwsError& e) {
      spdlog::warn("{}: {}", worker_name, e.what());
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

bool all_closed(aws::JsonClient& client, const std::vector<std::string>& executions) {
  for (const auto& arn : executions) {
    if (client.call("DescribeExecution", {{"executionArn", arn}})["status"] == "RUNNING") {
      return false;
    }
  }
  return true;
}

nlohmann::json full_history(aws::JsonClient& client, const std::string& arn) {
  nlohmann::json events = nlohmann::json::array();
  nlohmann::json request = {{"executionArn", arn}, {"maxResults", 1000}};
  while (true) {
    const auto page = client.call("GetExecutionHistory", request);
    for (const auto& event : page["events"]) events.push_back(event);
    if (!page.contains("nextToken")) return events;
    request["nextToken"] = page["nextToken"];
  }
}

int run_sample(const LoggingOptions& logging) {
  configure_logging(logging);

  engine::ServiceOptions options;
  // Short polls let the workers notice the end of the sample quickly.
  options.activity_poll_timeout = std::chrono::milliseconds(500);
  engine::StepFunctionsService service(options);
  engine::HttpServer server(service);
  server.start("127.0.0.1", 0);
  const auto endpoint = server.url();
  std::cout << "Sample engine on " << endpoint << "\n";

  int result = exit_codes::kSuccess;
  {
    auto client = make_client(endpoint);
    const auto activity_arn =
        client.call("CreateActivity", {{"name", "sample-activity"}})["activityArn"]
            .get<std::string>();
    const auto state_machine_arn =
        client
            .call(
                "CreateStateMachine",
                {{"name", "sample-workflow"},
                 {"definition", sample_definition(activity_arn)},
                 {"roleArn", "arn:aws:iam::123456789012:role/loveless-sample"}})["stateMachineArn"]
            .get<std::string>();

    std::atomic<bool> stop{false};
    std::vector<std::thread> workers;
    workers.emplace_back(run_worker, endpoint, activity_arn, "worker-1", true, std::cref(stop));
    workers.emplace_back(run_worker, endpoint, activity_arn, "worker-2", false, std::cref(stop));

    std::vector<std::string> executions;
    int index = 0;
    for (const auto& input : sample_inputs()) {
      const auto started =
          client.call("StartExecution", {{"stateMachineArn", state_machine_arn},
                                         {"name", "sample-" + std::to_string(++index)},
                                         {"input", input.dump()}});
      executions.push_back(started["executionArn"].get<std::string>());
    }

    const auto deadline = std::chrono::steady_clock::now() + kSampleDeadline;
    while (!all_closed(client, executions) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    stop = true;
    for (auto& worker : workers) worker.join();

    for (const auto& arn : executions) {
      const auto description = client.call("DescribeExecution", {{"executionArn", arn}});
      const auto status = description["status"].get<std::string>();
      if (status != "SUCCEEDED") result = exit_codes::kFailure;
      std::cout << "\n" << description["name"].get<std::string>() << ": " << status;
      if (description.contains("output")) {
        std::cout << "  output " << description["output"].get<std::string>();
      }
      if (description.contains("error")) {
        std::cout << "  error " << description["error"].get<std::string>();
      }
      std::cout << "\n";
      print_history_table(std::cout, full_history(client, arn));
    }
  }
  server.stop();
  std::cout << "\n"
            << (result == exit_codes::kSuccess ? "All sample executions succeeded."
                                               : "Some sample executions did not succeed.")
            << std::endl;
  return result;
}

}  // namespace

CommandBody add_sample_command(CLI::App& app) {
  auto* command = app.add_subcommand(
      "sample", "Run the sample workflow with two activity workers and print its histories");
  auto logging = std::make_shared<LoggingOptions>();
  add_logging_options(*command, *logging, "Log every request");
  logging->verbose_level = spdlog::level::debug;
  return [logging] { return run_sample(*logging); };
}

}  // namespace loveless::cli
