#include "loveless/aws_api/fis_api.hpp"

#include <utility>

#include "loveless/aws/json_members.hpp"
#include "loveless/aws/sigv4.hpp"
#include "loveless/aws_api/wait.hpp"

namespace loveless::aws_api {
namespace {

/// An idempotency token for FIS (1-64 characters): the same input gives the
/// same token, so the dry run's output and retried requests are stable.
std::string client_token(const std::string& input) { return aws::sha256_hex(input).substr(0, 32); }

}  // namespace

FisExperiment fis_experiment_from_json(const nlohmann::json& experiment) {
  FisExperiment result;
  result.id = aws::string_member(experiment, "id");
  result.template_id = aws::string_member(experiment, "experimentTemplateId");
  if (const auto state = experiment.find("state");
      state != experiment.end() && state->is_object()) {
    result.status = aws::string_member(*state, "status");
    result.reason = aws::string_member(*state, "reason");
  }
  return result;
}

FisApi::FisApi(aws::ServiceClient client) : client_(std::move(client)) {}

nlohmann::json FisApi::call(const std::string& method, const std::string& path,
                            const std::optional<nlohmann::json>& body) {
  std::lock_guard lock(mutex_);
  return client_.rest_call(method, path, {}, body);
}

std::string FisApi::create_experiment_template(const nlohmann::json& template_json,
                                               AwsCallGuard& guard, const std::string& bound) {
  nlohmann::json request = template_json;
  request["clientToken"] = client_token(template_json.dump());
  if (!guard.permit({"fis", "CreateExperimentTemplate", bound,
                     template_json.value("description", std::string("experiment template")),
                     request})) {
    return kDryRunTemplateId;
  }
  const nlohmann::json answer = call("POST", "/experimentTemplates", request);
  return aws::string_member(answer.value("experimentTemplate", nlohmann::json::object()), "id");
}

std::string FisApi::start_experiment(const std::string& template_id, AwsCallGuard& guard,
                                     const std::string& bound) {
  // Each start of a template is a new experiment: the count keeps the tokens
  // of two starts apart while a retry of one start reuses its token.
  const int start = ++starts_;
  const nlohmann::json request = {
      {"clientToken", client_token(template_id + "#" + std::to_string(start))},
      {"experimentTemplateId", template_id}};
  if (!guard.permit({"fis", "StartExperiment", bound, template_id, request})) {
    return kDryRunExperimentId;
  }
  const nlohmann::json answer = call("POST", "/experiments", request);
  return aws::string_member(answer.value("experiment", nlohmann::json::object()), "id");
}

FisExperiment FisApi::get_experiment(const std::string& id) {
  const nlohmann::json answer = call("GET", "/experiments/" + aws::uri_encode(id), std::nullopt);
  return fis_experiment_from_json(answer.value("experiment", nlohmann::json::object()));
}

void FisApi::stop_experiment(const std::string& id, AwsCallGuard& guard, const std::string& bound) {
  if (!guard.permit({"fis", "StopExperiment", bound, id, nlohmann::json::object()})) return;
  call("DELETE", "/experiments/" + aws::uri_encode(id), std::nullopt);
}

void FisApi::delete_experiment_template(const std::string& id, AwsCallGuard& guard,
                                        const std::string& bound) {
  if (!guard.permit({"fis", "DeleteExperimentTemplate", bound, id, nlohmann::json::object()})) {
    return;
  }
  call("DELETE", "/experimentTemplates/" + aws::uri_encode(id), std::nullopt);
}

FisExperiment FisApi::wait_for_status(const std::string& id, const std::set<std::string>& statuses,
                                      std::chrono::milliseconds timeout,
                                      std::chrono::milliseconds poll_interval) {
  FisExperiment last;
  if (poll_until(timeout, poll_interval, [&] {
        last = get_experiment(id);
        return statuses.count(last.status) > 0;
      })) {
    return last;
  }
  throw AwsWaitTimeout("FIS experiment " + id + " not in the awaited state after " +
                       std::to_string(timeout.count()) + " ms (last: " + last.status + ")");
}

}  // namespace loveless::aws_api
