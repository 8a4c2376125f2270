#include "activity_report.hpp"

#include <exception>
#include <optional>

#include "backoff.hpp"
#include "worker_log.hpp"

namespace loveless::worker {
namespace {

enum class Sent { kAccepted, kTaskGone, kRefused };

// One report call with retries; `refusal` receives the error that ended them
// when the call was refused.
Sent send_with_retries(aws::JsonClient& client, const char* operation,
                       const nlohmann::json& request, std::chrono::milliseconds retry_for,
                       std::optional<aws::AwsError>& refusal) {
  const auto give_up_at = std::chrono::steady_clock::now() + retry_for;
  Backoff backoff;
  while (true) {
    try {
      client.call(operation, request);
      return Sent::kAccepted;
    } catch (const aws::AwsError& e) {
      if (is_task_gone(e)) {
        log_line(std::string(operation) + ": task lost (" + e.what() + "); result dropped");
        return Sent::kTaskGone;
      }
      if (!is_retryable(e) || std::chrono::steady_clock::now() >= give_up_at) {
        log_line(std::string(operation) + " failed, giving up: " + e.what());
        refusal = e;
        return Sent::kRefused;
      }
      log_line(std::string(operation) + " failed, retrying: " + e.what());
      backoff.sleep([&] { return std::chrono::steady_clock::now() >= give_up_at; });
    } catch (const std::exception& e) {
      log_line(std::string(operation) + " failed, giving up: " + e.what());
      return Sent::kRefused;
    }
  }
}

void send_failure(aws::JsonClient& client, const std::string& task_token, const std::string& error,
                  const std::string& cause, std::chrono::milliseconds retry_for) {
  std::optional<aws::AwsError> refusal;
  send_with_retries(client, "SendTaskFailure",
                    {{"taskToken", task_token}, {"error", error}, {"cause", cause}}, retry_for,
                    refusal);
}

}  // namespace

void report_activity_outcome(aws::JsonClient& client, const std::string& task_token,
                             const HandlerOutcome& outcome, std::chrono::milliseconds retry_for) {
  if (!outcome.succeeded) {
    send_failure(client, task_token, outcome.error, outcome.cause, retry_for);
    return;
  }
  std::optional<aws::AwsError> refusal;
  const auto sent = send_with_retries(
      client, "SendTaskSuccess",
      {{"taskToken", task_token}, {"output", to_json_text(outcome.output)}}, retry_for, refusal);
  if (sent == Sent::kRefused && refusal && refusal->type() == "InvalidOutput") {
    const auto failure = HandlerOutcome::failure("Worker.InvalidOutput", refusal->message());
    send_failure(client, task_token, failure.error, failure.cause, retry_for);
  }
}

}  // namespace loveless::worker
