// The fake's HTTP side: one cpp-httplib server on loopback, the SigV4 check,
// routing by X-Amz-Target (awsJson) or by method and path (restJson1), the
// services' error formats, and the request log. The model is in fake_*.cpp.
#include "fake_aws/fake_aws_control_plane.hpp"

#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <thread>

#include <httplib.h>

#include "fake_aws/fake_state.hpp"

namespace loveless::testing {
namespace {

constexpr const char* kEcsPrefix = "AmazonEC2ContainerServiceV20141113.";
constexpr const char* kCloudWatchPrefix = "GraniteServiceVersion20100801.";

/// Where a request goes: the API (by its signing name), the operation, and
/// the protocol's error format.
struct Route {
  std::string service = "unknown";
  std::string operation;
  bool json_protocol = true;  // awsJson (`__type` in the body) or restJson1 (x-amzn-ErrorType)
  std::string content_type;   // required Content-Type of awsJson requests
  std::string id;             // the path's resource id (Lambda function, FIS id), decoded
};

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> segments;
  std::size_t begin = 1;
  while (begin <= path.size()) {
    const std::size_t end = std::min(path.find('/', begin), path.size());
    segments.push_back(path.substr(begin, end - begin));
    begin = end + 1;
  }
  return segments;
}

Route route(const std::string& method, const std::string& path, const std::string& target) {
  Route route;
  if (!target.empty()) {
    if (target.rfind(kEcsPrefix, 0) == 0) {
      route = {
          "ecs", target.substr(std::strlen(kEcsPrefix)), true, "application/x-amz-json-1.1", {}};
    } else if (target.rfind(kCloudWatchPrefix, 0) == 0) {
      route = {"monitoring",
               target.substr(std::strlen(kCloudWatchPrefix)),
               true,
               "application/x-amz-json-1.0",
               {}};
    } else {
      route.operation = target;
    }
    if (method != "POST" || path != "/") route.service = "unknown";
    return route;
  }
  route.json_protocol = false;
  route.operation = method + " " + path;
  const auto segments = split_path(path);
  if (segments.size() == 4 && segments[0] == "2015-03-31" && segments[1] == "functions" &&
      segments[3] == "configuration" && (method == "GET" || method == "PUT")) {
    return {"lambda",
            method == "GET" ? "GetFunctionConfiguration" : "UpdateFunctionConfiguration",
            false,
            {},
            aws::uri_decode(segments[2])};
  }
  if (segments.size() == 1 && segments[0] == "experimentTemplates" && method == "POST") {
    return {"fis", "CreateExperimentTemplate", false, {}, {}};
  }
  if (segments.size() == 2 && segments[0] == "experimentTemplates" && method == "DELETE") {
    return {"fis", "DeleteExperimentTemplate", false, {}, aws::uri_decode(segments[1])};
  }
  if (segments.size() == 1 && segments[0] == "experiments" && method == "POST") {
    return {"fis", "StartExperiment", false, {}, {}};
  }
  if (segments.size() == 2 && segments[0] == "experiments" &&
      (method == "GET" || method == "DELETE")) {
    return {"fis",
            method == "GET" ? "GetExperiment" : "StopExperiment",
            false,
            {},
            aws::uri_decode(segments[1])};
  }
  return route;
}

}  // namespace

std::string FakeAwsControlPlane::State::new_id(int width) {
  std::string id(static_cast<std::size_t>(width) + 1, '0');
  std::snprintf(id.data(), id.size(), "%0*x", width, next_id++);
  id.resize(static_cast<std::size_t>(width));
  return id;
}

std::string FakeAwsControlPlane::State::arn(const std::string& service,
                                            const std::string& resource) const {
  return "arn:aws:" + service + ":" + options.region + ":" + options.account + ":" + resource;
}

void FakeAwsControlPlane::State::advance(FakeClock::time_point now) {
  advance_ecs(*this, now);
  advance_lambda(*this, now);
  advance_fis(*this, now);
}

struct FakeAwsControlPlane::Server {
  httplib::Server http;
  std::thread thread;
  int port = 0;
};

