// The engine's API under long-poll load: latency of ordinary calls
// (ListActivities, DescribeStateMachine) while N GetActivityTask long polls
// wait on their connections, side by side with the same calls and no polls.
// Prints p50/p99 for each, their ratio, and the server's thread count and RSS.
//
//   build/bin/loveless-long-poll-bench [--polls 1000] [--calls 2000]
//
// The polls are raw loopback connections that each send one GetActivityTask
// and wait; the calls come from 4 client threads through loveless::aws::JsonClient.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "loveless/aws/json_client.hpp"
#include "loveless/engine/http_server.hpp"
#include "loveless/engine/service.hpp"

#include "process_figures.hpp"
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

using loveless::bench::status_field;

using Clock = std::chrono::steady_clock;
constexpr int kCallerThreads = 4;

struct Figures {
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

Figures percentiles(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  const auto at = [&](double q) {
    return samples[std::min(samples.size() - 1, static_cast<std::size_t>(q * samples.size()))];
  };
  return {at(0.50), at(0.99), samples.back()};
}

int open_poll(int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
      ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
          static_cast<ssize_t>(request.size())) {
    std::perror("long poll connection");
    std::exit(1);
  }
  return fd;
}

/// `calls` ordinary calls spread over kCallerThreads clients; their latencies.
std::vector<double> ordinary_calls(const std::string& url, const std::string& state_machine,
                                   int calls) {
  std::vector<std::vector<double>> per_thread(kCallerThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kCallerThreads; ++t) {
    threads.emplace_back([&, t] {
      loveless::aws::JsonClientOptions options;
      options.endpoint = url;
      loveless::aws::JsonClient client(options);
      for (int i = t; i < calls; i += kCallerThreads) {
        const auto start = Clock::now();
        if (i % 2 == 0) {
          client.call("ListActivities", nlohmann::json::object());
        } else {
          client.call("DescribeStateMachine", {{"stateMachineArn", state_machine}});
        }
        per_thread[t].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::vector<double> all;
  for (auto& samples : per_thread) all.insert(all.end(), samples.begin(), samples.end());
  return all;
}

}  // namespace

int main(int argc, char** argv) {
  int polls = 1000;
  int calls = 2000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--polls") polls = std::stoi(argv[i + 1]);
    if (flag == "--calls") calls = std::stoi(argv[i + 1]);
  }
  loveless::engine::ServiceOptions options;
  options.activity_poll_timeout = std::chrono::seconds(60);
  loveless::engine::StepFunctionsService service(options);
  loveless::engine::HttpServer server(service);
  const int port = server.start("127.0.0.1", 0);

  loveless::aws::JsonClientOptions client_options;
  client_options.endpoint = server.url();
  loveless::aws::JsonClient client(client_options);
  const auto activity =
      client.call("CreateActivity", {{"name", "bench"}})["activityArn"].get<std::string>();
  const auto state_machine =
      client
          .call("CreateStateMachine",
                {{"name", "bench"},
                 {"roleArn", "arn:aws:iam::123456789012:role/bench"},
                 {"definition",
                  R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})"}})
              ["stateMachineArn"]
          .get<std::string>();

  ordinary_calls(server.url(), state_machine, calls / 4);  // warm-up: connections, caches
  const auto quiet = percentiles(ordinary_calls(server.url(), state_machine, calls));
  const long threads_before = status_field("Threads:");

  const std::string body = nlohmann::json{{"activityArn", activity}}.dump();
  const std::string request =
      "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: AWSStepFunctions.GetActivityTask\r\n"
      "Content-Type: application/x-amz-json-1.0\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  std::vector<int> held;
  const auto opening = Clock::now();
  for (int i = 0; i < polls; ++i) held.push_back(open_poll(port, request));
  const double open_s = std::chrono::duration<double>(Clock::now() - opening).count();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // every poll is waiting

  const auto loaded = percentiles(ordinary_calls(server.url(), state_machine, calls));
  const long threads_loaded = status_field("Threads:");
  const long rss_kib = status_field("VmRSS:");

  std::printf(
      "engine API latency, %d calls from %d clients (ListActivities, "
      "DescribeStateMachine)\n",
      calls, kCallerThreads);
  std::printf("  no long polls      p50 %7.3f ms  p99 %7.3f ms  max %7.3f ms\n", quiet.p50_ms,
              quiet.p99_ms, quiet.max_ms);
  std::printf("  %4d long polls    p50 %7.3f ms  p99 %7.3f ms  max %7.3f ms\n", polls,
              loaded.p50_ms, loaded.p99_ms, loaded.max_ms);
  std::printf("  p99 ratio (loaded / quiet): %.2fx\n", loaded.p99_ms / quiet.p99_ms);
  std::printf("  %d polls connected in %.2f s; process threads %ld -> %ld; RSS %.1f MiB\n", polls,
              open_s, threads_before, threads_loaded, static_cast<double>(rss_kib) / 1024);

  for (const int fd : held) ::close(fd);
  server.stop();
  return 0;
}
