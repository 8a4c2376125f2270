// A tiny Lambda runtime for the `loveless serve --function` test: answers every
// invocation with {"echo": <event>, "worker": LOVELESS_WORKER_NAME,
// "function": AWS_LAMBDA_FUNCTION_NAME, "tmpdir": TMPDIR}; an event with
// {"fail": true} gets a function error, {"exit": true} ends the process.

#include <cstdlib>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

}  // namespace

int main() {
  httplib::Client client("http://" + env("AWS_LAMBDA_RUNTIME_API"));
  client.set_read_timeout(3600, 0);
  while (true) {
    auto next = client.Get("/2018-06-01/runtime/invocation/next");
    if (!next || next->status != 200) return 1;
    const auto event = nlohmann::json::parse(next->body);
    const auto base =
        "/2018-06-01/runtime/invocation/" + next->get_header_value("Lambda-Runtime-Aws-Request-Id");
    if (event.is_object() && event.value("exit", false)) return 3;
    if (event.is_object() && event.value("fail", false)) {
      const nlohmann::json error = {
          {"errorMessage", "asked to fail"}, {"errorType", "EchoError"}, {"stackTrace", {}}};
      client.Post(base + "/error", error.dump(), "application/json");
      continue;
    }
    const nlohmann::json result = {{"echo", event},
                                   {"worker", env("LOVELESS_WORKER_NAME")},
                                   {"function", env("AWS_LAMBDA_FUNCTION_NAME")},
                                   {"tmpdir", env("TMPDIR")}};
    client.Post(base + "/response", result.dump(), "application/json");
  }
}