namespace {

void answer(httplib::Response& res, const Route& route, int status, const nlohmann::json& body,
            const std::string& error_type) {
  res.status = status;
  if (route.json_protocol) {
    res.set_content(body.dump(), route.content_type.empty() ? "application/x-amz-json-1.1"
                                                            : route.content_type.c_str());
    return;
  }
  if (!error_type.empty()) res.set_header("x-amzn-ErrorType", error_type);
  res.set_content(body.dump(), "application/json");
}

nlohmann::json error_body(const Route& route, const std::string& type, const std::string& message) {
  if (route.json_protocol) return {{"__type", type}, {"message", message}};
  // Lambda's error bodies carry Type and Message; FIS's a lowercase message.
  if (route.service == "lambda") return {{"Type", "User"}, {"Message", message}};
  return {{"message", message}};
}

}  // namespace

FakeAwsControlPlane::FakeAwsControlPlane(FakeAwsOptions options)
    : options_(options),
      state_(std::make_unique<State>(std::move(options))),
      server_(std::make_unique<Server>()) {
  const auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    const std::string raw_path = req.target.substr(0, req.target.find('?'));
    const std::string raw_query = req.target.find('?') == std::string::npos
                                      ? ""
                                      : req.target.substr(req.target.find('?') + 1);
    aws::SignableRequest received{req.method, raw_path, aws::parse_query(raw_query), {}, req.body};
    for (const auto& [name, value] : req.headers) received.headers.emplace_back(name, value);
    const Route where = route(req.method, raw_path, req.get_header_value("X-Amz-Target"));

    RecordedRequest record{where.service, where.operation, req.method, raw_path, nullptr, 0, {}};
    nlohmann::json reply_body;
    try {
      if (where.service == "unknown") {
        throw FakeError(where.json_protocol ? 400 : 404, "UnknownOperationException",
                        "The fake AWS control plane does not know " + where.operation);
      }
      const aws::SignatureCheck check = aws::verify_signature(
          received,
          [this](std::string_view key) -> std::optional<std::string> {
            if (key == options_.access_key_id) return options_.secret_access_key;
            return std::nullopt;
          },
          where.service, std::chrono::system_clock::now());
      if (!check.ok()) throw FakeError(check.http_status(), check.error_type, check.message);
      if (where.json_protocol && req.get_header_value("Content-Type") != where.content_type) {
        throw FakeError(400, "SerializationException",
                        "Content-Type must be " + where.content_type);
      }
      nlohmann::json body = nlohmann::json::object();
      if (!req.body.empty()) {
        body = nlohmann::json::parse(req.body, nullptr, false);
        if (body.is_discarded()) {
          throw FakeError(400, "SerializationException", "The request body is not JSON");
        }
        record.body = body;
      }
      std::lock_guard lock(state_->mutex);
      const auto now = FakeClock::now();
      state_->advance(now);
      FakeReply reply;
      if (where.service == "ecs") {
        reply = handle_ecs(*state_, where.operation, body, now);
      } else if (where.service == "monitoring") {
        reply = handle_cloudwatch(*state_, where.operation, body);
      } else if (where.service == "lambda") {
        reply = handle_lambda(*state_, req.method, where.id, body, now);
      } else {
        reply = handle_fis(*state_, where.operation, where.id, body, now);
      }
      record.status = reply.status;
      answer(res, where, reply.status, reply.body, {});
    } catch (const FakeError& error) {
      record.status = error.status;
      record.error_type = error.type;
      answer(res, where, error.status, error_body(where, error.type, error.what()), error.type);
    }
    std::lock_guard lock(state_->mutex);
    state_->requests.push_back(std::move(record));
  };
  server_->http.Get(".*", handler);
  server_->http.Post(".*", handler);
  server_->http.Put(".*", handler);
  server_->http.Delete(".*", handler);
  // httplib writes an answer's head and body separately; with Nagle on, the
  // body waits for the client's delayed ACK (40 ms) on a kept connection.
  server_->http.set_tcp_nodelay(true);
  server_->port = server_->http.bind_to_any_port("127.0.0.1");
  if (server_->port <= 0) throw std::runtime_error("fake AWS control plane: cannot bind 127.0.0.1");
  server_->thread = std::thread([this] { server_->http.listen_after_bind(); });
  // httplib's stop() does nothing until the accept loop runs, so a fake
  // destroyed at once would leave the thread listening forever: wait for it.
  while (!server_->http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

FakeAwsControlPlane::~FakeAwsControlPlane() {
  server_->http.stop();
  if (server_->thread.joinable()) server_->thread.join();
}

std::string FakeAwsControlPlane::endpoint() const {
  return "http://127.0.0.1:" + std::to_string(server_->port);
}

aws::Credentials FakeAwsControlPlane::credentials() const {
  aws::Credentials credentials;
  credentials.access_key_id = options_.access_key_id;
  credentials.secret_access_key = options_.secret_access_key;
  credentials.provider = "static";
  return credentials;
}

std::string FakeAwsControlPlane::add_ecs_service(const std::string& cluster,
                                                 const std::string& service, int running_tasks) {
  std::lock_guard lock(state_->mutex);
  FakeService& added = state_->clusters[cluster][service];
  added.name = service;
  added.arn = state_->arn("ecs", "service/" + cluster + "/" + service);
  added.desired_count = running_tasks;
  const double started =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  for (int i = 0; i < running_tasks; ++i) {
    FakeTask task;
    task.arn = state_->arn("ecs", "task/" + cluster + "/" + state_->new_id(32));
    task.last_status = "RUNNING";
    task.desired_status = "RUNNING";
    task.started_at = started;
    added.tasks.push_back(task);
  }
  return added.arn;
}

std::string FakeAwsControlPlane::add_lambda_function(
    const std::string& name, const std::map<std::string, std::string>& env) {
  std::lock_guard lock(state_->mutex);
  FakeFunction& added = state_->functions[name];
  added.name = name;
  added.arn = state_->arn("lambda", "function:" + name);
  added.env = env;
  added.revision_id = state_->new_id(8) + "-0000-4000-8000-" + state_->new_id(12);
  return added.arn;
}

void FakeAwsControlPlane::fail_next_lambda_update(const std::string& name,
                                                  const std::string& reason) {
  std::lock_guard lock(state_->mutex);
  state_->functions.at(name).fail_next_reason = reason;
}

std::string FakeAwsControlPlane::set_alarm_state(const std::string& name,
                                                 const std::string& state) {
  std::lock_guard lock(state_->mutex);
  FakeAlarm& alarm = state_->alarms[name];
  alarm.name = name;
  alarm.arn = state_->arn("cloudwatch", "alarm:" + name);
  alarm.state = state;
  return alarm.arn;
}

std::vector<RecordedRequest> FakeAwsControlPlane::requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests;
}

std::vector<RecordedRequest> FakeAwsControlPlane::requests_for(std::string_view operation) const {
  std::vector<RecordedRequest> found;
  for (auto& request : requests()) {
    if (request.operation == operation) found.push_back(std::move(request));
  }
  return found;
}

void FakeAwsControlPlane::clear_requests() {
  std::lock_guard lock(state_->mutex);
  state_->requests.clear();
}

std::vector<std::string> FakeAwsControlPlane::running_tasks(const std::string& cluster,
                                                            const std::string& service) const {
  std::lock_guard lock(state_->mutex);
  state_->advance(FakeClock::now());
  std::vector<std::string> arns;
  for (const auto& task : state_->clusters.at(cluster).at(service).tasks) {
    if (task.last_status == "RUNNING") arns.push_back(task.arn);
  }
  return arns;
}

std::map<std::string, std::string> FakeAwsControlPlane::lambda_environment(
    const std::string& name) const {
  std::lock_guard lock(state_->mutex);
  return state_->functions.at(name).env.value_or(std::map<std::string, std::string>{});
}

int FakeAwsControlPlane::lambda_environment_generations(const std::string& name) const {
  std::lock_guard lock(state_->mutex);
  state_->advance(FakeClock::now());
  return state_->functions.at(name).generations;
}

std::string FakeAwsControlPlane::experiment_status(const std::string& id) const {
  std::lock_guard lock(state_->mutex);
  state_->advance(FakeClock::now());
  const auto it = state_->experiments.find(id);
  return it == state_->experiments.end() ? std::string() : it->second.status;
}

std::size_t FakeAwsControlPlane::experiment_template_count() const {
  std::lock_guard lock(state_->mutex);
  return state_->templates.size();
}

}  // namespace loveless::testing
